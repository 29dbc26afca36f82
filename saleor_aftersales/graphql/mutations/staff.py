"""Helpers of the staff mutations: global ids, permission checks and parcel actions."""

from __future__ import annotations

import binascii

from graphql_relay import from_global_id

from ...models import FaqEntry, Parcel
from ...tracking import staff
from ..auth import require_staff_mutation
from ..errors import MutationError

PERMISSIONS_NOTE = "Requires one of the following permissions: MANAGE_ORDERS, MANAGE_PLUGINS."


def pk_from_global_id(global_id: str, type_name: str, field: str = "id") -> int:
    """The primary key in ``global_id`` of ``type_name``; ``MutationError`` otherwise."""
    try:
        found_type, value = from_global_id(global_id or "")
        if found_type != type_name:
            raise ValueError(found_type)
        return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise MutationError(
            f"Couldn't resolve to a node: {global_id}", code="not_found", field=field
        ) from exc


def staff_faq_entry(info, global_id: str) -> FaqEntry:
    """The FAQ entry, if the caller may change its channel (else it does not exist for them)."""
    entry = FaqEntry.objects.filter(pk=pk_from_global_id(global_id, "AftersalesFaqEntry")).first()
    if entry is None:
        raise MutationError(f"Couldn't resolve to a node: {global_id}", "not_found", "id")
    require_staff_mutation(info.context, entry.channel_slug)
    return entry


def staff_parcel(info, global_id: str) -> Parcel:
    """The parcel, if the caller may change its channel."""
    parcel = Parcel.objects.filter(pk=pk_from_global_id(global_id, "AftersalesParcel")).first()
    if parcel is None:
        raise MutationError(f"Couldn't resolve to a node: {global_id}", "not_found", "id")
    require_staff_mutation(info.context, parcel.channel_slug)
    return parcel


def parcel_action(info, global_id: str, action, *args) -> Parcel:
    """Run ``action`` (of ``tracking.staff``) on the parcel, if the caller may change its
    channel; a refusal becomes the mutation's field error."""
    parcel = staff_parcel(info, global_id)
    try:
        action(parcel, *args)
    except staff.StaffActionError as exc:
        raise MutationError(exc.message, exc.code, exc.field) from exc
    return parcel
