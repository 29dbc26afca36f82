"""The hero's stepper: one row of order-wide steps that is true for split parcels.

``progress_steps(order, tracked, parcels, milestones=()) -> tuple[Step, ...]`` returns
:data:`HERO_PATH` (received, preparing, shipped, out for delivery, delivered) as
:class:`timeline.Step` rows. A step is reached when the *whole* order has reached it: the
least advanced live parcel decides, and a line not yet shipped keeps the order in
preparation. So one parcel out for delivery and one in transit reads "shipped" here, while
the overall sentence says "1 of 2 parcels out for delivery today". A cancelled order shows
"received" then "cancelled". Labels are the timeline's (one word per state). Pure: no queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ..core.parcel_status import ParcelStatus
from .timeline import Step, _step, unshipped_lines

if TYPE_CHECKING:
    from ..hosts.base import OrderView
    from ..models import Milestone, Parcel, TrackedOrder

HERO_PATH: tuple[str, ...] = ("received", "preparing", "shipped", "out_for_delivery", "delivered")

#: Parcel status → index in :data:`HERO_PATH` it has reached.
_STAGE: dict[str, int] = {
    ParcelStatus.PENDING: 2,
    ParcelStatus.LABEL_CREATED: 2,
    ParcelStatus.IN_TRANSIT: 2,
    ParcelStatus.EXCEPTION: 2,
    ParcelStatus.RETURNED: 2,
    ParcelStatus.FAILED_ATTEMPT: 3,
    ParcelStatus.READY_FOR_PICKUP: 3,
    ParcelStatus.OUT_FOR_DELIVERY: 3,
    ParcelStatus.DELIVERED: 4,
}


def stage(order: OrderView, tracked: TrackedOrder | None, parcels: Sequence[Parcel]) -> int:
    """Index in :data:`HERO_PATH` of the last step the whole order has reached."""
    live = [p for p in parcels if p.status != ParcelStatus.CANCELLED]
    paid = order.is_paid or bool(tracked and tracked.paid_at)
    if not live:
        return 1 if paid else 0
    reached = min(_STAGE.get(p.status, 2) for p in live)
    return min(reached, 1) if unshipped_lines(order) else reached


def _latest(values: Iterable[datetime | None]) -> datetime | None:
    known = [v for v in values if v]
    return max(known) if known else None


def progress_steps(
    order: OrderView,
    tracked: TrackedOrder | None,
    parcels: Sequence[Parcel],
    milestones: Iterable[Milestone] = (),
) -> tuple[Step, ...]:
    """The hero's steps; see the module's docstring."""
    placed = tracked.placed_at if tracked else order.created_at
    cancelled_at = tracked.cancelled_at if tracked else None
    if order.is_cancelled or cancelled_at:
        return (_step("received", True, placed), _step("cancelled", True, cancelled_at))
    live = [p for p in parcels if p.status != ParcelStatus.CANCELLED]
    out_times = {m.parcel_id: m.occurred_at for m in milestones if m.kind == "out_for_delivery"}
    times = {
        "received": placed,
        "preparing": (tracked.paid_at if tracked else None) or order.created_at,
        "shipped": _latest(p.shipped_at for p in live),
        "out_for_delivery": _latest(out_times.get(p.pk) for p in live),
        "delivered": _latest(p.delivered_at for p in live),
    }
    reached = stage(order, tracked, parcels)
    return tuple(
        _step(kind, i <= reached, times[kind]) for i, kind in enumerate(HERO_PATH)
    )
