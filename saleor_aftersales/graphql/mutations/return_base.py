"""Helpers of the return mutations: refusals as field errors, staff's return by global id."""

from __future__ import annotations

from contextlib import contextmanager

from ...returns.errors import ReturnRefused
from ...returns.models import ReturnRequest
from ..auth import require_staff_mutation
from ..errors import MutationError
from .staff import pk_from_global_id

#: ReturnRefused codes that have their own AftersalesErrorCode; the rest are INVALID etc.
OWN_CODES = {
    "already_submitted",
    "too_many",
    "outside_window",
    "non_returnable",
    "out_of_stock",
    "cancelled",
    "bad_state",
    "try_again",
}
OTHER_CODES = {
    "disabled": "feature_disabled",
    "not_delivered": "not_available",
    "no_lines": "required",
}


def as_mutation_error(refusal: ReturnRefused) -> MutationError:
    code = refusal.code if refusal.code in OWN_CODES else OTHER_CODES.get(refusal.code, "invalid")
    return MutationError(refusal.message, code=code, field=refusal.field)


@contextmanager
def refusals():
    """Turn a :class:`ReturnRefused` into the mutation's field error."""
    try:
        yield
    except ReturnRefused as refusal:
        raise as_mutation_error(refusal) from refusal


def staff_return(info, global_id: str) -> ReturnRequest:
    """The return, if the caller may change its channel (else it does not exist for them)."""
    request = ReturnRequest.objects.filter(
        pk=pk_from_global_id(global_id, "AftersalesReturn")
    ).first()
    if request is None:
        raise MutationError(f"Couldn't resolve to a node: {global_id}", "not_found", "id")
    require_staff_mutation(info.context, request.channel_slug)
    return request


def line_names(order) -> dict[str, str]:
    return {line.id: line.product_name for line in order.lines} if order else {}
