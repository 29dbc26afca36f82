"""Estimated delivery: the carrier's own estimate, else business days with holidays,
refined by the shop's delivered history per carrier and destination country.

``estimate(parcel)`` answers an :class:`Estimate`; ``apply_estimate(parcel, est)`` stores
it (every new estimate is kept as an :class:`~saleor_aftersales.models.EtaEstimate` row)
and never moves the shown date earlier on our own guess — only the carrier may.
``promise(parcel)`` is the conservative date recorded once at shipment.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

from ..core import shared_cache
from ..core.parcel_status import ParcelStatus
from ..core.shared_cache import cache
from ..models import EtaEstimate, Parcel

#: Business days in transit (typical, slow) per carrier and destination; "*" is the fallback.
TRANSIT_DAYS: dict[str, dict[str, tuple[int, int]]] = {
    "dhl": {"DE": (1, 2), "AT": (2, 4), "*": (3, 6)},
    "deutsche_post": {"DE": (1, 3), "*": (4, 10)},
    "dhl_express": {"*": (1, 3)},
    "dpd": {"DE": (1, 2), "AT": (2, 3), "*": (3, 5)},
    "hermes": {"DE": (2, 3), "*": (4, 7)},
    "gls": {"DE": (1, 2), "*": (3, 5)},
    "ups": {"US": (1, 5), "*": (2, 5)},
    "fedex": {"US": (1, 5), "*": (2, 5)},
    "usps": {"US": (2, 5), "*": (6, 15)},
    "postnl": {"NL": (1, 2), "BE": (2, 3), "*": (3, 7)},
    "royal_mail": {"GB": (1, 3), "*": (4, 10)},
    "austrian_post": {"AT": (1, 3), "*": (3, 7)},
    "swiss_post": {"CH": (1, 2), "*": (3, 7)},
    "*": {"*": (2, 5)},
}
#: Carriers that deliver parcels on Saturdays.
SATURDAY_DELIVERY: frozenset[str] = frozenset(
    {"dhl", "deutsche_post", "dpd", "hermes", "gls", "usps", "postnl", "royal_mail",
     "austrian_post"}
)
HISTORY_MIN_DELIVERIES = 20
HISTORY_WINDOW = 500


@dataclass(frozen=True)
class Estimate:
    date: date
    source: str  # "carrier", "history", "table"
    confidence: float | None = None
    latest: date | None = None  # the slow case (90th percentile / table maximum)


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[date]:
    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except (NotImplementedError, KeyError):
        return frozenset()


def is_delivery_day(day: date, country: str, saturday: bool) -> bool:
    if day.weekday() == 6 or (day.weekday() == 5 and not saturday):
        return False
    return day not in _holidays((country or "DE").upper(), day.year)


def add_business_days(start: date, days: int, country: str, saturday: bool = False) -> date:
    """The date ``days`` delivery days after ``start`` (Sundays and holidays skipped)."""
    day = start
    remaining = max(days, 0)
    while remaining > 0:
        day += timedelta(days=1)
        if is_delivery_day(day, country, saturday):
            remaining -= 1
    while not is_delivery_day(day, country, saturday):
        day += timedelta(days=1)
    return day


def business_days_between(start: date, end: date, country: str, saturday: bool) -> int:
    """Delivery days after ``start`` up to and including ``end``."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_delivery_day(day, country, saturday):
            count += 1
    return count


def table_days(carrier: str, country: str) -> tuple[int, int]:
    lanes = TRANSIT_DAYS.get(carrier or "*", TRANSIT_DAYS["*"])
    return lanes.get((country or "").upper(), lanes.get("*", TRANSIT_DAYS["*"]["*"]))


def _percentile(values: list[int], q: float) -> int:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def lane_history(carrier: str, country: str) -> tuple[int, int, int] | None:
    """``(median, p90, count)`` business days of the lane's deliveries, once ≥ 20 exist.

    Cached for an hour in the shared cache (every worker reuses it).
    """
    key = f"aftersales:eta:lane:{carrier}:{country}"
    cached = shared_cache.attempt(lambda: cache.get(key), lambda: None)  # outage: a miss
    if cached is not None:
        return tuple(cached) if cached else None
    rows = list(
        Parcel.objects.filter(
            carrier=carrier, destination_country=country, status=ParcelStatus.DELIVERED,
            delivered_at__isnull=False,
        )
        .order_by("-delivered_at")
        .values_list("shipped_at", "delivered_at")[:HISTORY_WINDOW]
    )
    result = None
    if len(rows) >= HISTORY_MIN_DELIVERIES:
        saturday = carrier in SATURDAY_DELIVERY
        days = [
            business_days_between(_local(s), _local(d), country, saturday) for s, d in rows
        ]
        result = (int(statistics.median_low(days)), _percentile(days, 0.9), len(rows))
    shared_cache.attempt(lambda: cache.set(key, list(result) if result else [], timeout=3600),
                         lambda: None)
    return result


def _local(value: datetime) -> date:
    return timezone.localtime(value).date()


def estimate(parcel: Parcel, carrier_estimate: date | None = None) -> Estimate:
    """The best estimate for the parcel now: carrier, else history, else the table."""
    if carrier_estimate:
        return Estimate(carrier_estimate, "carrier", 0.8, carrier_estimate)
    carrier = parcel.carrier or "*"
    country = (parcel.destination_country or "DE").upper()
    saturday = carrier in SATURDAY_DELIVERY
    start = _local(parcel.shipped_at or timezone.now())
    history = lane_history(carrier, country) if parcel.carrier else None
    if history:
        median, p90, count = history
        return Estimate(
            add_business_days(start, median, country, saturday),
            "history",
            round(min(0.5 + count / 400, 0.9), 2),
            add_business_days(start, p90, country, saturday),
        )
    fast, slow = table_days(carrier, country)
    return Estimate(
        add_business_days(start, fast, country, saturday),
        "table",
        0.5,
        add_business_days(start, slow, country, saturday),
    )


def promise(parcel: Parcel) -> date:
    """The conservative date to promise at shipment (slow case of history or table)."""
    est = estimate(parcel)
    return est.latest or est.date


def apply_estimate(
    parcel: Parcel, est: Estimate, collect: list[EtaEstimate] | None = None
) -> list[str]:
    """Set the shown estimate; return the changed field names (caller saves the parcel).

    A carrier estimate is taken as is; our own guesses never move the date earlier.
    Every change is kept as an ``EtaEstimate`` row (appended to ``collect`` for a bulk
    insert when given, else saved now); the promised date is set only once.
    """
    changed: list[str] = []
    if parcel.promised_delivery is None:
        parcel.promised_delivery = est.latest or est.date
        changed.append("promised_delivery")
    current = parcel.estimated_delivery
    if est.source != "carrier" and current and parcel.estimate_source == "carrier":
        return changed  # the carrier's word beats our guess
    if est.source != "carrier" and current and est.date < current:
        return changed  # never earlier on a guess
    if current == est.date and parcel.estimate_source == est.source:
        return changed
    parcel.estimated_delivery = est.date
    parcel.estimate_source = est.source
    parcel.estimate_confidence = est.confidence
    changed += ["estimated_delivery", "estimate_source", "estimate_confidence"]
    row = EtaEstimate(parcel=parcel, estimated_date=est.date, source=est.source,
                      confidence=est.confidence)
    if collect is not None:
        collect.append(row)
    elif parcel.pk:
        row.save()
    return changed


def accuracy(channel_slug: str | None = None) -> dict[str, dict[str, float]]:
    """Per estimate source: how many estimates, share on time (delivered by the date) and
    mean absolute error in days, over delivered parcels."""
    qs = EtaEstimate.objects.filter(parcel__delivered_at__isnull=False)
    if channel_slug:
        qs = qs.filter(parcel__channel_slug=channel_slug)
    report: dict[str, dict[str, float]] = {}
    buckets: dict[str, list[int]] = {}
    for source, estimated, delivered in qs.values_list(
        "source", "estimated_date", "parcel__delivered_at"
    ):
        buckets.setdefault(source, []).append((_local(delivered) - estimated).days)
    for source, errors in buckets.items():
        report[source] = {
            "count": len(errors),
            "on_time": round(sum(e <= 0 for e in errors) / len(errors), 3),
            "mean_abs_days": round(sum(abs(e) for e in errors) / len(errors), 2),
        }
    return report
