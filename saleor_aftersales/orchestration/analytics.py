"""KPIs from our own rows: parcels, punctuality, notifications, engagement and ratings.

One function, :func:`channel_kpis`, answers the staff API and any report with a fixed number
of aggregate queries (no per-row work).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from ..core.parcel_status import ParcelStatus
from ..models import EngagementEvent, NotificationLog, Parcel, Review

DEFAULT_PERIOD = timedelta(days=30)


@dataclass(frozen=True)
class Kpis:
    """Key figures of one channel between ``since`` (inclusive) and ``until`` (exclusive)."""

    channel_slug: str
    since: datetime
    until: datetime
    parcels_by_status: dict[str, int]  # parcels shipped in the period, by current status
    delivered_parcels: int  # delivered in the period
    on_time_rate: float | None  # of those with a promised date: delivered by it
    notifications_sent: int
    notifications_opened: int  # sent notifications with at least one open
    notifications_clicked: int  # sent notifications with at least one click
    page_views: int
    widget_views: int
    buy_again_checkouts: int  # checkouts created by buy again (kind BUY_AGAIN)
    buy_again_orders: int  # buy-again checkouts that became orders (kind BUY_AGAIN_CHECKOUT)
    buy_again_rate: float | None  # buy-again checkouts per status page view
    ratings_count: int
    rating_average: float | None
    ratings: dict[int, int]  # stars → count, 1..5 always present


def channel_kpis(
    channel_slug: str, since: datetime | None = None, until: datetime | None = None
) -> Kpis:
    """KPIs of ``channel_slug``; the period defaults to the last 30 days."""
    until = until or timezone.now()
    since = since or until - DEFAULT_PERIOD
    if since > until:
        raise ValueError("the period starts after it ends")

    by_status = dict(
        Parcel.objects.filter(
            channel_slug=channel_slug, shipped_at__gte=since, shipped_at__lt=until
        )
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    delivered = Parcel.objects.filter(
        channel_slug=channel_slug,
        status=ParcelStatus.DELIVERED,
        delivered_at__gte=since,
        delivered_at__lt=until,
    ).aggregate(
        total=Count("id"),
        promised=Count("id", filter=Q(promised_delivery__isnull=False)),
        on_time=Count(
            "id",
            filter=Q(
                promised_delivery__isnull=False, delivered_at__date__lte=F("promised_delivery")
            ),
        ),
    )
    sent = NotificationLog.objects.filter(
        channel_slug=channel_slug,
        state=NotificationLog.State.SENT,
        sent_at__gte=since,
        sent_at__lt=until,
    ).aggregate(
        sent=Count("id", distinct=True),
        opened=Count("id", filter=Q(engagement__kind=EngagementEvent.Kind.OPEN), distinct=True),
        clicked=Count("id", filter=Q(engagement__kind=EngagementEvent.Kind.CLICK), distinct=True),
    )
    Kind = EngagementEvent.Kind
    events = EngagementEvent.objects.filter(
        channel_slug=channel_slug, created_at__gte=since, created_at__lt=until
    ).aggregate(
        page_views=Count("id", filter=Q(kind=Kind.PAGE_VIEW)),
        widget_views=Count("id", filter=Q(kind=Kind.WIDGET_VIEW)),
        checkouts=Count("id", filter=Q(kind=Kind.BUY_AGAIN)),
        orders=Count("id", filter=Q(kind=Kind.BUY_AGAIN_CHECKOUT)),
    )
    reviews = Review.objects.filter(
        channel_slug=channel_slug, updated_at__gte=since, updated_at__lt=until
    )
    stars = dict(reviews.values_list("rating").annotate(n=Count("id")).order_by())
    average = reviews.aggregate(avg=Avg("rating"))["avg"]

    return Kpis(
        channel_slug=channel_slug,
        since=since,
        until=until,
        parcels_by_status=by_status,
        delivered_parcels=delivered["total"],
        on_time_rate=(
            delivered["on_time"] / delivered["promised"] if delivered["promised"] else None
        ),
        notifications_sent=sent["sent"],
        notifications_opened=sent["opened"],
        notifications_clicked=sent["clicked"],
        page_views=events["page_views"],
        widget_views=events["widget_views"],
        buy_again_checkouts=events["checkouts"],
        buy_again_orders=events["orders"],
        buy_again_rate=(
            events["checkouts"] / events["page_views"] if events["page_views"] else None
        ),
        ratings_count=sum(stars.values()),
        rating_average=round(float(average), 2) if average is not None else None,
        ratings={n: stars.get(n, 0) for n in range(1, 6)},
    )
