"""Parcels from fulfillments: create, update and cancel them as the host reports changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Parcel
from .statuses import ParcelStatus

if TYPE_CHECKING:
    from ..lifecycle import Context


def sync_parcels(ctx: Context, *, event: str = "", fulfillment_id: str | None = None) -> list[Parcel]:
    """Upsert one parcel per fulfillment; return the parcels that are new or changed."""
    order = ctx.order
    existing = {p.fulfillment_id: p for p in Parcel.objects.filter(order_id=order.id)}
    changed: list[Parcel] = []
    for f in order.fulfillments:
        parcel = existing.get(f.id)
        cancelled = f.status in ("canceled", "cancelled")
        if parcel is None:
            parcel = Parcel.objects.create(
                order_id=order.id,
                channel_slug=order.channel_slug,
                fulfillment_id=f.id,
                tracking_number=f.tracking_number,
                lines=[{"line_id": lid, "quantity": q} for lid, q in f.lines],
                shipped_at=f.created_at or ctx.tracked.placed_at,
                destination_country=order.destination_country,
                status=ParcelStatus.CANCELLED if cancelled else ParcelStatus.PENDING,
            )
            changed.append(parcel)
            continue
        fields: list[str] = []
        if parcel.tracking_number != f.tracking_number:
            parcel.tracking_number = f.tracking_number
            fields.append("tracking_number")
        if cancelled and parcel.status != ParcelStatus.CANCELLED:
            parcel.status = ParcelStatus.CANCELLED
            fields.append("status")
        if fields:
            parcel.save(update_fields=[*fields, "updated_at"])
            changed.append(parcel)
    return changed
