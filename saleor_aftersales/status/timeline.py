"""Order + parcels → the milestones a shopper sees.

Contract for readers (status page, GraphQL, emails) — all functions below are *pure*: they
take already-loaded objects and never query the database, so a reader loads once and calls
them as often as it likes.

Inputs
    ``order``      an :class:`~saleor_aftersales.hosts.base.OrderView`
    ``tracked``    the order's :class:`~saleor_aftersales.models.TrackedOrder` (or ``None``)
    ``parcels``    the order's :class:`~saleor_aftersales.models.Parcel` rows, in shipping order
    ``milestones`` optional recorded :class:`~saleor_aftersales.models.Milestone` rows of the
                   order (``Milestone.objects.filter(order_id=…)``); they supply the times of
                   steps such as "out for delivery". Without them times come from the parcel.
    ``events``     optional ``{parcel.pk: [TrackingEvent, …]}``; only for :func:`visible_events`.
    ``today``      optional ``date`` for delay checks (default: today in the current zone).

Outputs
    :class:`Step` — a frozen dataclass ``(kind, label, reached, occurred_at, parcel_id,
    side_path)``. ``kind`` is one of :data:`MAIN_PATH` or :data:`SIDE_PATHS`; ``label`` is a
    lazy translatable string (``str(step.label)`` renders in the active language);
    ``parcel_id`` is ``None`` for order-wide steps; ``side_path`` marks detours (delayed,
    failed attempt, pickup, returned, exception, cancelled, refunded).

    ``build_timeline(order, tracked, parcels, milestones=(), today=None) -> tuple[Step, ...]``
        Order-wide steps first (received, paid, preparing, and cancelled/refunded side paths),
        then for every parcel its own steps (shipped, in transit, out for delivery, delivered,
        with side paths inserted where they happened). With no parcel yet, placeholder parcel
        steps with ``parcel_id=None`` and ``reached=False`` show the road ahead.
    ``parcel_steps(parcel, milestones=(), today=None) -> tuple[Step, ...]``
        The steps of one parcel only.
    ``overall_state(order, parcels, tracked=None, today=None) -> tuple[str, str]``
        ``(code, text)``: code is one of :data:`OVERALL_CODES`; text is a translated sentence
        such as "2 of 3 parcels delivered" or "1 of 2 parcels shipped; not yet shipped: Rain
        Jacket".
    ``unshipped_lines(order) -> tuple[LineView, ...]`` lines with quantity not yet shipped.
    ``visible_events(events) -> list[TrackingEvent]`` newest first, carrier noise
        (``relevant=False``) folded away; raw events stay stored.
    ``is_delayed(parcel, today=None) -> bool`` the estimated date has passed, or the estimate
        is later than the date promised at shipment.

Writer
    ``record_milestones(ctx)`` records reached milestones once by key (used by lifecycle.py);
    tracking builds rows with ``parcel_milestone_rows(parcel, at)`` and stores a whole batch
    with ``store_milestones(rows)`` when statuses change. Both insert in one statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..core.parcel_status import ParcelStatus, due_date
from ..models import Milestone, Parcel

if TYPE_CHECKING:
    from ..hosts.base import LineView, OrderView
    from ..hosts.context import Context
    from ..models import TrackedOrder, TrackingEvent

#: The happy path, in order. "shipped" onwards is per parcel.
MAIN_PATH: tuple[str, ...] = (
    "received",
    "paid",
    "preparing",
    "shipped",
    "in_transit",
    "out_for_delivery",
    "delivered",
)
SIDE_PATHS: tuple[str, ...] = (
    "delayed",
    "failed_attempt",
    "ready_for_pickup",
    "exception",
    "returned",
    "cancelled",
    "refunded",
)
PARCEL_PATH: tuple[str, ...] = ("shipped", "in_transit", "out_for_delivery", "delivered")

LABELS: dict[str, Any] = {
    "received": _("Order received"),
    "paid": _("Payment confirmed"),
    "preparing": _("In preparation"),
    "shipped": _("Shipped"),
    "in_transit": _("In transit"),
    "out_for_delivery": _("Out for delivery"),
    "delivered": _("Delivered"),
    "delayed": _("Delayed"),
    "failed_attempt": _("Delivery attempt failed"),
    "ready_for_pickup": _("Ready for pickup"),
    "exception": _("Problem with delivery"),
    "returned": _("Returned to sender"),
    "cancelled": _("Cancelled"),
    "refunded": _("Refunded"),
}

OVERALL_CODES: tuple[str, ...] = (
    "received", "paid", "preparing", "partially_shipped", "shipped", "in_transit",
    "out_for_delivery", "ready_for_pickup", "failed_attempt", "exception", "delayed",
    "partially_delivered", "delivered", "returned", "cancelled", "refunded",
)

#: Parcel status → the main-path steps it implies reached.
_REACHED: dict[str, int] = {
    ParcelStatus.PENDING: 1,
    ParcelStatus.LABEL_CREATED: 1,
    ParcelStatus.IN_TRANSIT: 2,
    ParcelStatus.EXCEPTION: 2,
    ParcelStatus.READY_FOR_PICKUP: 2,
    ParcelStatus.FAILED_ATTEMPT: 3,
    ParcelStatus.OUT_FOR_DELIVERY: 3,
    ParcelStatus.DELIVERED: 4,
    ParcelStatus.RETURNED: 2,
    ParcelStatus.CANCELLED: 1,
}
#: Parcel status → a side path it shows, inserted after the last reached main step.
_SIDE: dict[str, str] = {
    ParcelStatus.EXCEPTION: "exception",
    ParcelStatus.READY_FOR_PICKUP: "ready_for_pickup",
    ParcelStatus.FAILED_ATTEMPT: "failed_attempt",
    ParcelStatus.RETURNED: "returned",
    ParcelStatus.CANCELLED: "cancelled",
}


@dataclass(frozen=True)
class Step:
    """One milestone as the shopper sees it."""

    kind: str
    label: Any  # lazy translatable string
    reached: bool
    occurred_at: datetime | None = None
    parcel_id: int | None = None
    side_path: bool = False


def _step(kind: str, reached: bool, at: datetime | None = None, parcel_id: int | None = None):
    return Step(kind, LABELS[kind], reached, at if reached else None, parcel_id,
                kind in SIDE_PATHS)


def _times(milestones: Iterable[Milestone]) -> dict[tuple[int | None, str], datetime]:
    return {(m.parcel_id, m.kind): m.occurred_at for m in milestones}


def is_delayed(parcel: Parcel, today: date | None = None) -> bool:
    """Whether the parcel is late: its estimated date passed, or the estimate is now later
    than the date promised at shipment."""
    due = due_date(parcel)
    if due is None:
        return False
    if due < (today or timezone.localdate()):
        return True
    promised = parcel.promised_delivery
    return bool(promised and parcel.estimated_delivery and parcel.estimated_delivery > promised)


def parcel_steps(
    parcel: Parcel, milestones: Iterable[Milestone] = (), today: date | None = None
) -> tuple[Step, ...]:
    """The steps of one parcel: main path with its side path inserted where it happened."""
    times = _times(milestones)
    reached = _REACHED.get(parcel.status, 1)
    side = _SIDE.get(parcel.status)
    fallback = {
        "shipped": parcel.shipped_at,
        "in_transit": parcel.first_scan_at,
        "delivered": parcel.delivered_at,
    }
    steps: list[Step] = []
    for i, kind in enumerate(PARCEL_PATH):
        at = times.get((parcel.pk, kind)) or fallback.get(kind)
        steps.append(_step(kind, i < reached, at, parcel.pk))
        if i == reached - 1:
            if side:
                at = times.get((parcel.pk, side)) or parcel.last_event_at or parcel.updated_at
                steps.append(_step(side, True, at, parcel.pk))
            elif is_delayed(parcel, today):
                steps.append(_step("delayed", True, times.get((parcel.pk, "delayed")), parcel.pk))
    if side in ("returned", "cancelled"):
        # the rest of the road is closed: drop unreached main steps
        steps = [s for s in steps if s.reached]
    return tuple(steps)


def _order_steps(order: OrderView, tracked: TrackedOrder | None, times) -> list[Step]:
    placed = tracked.placed_at if tracked else order.created_at
    paid_at = (tracked.paid_at if tracked else None) or times.get((None, "paid"))
    paid = bool(paid_at) or order.is_paid
    cancelled_at = tracked.cancelled_at if tracked else None
    cancelled = bool(cancelled_at) or order.is_cancelled
    steps = [
        _step("received", True, placed),
        _step("paid", paid, paid_at),
        _step("preparing", paid and not cancelled, times.get((None, "preparing")) or paid_at),
    ]
    if cancelled:
        steps.append(_step("cancelled", True, cancelled_at or times.get((None, "cancelled"))))
    if tracked and tracked.refunded_at:
        steps.append(_step("refunded", True, tracked.refunded_at))
    return steps


def build_timeline(
    order: OrderView,
    tracked: TrackedOrder | None,
    parcels: Sequence[Parcel],
    milestones: Iterable[Milestone] = (),
    today: date | None = None,
) -> tuple[Step, ...]:
    """Order-wide steps, then each parcel's steps (placeholders while nothing shipped)."""
    milestones = list(milestones)
    times = _times(milestones)
    steps = _order_steps(order, tracked, times)
    if parcels:
        for parcel in parcels:
            steps.extend(parcel_steps(parcel, milestones, today))
    elif not order.is_cancelled and not (tracked and tracked.cancelled_at):
        steps.extend(_step(kind, False) for kind in PARCEL_PATH)
    return tuple(steps)


def unshipped_lines(order: OrderView) -> tuple[LineView, ...]:
    """Lines with some quantity not yet shipped."""
    return tuple(line for line in order.lines if line.quantity_fulfilled < line.quantity)


def visible_events(events: Iterable[TrackingEvent]) -> list[TrackingEvent]:
    """Events a shopper sees, newest first; carrier noise is folded away."""
    return sorted((e for e in events if e.relevant), key=lambda e: e.occurred_at, reverse=True)


def _counted(code: str, done: int, total: int) -> str:
    if code == "partially_delivered":
        return ngettext(
            "%(done)d of %(total)d parcel delivered", "%(done)d of %(total)d parcels delivered",
            total,
        ) % {"done": done, "total": total}
    return ngettext(
        "%(done)d of %(total)d parcel shipped", "%(done)d of %(total)d parcels shipped", total
    ) % {"done": done, "total": total}


def overall_state(
    order: OrderView,
    parcels: Sequence[Parcel],
    tracked: TrackedOrder | None = None,
    today: date | None = None,
) -> tuple[str, str]:
    """``(code, text)`` of the whole order, e.g. ``("partially_delivered", "2 of 3 …")``."""
    if tracked and tracked.refunded_at:
        return "refunded", str(_("Your order has been refunded."))
    if order.is_cancelled or (tracked and tracked.cancelled_at):
        return "cancelled", str(_("Your order has been cancelled."))
    live = [p for p in parcels if p.status != ParcelStatus.CANCELLED]
    pending_lines = unshipped_lines(order)
    missing = ", ".join(line.product_name for line in pending_lines)
    if not live:
        if order.is_paid or (tracked and tracked.paid_at):
            return "preparing", str(_("We are preparing your order."))
        return "received", str(_("We have received your order."))
    statuses = [p.status for p in live]
    delivered = sum(s == ParcelStatus.DELIVERED for s in statuses)
    total = len(live) + (1 if pending_lines else 0)
    suffix = ""
    if pending_lines:
        suffix = " " + str(_("Not yet shipped: %(items)s.") % {"items": missing})
    if delivered == len(live) and not pending_lines:
        if len(live) == 1:
            return "delivered", str(_("Your order has been delivered."))
        return "delivered", str(_("All %(n)d parcels have been delivered.") % {"n": len(live)})
    # attention first: what the shopper may have to act on
    for status, code, text in (
        (ParcelStatus.FAILED_ATTEMPT, "failed_attempt", _("A delivery attempt failed.")),
        (ParcelStatus.READY_FOR_PICKUP, "ready_for_pickup", _("A parcel is ready for pickup.")),
        (ParcelStatus.EXCEPTION, "exception", _("There is a problem with a delivery.")),
        (ParcelStatus.RETURNED, "returned", _("A parcel is on its way back to us.")),
    ):
        if status in statuses:
            return code, str(text) + suffix
    if any(is_delayed(p, today) for p in live):
        return "delayed", str(_("Your delivery is running late.")) + suffix
    if delivered:
        out = statuses.count(ParcelStatus.OUT_FOR_DELIVERY)
        if out and not pending_lines:
            suffix = " " + ngettext(
                "%(n)d more out for delivery today.", "%(n)d more out for delivery today.", out
            ) % {"n": out}
        return "partially_delivered", _counted(
            "partially_delivered", delivered, len(live) + (1 if pending_lines else 0)
        ) + "." + suffix
    if pending_lines:
        return "partially_shipped", _counted("partially_shipped", len(live), total) + "." + suffix
    out = statuses.count(ParcelStatus.OUT_FOR_DELIVERY)
    if out == len(live):
        return "out_for_delivery", str(_("Your order is out for delivery today."))
    if out:  # a split order: say how many, never "your order" for part of it
        return "out_for_delivery", ngettext(
            "%(done)d of %(total)d parcel out for delivery today.",
            "%(done)d of %(total)d parcels out for delivery today.", len(live),
        ) % {"done": out, "total": len(live)}
    if ParcelStatus.IN_TRANSIT in statuses:
        return "in_transit", str(_("Your order is on its way."))
    return "shipped", str(_("Your order has been shipped."))


# --- writer ---------------------------------------------------------------------------------


def parcel_milestone_rows(parcel: Parcel, at: datetime | None = None) -> list[Milestone]:
    """Unsaved milestone rows for every step the parcel's status implies."""
    at = at or parcel.last_event_at or timezone.now()
    reached = _REACHED.get(parcel.status, 1)
    times = {"shipped": parcel.shipped_at, "in_transit": parcel.first_scan_at,
             "delivered": parcel.delivered_at}
    kinds = [(kind, times.get(kind) or at) for kind in PARCEL_PATH[:reached]]
    side = _SIDE.get(parcel.status)
    if side:
        kinds.append((side, at))
    order_id = str(parcel.order_id)
    return [
        Milestone(key=f"{order_id}:{parcel.pk}:{kind}", order_id=order_id, parcel=parcel,
                  kind=kind, occurred_at=when)
        for kind, when in kinds
    ]


def store_milestones(rows: list[Milestone]) -> list[Milestone]:
    """Insert the rows not recorded yet (one statement for any number); returns the new ones."""
    if not rows:
        return []
    from ..core.bulk import insert_ignore

    unique = list({r.key: r for r in rows}.values())
    inserted = insert_ignore(unique, returning="key")
    if inserted is None:  # not PostgreSQL: ask which keys exist, then insert the rest
        existing = set(
            Milestone.objects.filter(key__in=[r.key for r in unique]).values_list("key",
                                                                                   flat=True)
        )
        new = [r for r in unique if r.key not in existing]
        Milestone.objects.bulk_create(new, ignore_conflicts=True)
        return new
    return [r for r in unique if r.key in inserted]


def record_milestones(ctx: Context) -> None:
    """Record the order-wide and parcel milestones reached so far (idempotent; two queries:
    the order's parcels, then one insert of what is new)."""
    t, order_id = ctx.tracked, str(ctx.order.id)

    def order_row(kind: str, at: datetime) -> Milestone:
        return Milestone(key=f"{order_id}:-:{kind}", order_id=order_id, parcel=None, kind=kind,
                         occurred_at=at)

    rows = [order_row("received", t.placed_at)]
    if t.paid_at:
        rows.append(order_row("paid", t.paid_at))
        if not t.cancelled_at:
            rows.append(order_row("preparing", t.paid_at))
    for parcel in Parcel.objects.filter(order_id=order_id):
        rows += parcel_milestone_rows(parcel)
    if t.cancelled_at:
        rows.append(order_row("cancelled", t.cancelled_at))
    if t.refunded_at:
        rows.append(order_row("refunded", t.refunded_at))
    store_milestones(rows)
