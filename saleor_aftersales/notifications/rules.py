"""Event → message: which notification an order, parcel or problem event triggers.

Rules only decide and queue (``delivery.queue``: one row per medium, trigger, order and
parcel, so repeated hooks, tasks and webhooks queue nothing new); the send task re-checks
switches and consent at delivery time. Nothing is queued while emails are switched off.

Callers:
- ``orchestration.lifecycle._react`` → :func:`on_lifecycle_event` after parcels were synced;
- ``tracking`` announces (``core.signals``, connected by :func:`connect_signals`): a parcel's
  status changed → :func:`on_parcel_status`; parcels delivered →
  :func:`schedule_review_requests`; a new problem → :func:`on_problem`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from ..config import AftersalesConfig
from ..core import signals
from ..core.parcel_status import TERMINAL_STATUSES, ParcelStatus
from ..engagement.reviews import review_blocker
from ..hosts import get_host
from ..models import Parcel, Problem, ReviewRequest
from . import delivery

if TYPE_CHECKING:
    from ..hosts.context import Context

logger = logging.getLogger(__name__)

CONFIRMATION_EVENTS = frozenset({"order_created", "order_confirmed", "order_paid",
                                 "order_fully_paid"})
SHIPPING_EVENTS = frozenset({"fulfillment_created", "fulfillment_approved",
                             "tracking_number_updated", "order_fulfilled"})
#: Parcel status → trigger. ``in_transit`` sends the shipped email if none went out yet.
STATUS_TRIGGERS: dict[str, str] = {
    ParcelStatus.IN_TRANSIT: "shipped",
    ParcelStatus.OUT_FOR_DELIVERY: "out_for_delivery",
    ParcelStatus.DELIVERED: "delivered",
    ParcelStatus.READY_FOR_PICKUP: "ready_for_pickup",
}
#: Problems the shopper hears about (an apology); the rest only reach the staff digest.
APOLOGY_PROBLEMS = frozenset({Problem.Kind.OVERDUE, Problem.Kind.EXCEPTION,
                              Problem.Kind.FAILED_ATTEMPT, Problem.Kind.NO_SCAN,
                              Problem.Kind.UNSHIPPED})


def _wanted(config: AftersalesConfig | None, event: str) -> bool:
    return bool(config and config.active and event in config.enabled_email_events)


def _queue(config: AftersalesConfig, event: str, order_id: str, parcel: Parcel | None = None):
    delivery.queue(config, event, order_id=order_id, parcel=parcel)
    if config.sms_enabled and event in ("out_for_delivery", "ready_for_pickup", "delay"):
        delivery.queue(config, event, order_id=order_id, parcel=parcel, medium="sms")


def on_lifecycle_event(ctx: Context, event: str, changed_parcels: list[Parcel]) -> None:
    """Queue the messages an event triggers; sends nothing while emails are switched off."""
    config, order = ctx.config, ctx.order
    if event in ("order_cancelled", "order_refunded"):
        ReviewRequest.objects.filter(order_id=order.id, sent_at__isnull=True).update(
            cancelled=True
        )
        return
    if not config.enabled_email_events:
        return
    if (
        event in CONFIRMATION_EVENTS
        and config.confirmation_mode == "replace"
        and _wanted(config, "order_confirmation")
        and order.status not in ("unconfirmed", "draft")
        and not order.is_cancelled
    ):
        _queue(config, "order_confirmation", order.id)
    if event in SHIPPING_EVENTS and _wanted(config, "shipped") and not order.is_cancelled:
        # Not only the parcels this event changed: another event's task may have synced the
        # parcel first (tasks run out of order, e.g. after an outage). The key sends it once.
        parcels = {p.pk: p for p in changed_parcels}
        for parcel in Parcel.objects.filter(order_id=order.id).exclude(
            status__in=TERMINAL_STATUSES
        ):
            parcels.setdefault(parcel.pk, parcel)
        for parcel in parcels.values():
            if parcel.tracking_number and parcel.status != ParcelStatus.CANCELLED:
                _queue(config, "shipped", order.id, parcel)


def on_parcel_status(
    parcel: Parcel,
    old_status: str,
    new_status: str,
    config: AftersalesConfig | None = None,
    *,
    reviews: bool = True,
) -> None:
    """A parcel's status changed (carrier poll, push or staff): queue its message.

    ``config`` is the parcel's channel configuration when the caller holds it already
    (a poll batch); otherwise it is loaded. ``reviews=False``: the caller schedules review
    requests itself, for a whole batch (:func:`schedule_review_requests`).
    """
    if old_status == new_status:
        return
    config = config or get_host().get_config(parcel.channel_slug)
    if config is None or not config.active:
        return
    if new_status == ParcelStatus.DELIVERED and reviews:
        schedule_review_requests([(config, str(parcel.order_id))])
    trigger = STATUS_TRIGGERS.get(new_status)
    if trigger and _wanted(config, trigger):
        _queue(config, trigger, str(parcel.order_id), parcel)


def on_problem(problem: Problem) -> None:
    """A new delivery problem: apologise to the shopper (once per parcel or order); a return
    parcel's problem is the shop's to follow (problem queue, staff digest), not an apology."""
    if problem.kind not in APOLOGY_PROBLEMS:
        return
    if problem.parcel_id and problem.parcel.direction == Parcel.Direction.RETURN:
        return
    config = get_host().get_config(problem.channel_slug)
    if not _wanted(config, "delay"):
        return
    _queue(config, "delay", str(problem.order_id), problem.parcel)


def schedule_review_requests(items: list[tuple[AftersalesConfig, str]]) -> int:
    """Once every live parcel of an order is delivered, ask for a review
    ``review_delay_days`` after the last delivery (once per order; reviews switched on).

    ``items`` are ``(config, order id)`` of orders with a parcel that was just delivered; any
    number of them in two statements. Returns how many requests were created.
    """
    from django.db.models import Count, Max, Q

    from ..core.bulk import insert_ignore

    wanted = {
        order_id: config for config, order_id in items if config.active and config.reviews_enabled
    }
    if not wanted:
        return 0
    rows = (
        Parcel.objects.filter(order_id__in=list(wanted))
        .exclude(status=ParcelStatus.CANCELLED)
        .values("order_id")
        .annotate(
            open=Count("id", filter=~Q(status=ParcelStatus.DELIVERED)),
            undated=Count("id", filter=Q(delivered_at__isnull=True)),
            last=Max("delivered_at"),
        )
    )
    now = timezone.now()
    requests = []
    for row in rows:
        if row["open"]:
            continue
        config = wanted[str(row["order_id"])]
        delivered = now if row["undated"] or row["last"] is None else row["last"]
        requests.append(ReviewRequest(
            order_id=row["order_id"], channel_slug=config.channel_slug,
            due_at=delivered + timedelta(days=config.review_delay_days),
        ))
    created = insert_ignore(requests, returning="order_id")
    return len(created) if created is not None else len(requests)


def send_due_review_requests(now=None, limit: int = 500) -> int:
    """Queue the review requests that are due; returns how many were queued."""
    now = now or timezone.now()
    host = get_host()
    due = ReviewRequest.objects.filter(
        due_at__lte=now, sent_at__isnull=True, cancelled=False
    ).order_by("due_at")[:limit]
    queued = 0
    for request in due:
        config = host.get_config(request.channel_slug)
        if not _wanted(config, "review_request"):
            continue
        reason = review_blocker(str(request.order_id), cancelled=False)
        if reason:
            request.cancelled = True
            request.save(update_fields=["cancelled"])
            continue
        if delivery.queue(config, "review_request", order_id=str(request.order_id)):
            queued += 1
    return queued


def send_staff_digests(now=None) -> int:
    """Queue one digest per channel and day with open problems nobody was told about."""
    now = now or timezone.now()
    host = get_host()
    channels = (
        Problem.objects.filter(resolved_at__isnull=True, notified_at__isnull=True)
        .values_list("channel_slug", flat=True)
        .distinct()
    )
    queued = 0
    for slug in channels:
        config = host.get_config(slug)
        if not _wanted(config, "staff_digest") or not config.staff_email:
            continue
        scope = f"{slug}:{now.date().isoformat()}"
        if delivery.queue(config, "staff_digest", order_id=None, scope=scope):
            queued += 1
    return queued


# --- tracking's announcements (core.signals) ----------------------------------------------


def _status_changed(sender, parcel: Parcel, old_status: str, config, **kwargs) -> None:
    on_parcel_status(parcel, old_status, parcel.status, config, reviews=False)


def _delivered(sender, items: list[tuple[AftersalesConfig, str]], **kwargs) -> None:
    schedule_review_requests(items)


def _problem_opened(sender, problem: Problem, **kwargs) -> None:
    on_problem(problem)


def connect_signals() -> None:
    """Listen to tracking's announcements (from the app's ``ready``; idempotent)."""
    signals.parcel_status_changed.connect(_status_changed, dispatch_uid="aftersales-rules-status")
    signals.parcels_delivered.connect(_delivered, dispatch_uid="aftersales-rules-delivered")
    signals.problem_opened.connect(_problem_opened, dispatch_uid="aftersales-rules-problem")
