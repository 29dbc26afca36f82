"""Insights for the Aftersales page: the numbers behind each chart, over a period and channels.

Each chart is a list of :class:`Row` (grouped where a chart has one set of bars per carrier or
trigger). ``svg.py`` draws them; the same rows are the chart's data table and its CSV.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import EngagementEvent, NotificationLog, Parcel, Review, TrackedOrder
from ..tracking.numbers import carrier_name
from ..tracking.statuses import ParcelStatus
from .order import TRIGGERS

PERIODS = (7, 30, 90, 365)
BUCKETS = ("1", "2", "3", "4", "5", "6", "7+")


@dataclass(frozen=True)
class Row:
    label: str
    value: float  # what the bar shows: a share (0..1) or a count
    count: int  # how many it is based on
    group: str = ""


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    unit: str  # "share" (0..1, shown as %) or "count"
    rows: tuple[Row, ...]
    note: str = ""


def _delivered(channels: list[str], since):
    return Parcel.objects.filter(
        channel_slug__in=channels, status=ParcelStatus.DELIVERED, delivered_at__gte=since
    )


def on_time(channels: list[str], since) -> list[Chart]:
    """Share delivered by the promised date and by the first estimate, per carrier."""
    parcels = _delivered(channels, since).annotate(first_estimate=Min("estimates__estimated_date"))
    promised: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    estimated: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in parcels.only("carrier", "delivered_at", "promised_delivery"):
        day = timezone.localtime(p.delivered_at).date()
        name = carrier_name(p.carrier) or _("Unknown carrier")
        if p.promised_delivery:
            promised[name][0] += day <= p.promised_delivery
            promised[name][1] += 1
        if p.first_estimate:
            estimated[name][0] += day <= p.first_estimate
            estimated[name][1] += 1

    def rows(counts):
        return tuple(Row(name, ok / n, n) for name, (ok, n) in sorted(counts.items()))

    return [
        Chart("on_time_promised", _("On time against the promised date"), "share", rows(promised)),
        Chart(
            "on_time_estimated", _("On time against the first estimate"), "share", rows(estimated)
        ),
    ]


def _days(bucket: str) -> str:
    n = int(bucket.rstrip("+"))
    return ngettext("%(days)s day", "%(days)s days", n) % {"days": bucket}


def days_to_deliver(channels: list[str], since) -> Chart:
    """How many days from shipping to delivery, per carrier: the whole distribution."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BUCKETS, 0))
    for p in _delivered(channels, since).only("carrier", "shipped_at", "delivered_at"):
        days = max((p.delivered_at - p.shipped_at).days, 1)
        name = carrier_name(p.carrier) or _("Unknown carrier")
        counts[name][BUCKETS[min(days, 7) - 1]] += 1
    rows = []
    for name, buckets in sorted(counts.items()):
        total = sum(buckets.values())
        rows += [Row(_days(b), n / total, n, name) for b, n in buckets.items()]
    return Chart("days_to_deliver", _("Days to deliver, per carrier"), "share", tuple(rows))


def emails(channels: list[str], since) -> Chart:
    """Open and click rates of sent emails, per trigger."""
    sent = (
        NotificationLog.objects.filter(
            channel_slug__in=channels, state="sent", medium="email", sent_at__gte=since
        )
        .values("event")
        .annotate(
            sent=Count("id", distinct=True),
            opened=Count("id", distinct=True, filter=Q(engagement__kind="open")),
            clicked=Count("id", distinct=True, filter=Q(engagement__kind="click")),
        )
        .order_by("event")
    )
    rows = []
    for r in sent:
        group = f"{TRIGGERS.get(r['event'], r['event'])} ({r['sent']})"
        rows.append(Row(_("opened"), r["opened"] / r["sent"], r["sent"], group))
        rows.append(Row(_("clicked"), r["clicked"] / r["sent"], r["sent"], group))
    return Chart(
        "emails",
        _("Emails opened and clicked, per trigger"),
        "share",
        tuple(rows),
        _("In brackets: emails sent."),
    )


def visits(channels: list[str], since) -> Chart:
    """Status page and widget views per order: the proxy for "where is my order?" contacts."""
    orders = TrackedOrder.objects.filter(channel_slug__in=channels, placed_at__gte=since).count()
    views = EngagementEvent.objects.filter(channel_slug__in=channels, created_at__gte=since)
    page = views.filter(kind=EngagementEvent.Kind.PAGE_VIEW).count()
    widget = views.filter(kind=EngagementEvent.Kind.WIDGET_VIEW).count()
    return Chart(
        "visits",
        _("Visits per order"),
        "count",
        (
            Row(_("Status page"), page / orders if orders else 0, page),
            Row(_("Widget"), widget / orders if orders else 0, widget),
        ),
        _("Orders placed in the period: %(n)s.") % {"n": orders},
    )


def ratings(channels: list[str], since) -> Chart:
    stars = dict(
        Review.objects.filter(channel_slug__in=channels, updated_at__gte=since)
        .values_list("rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Chart(
        "ratings",
        _("Ratings"),
        "count",
        tuple(
            Row(
                ngettext("%(n)s star", "%(n)s stars", n) % {"n": n},
                stars.get(n, 0),
                stars.get(n, 0),
            )
            for n in range(5, 0, -1)
        ),
    )


def charts(channels: list[str], days: int) -> list[Chart]:
    """Every chart for ``channels`` over the last ``days`` days."""
    since = timezone.now() - timedelta(days=days)
    return [
        *on_time(channels, since),
        days_to_deliver(channels, since),
        emails(channels, since),
        visits(channels, since),
        ratings(channels, since),
    ]
