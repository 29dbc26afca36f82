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

from ..core.parcel_status import ParcelStatus
from ..models import EngagementEvent, NotificationLog, Parcel, Review, TrackedOrder
from ..tracking.numbers import carrier_name
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


def estimate_accuracy(channels: list[str], since) -> list[Chart]:
    """The first estimate against the delivery, per carrier and destination country: the
    share within one business day, and the mean error in days (+ late, - early)."""
    from ..tracking.eta import business_days_between

    parcels = _delivered(channels, since).annotate(first_estimate=Min("estimates__estimated_date"))
    errors: dict[str, list[int]] = defaultdict(list)
    for p in parcels.only("carrier", "delivered_at", "destination_country"):
        if not p.first_estimate:
            continue
        day = timezone.localtime(p.delivered_at).date()
        country = p.destination_country or "DE"
        late = day >= p.first_estimate
        early, later = sorted((day, p.first_estimate))
        off = business_days_between(early, later, country, saturday=False)
        lane = f"{carrier_name(p.carrier) or _('Unknown carrier')} → {country}"
        errors[lane].append(off if late else -off)
    within = tuple(
        Row(lane, sum(abs(e) <= 1 for e in found) / len(found), len(found))
        for lane, found in sorted(errors.items())
    )
    mean = tuple(
        Row(lane, sum(found) / len(found), len(found)) for lane, found in sorted(errors.items())
    )
    return [
        Chart("estimate_within", _("Estimates within one business day"), "share", within),
        Chart(
            "estimate_error",
            _("Mean estimate error in business days"),
            "count",
            mean,
            _("Positive: later than estimated; negative: earlier."),
        ),
    ]


def _p_value(a_hits: int, a_n: int, b_hits: int, b_n: int) -> float:
    """Two-sided two-proportion z-test (1.0 when there is nothing to compare)."""
    import math

    if not a_n or not b_n:
        return 1.0
    pooled = (a_hits + b_hits) / (a_n + b_n)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / a_n + 1 / b_n))
    if spread == 0:
        return 1.0
    z = abs(a_hits / a_n - b_hits / b_n) / spread
    return math.erfc(z / math.sqrt(2))


def subject_tests(channels: list[str]) -> Chart:
    """A/B subject lines: open rate per variant and whether the difference is significant."""
    from ..notifications.experiments import report

    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for slug in channels:
        for stats in report(slug):
            totals[stats.event, stats.variant][0] += stats.opened
            totals[stats.event, stats.variant][1] += stats.sent
    rows = []
    for event in sorted({e for e, _v in totals}):
        variants = sorted(v for e, v in totals if e == event)
        if len(variants) < 2:
            continue
        (a_hits, a_n), (b_hits, b_n) = totals[event, variants[0]], totals[event, variants[1]]
        p = _p_value(a_hits, a_n, b_hits, b_n)
        verdict = _("significant") if p < 0.05 else _("not significant")
        group = f"{TRIGGERS.get(event, event)}: p = {p:.3f} ({verdict})"
        for variant in variants:
            hits, n = totals[event, variant]
            rows.append(Row(_("variant %(v)s opened") % {"v": variant}, hits / n, n, group))
    return Chart(
        "subject_tests",
        _("Subject line tests"),
        "share",
        tuple(rows),
        _("Two-proportion z-test of the open rates; p below 0.05 is significant."),
    )


def buy_again(channels: list[str], since) -> Chart:
    views = EngagementEvent.objects.filter(channel_slug__in=channels, created_at__gte=since)
    kind = EngagementEvent.Kind
    checkouts = views.filter(kind=kind.BUY_AGAIN).count()
    orders = views.filter(kind=kind.BUY_AGAIN_CHECKOUT).count()
    return Chart(
        "buy_again",
        _("Buy again"),
        "count",
        (
            Row(_("Checkouts"), checkouts, checkouts),
            Row(_("Orders"), orders, orders),
        ),
    )


def charts(channels: list[str], days: int) -> list[Chart]:
    """Every chart for ``channels`` over the last ``days`` days."""
    since = timezone.now() - timedelta(days=days)
    return [
        *on_time(channels, since),
        *estimate_accuracy(channels, since),
        days_to_deliver(channels, since),
        emails(channels, since),
        subject_tests(channels),
        visits(channels, since),
        buy_again(channels, since),
        ratings(channels, since),
    ]
