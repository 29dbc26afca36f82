"""Order + parcels → the milestones a shopper sees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Milestone, Parcel

if TYPE_CHECKING:
    from .lifecycle import Context


def _record(order_id: str, kind: str, at, parcel: Parcel | None = None) -> None:
    key = f"{order_id}:{parcel.pk if parcel else '-'}:{kind}"
    Milestone.objects.get_or_create(
        key=key, defaults={"order_id": order_id, "parcel": parcel, "kind": kind, "occurred_at": at}
    )


def record_milestones(ctx: Context) -> None:
    """Record the order-wide milestones reached so far (idempotent)."""
    t = ctx.tracked
    _record(ctx.order.id, "received", t.placed_at)
    if t.paid_at:
        _record(ctx.order.id, "paid", t.paid_at)
    for parcel in Parcel.objects.filter(order_id=ctx.order.id):
        _record(ctx.order.id, "shipped", parcel.shipped_at, parcel)
    if t.cancelled_at:
        _record(ctx.order.id, "cancelled", t.cancelled_at)
    if t.refunded_at:
        _record(ctx.order.id, "refunded", t.refunded_at)
