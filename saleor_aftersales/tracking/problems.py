"""Delivery problems, each recorded once by key, for notifications and the owner's list.

``check_parcel`` looks at one parcel (status side paths, no first scan, overdue);
``detect_problems`` sweeps every open parcel and unshipped order. After a problem is
recorded, ``notifications.rules.on_problem(problem)`` is called when it exists.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..config import AftersalesConfig
from ..core import signals
from ..core.parcel_status import TERMINAL_STATUSES, ParcelStatus, due_date
from ..models import Parcel, Problem, TrackedOrder
from .eta import add_business_days

logger = logging.getLogger(__name__)

Kind = Problem.Kind

STATUS_PROBLEMS: dict[str, str] = {
    ParcelStatus.EXCEPTION: Kind.EXCEPTION,
    ParcelStatus.FAILED_ATTEMPT: Kind.FAILED_ATTEMPT,
    ParcelStatus.RETURNED: Kind.RETURNED,
}


def record(
    kind: str,
    *,
    order_id,
    channel_slug: str,
    parcel: Parcel | None = None,
    detail: str = "",
) -> Problem | None:
    """Record the problem once; returns it only when it is new (then notifications follow)."""
    key = f"{kind}:{parcel.pk if parcel else order_id}"
    try:
        with transaction.atomic():
            problem, created = Problem.objects.get_or_create(
                key=key,
                defaults={"order_id": order_id, "channel_slug": channel_slug, "parcel": parcel,
                          "kind": kind, "detail": detail[:2000]},
            )
    except IntegrityError:  # a concurrent worker recorded it first
        return None
    if not created:
        return None
    _notify(problem)
    return problem


def _notify(problem: Problem) -> None:
    """Announce a new problem (notifications apologise); never raises."""
    try:
        signals.problem_opened.send(sender=Problem, problem=problem)
    except Exception:  # a notification failure must not undo the detection
        logger.exception("aftersales: on_problem failed for %s", problem.key)


def is_overdue(parcel: Parcel, config: AftersalesConfig, today: date) -> bool:
    due = due_date(parcel)
    return due is not None and due + timedelta(days=config.delay_threshold_days) < today


def has_no_scan(parcel: Parcel, config: AftersalesConfig, now: datetime) -> bool:
    return (
        bool(parcel.tracking_number)
        and parcel.first_scan_at is None
        and parcel.status in (ParcelStatus.PENDING, ParcelStatus.LABEL_CREATED)
        and parcel.shipped_at + timedelta(days=config.no_scan_days) < now
    )


def check_parcel(
    parcel: Parcel, config: AftersalesConfig, now: datetime | None = None
) -> list[Problem]:
    """Record the problems the parcel shows now; returns the new ones."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    found: list[tuple[str, str]] = []
    if parcel.status in STATUS_PROBLEMS:
        found.append((STATUS_PROBLEMS[parcel.status], parcel.status_detail))
    if has_no_scan(parcel, config, now):
        found.append((Kind.NO_SCAN, f"No carrier scan since {parcel.shipped_at:%Y-%m-%d}."))
    if is_overdue(parcel, config, today):
        due = due_date(parcel)
        found.append((Kind.OVERDUE, f"Expected by {due:%Y-%m-%d}, not delivered."))
    new = []
    for kind, detail in found:
        problem = record(kind, order_id=parcel.order_id, channel_slug=parcel.channel_slug,
                         parcel=parcel, detail=detail)
        if problem:
            new.append(problem)
    return new


def resolve_delivered(parcel_ids: list[int], now: datetime | None = None) -> int:
    """Close open delay problems of these delivered parcels (one query; the caller drops
    the orders' cached views, as ``tracking.service`` does after applying carrier news)."""
    return Problem.objects.filter(
        parcel_id__in=parcel_ids, resolved_at__isnull=True, kind__in=(Kind.NO_SCAN, Kind.OVERDUE)
    ).update(resolved_at=now or timezone.now())


def check_unshipped(
    tracked: TrackedOrder, config: AftersalesConfig, now: datetime | None = None
) -> Problem | None:
    """Flag an order not shipped within the channel's handling time (business days)."""
    now = now or timezone.now()
    if tracked.shipped_at or tracked.cancelled_at:
        return None
    start = timezone.localtime(tracked.paid_at or tracked.placed_at).date()
    deadline = add_business_days(start, config.handling_time_days, "DE", saturday=False)
    if timezone.localtime(now).date() <= deadline:
        return None
    return record(Kind.UNSHIPPED, order_id=tracked.order_id, channel_slug=tracked.channel_slug,
                  detail=f"Not shipped by {deadline:%Y-%m-%d}.")


def detect_problems(now: datetime | None = None, get_config=None) -> list[Problem]:
    """Sweep open parcels and unshipped orders of every active channel; returns new problems."""
    from ..hosts import get_host

    now = now or timezone.now()
    get_config = get_config or get_host().get_config
    configs: dict[str, AftersalesConfig | None] = {}

    def config_for(slug: str) -> AftersalesConfig | None:
        if slug not in configs:
            configs[slug] = get_config(slug)
        return configs[slug]

    new: list[Problem] = []
    open_parcels = Parcel.tracked.exclude(status__in=TERMINAL_STATUSES).iterator(chunk_size=500)
    for parcel in open_parcels:
        config = config_for(parcel.channel_slug)
        if config and config.tracking_enabled:
            new += check_parcel(parcel, config, now)
    earliest = now - timedelta(days=1)
    unshipped = TrackedOrder.objects.filter(
        shipped_at__isnull=True, cancelled_at__isnull=True, placed_at__lt=earliest
    ).iterator(chunk_size=500)
    for tracked in unshipped:
        config = config_for(tracked.channel_slug)
        if config:
            problem = check_unshipped(tracked, config, now)
            if problem:
                new.append(problem)
    return new
