"""Whether and when to ask a carrier about a parcel: the adaptive schedule behind polling.

Checks fall on slots in the destination's local time rather than drifting with the moment a
label happened to be created:

- an **evening slot** (``EVENING``) after the delivery rounds, once per delivery day, sees the
  whole day's news in one call (pending, label only, in transit, ready for pickup);
- a **morning probe** (``MORNING``) on the estimated delivery day, after the out-for-delivery
  scans, so the shopper hears "out for delivery today" while it is still news; an estimate
  days away is waited for (at most ``MAX_WAIT``) instead of asking every day;
- short fixed intervals while something is happening (out for delivery, exception, failed
  attempt).

Days the carrier does not deliver on (Sundays, public holidays, and Saturdays for carriers
without Saturday delivery) get no daily check: the next delivery day's check sees the same
news. Nothing is scheduled after delivery, for parcels with push updates, or after
``polling_idle_days`` without news.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from ..config import AftersalesConfig
from ..core.parcel_status import ParcelStatus
from ..models import Parcel
from .carriers import client_for
from .eta import SATURDAY_DELIVERY, is_delivery_day


def can_poll(parcel: Parcel, config: AftersalesConfig) -> bool:
    """Whether some configured API could follow this parcel."""
    return (
        config.tracking_enabled
        and bool(parcel.tracking_number)
        and not parcel.tracking_number.startswith(("http://", "https://"))
        and not parcel.push_updates
        and not parcel.is_terminal
        and client_for(parcel.carrier or None, config) is not None
    )


#: Hours between checks while something is happening; other statuses use daily slots.
SHORT_INTERVAL_HOURS: dict[str, float] = {
    ParcelStatus.OUT_FOR_DELIVERY: 2,
    ParcelStatus.EXCEPTION: 12,
    ParcelStatus.FAILED_ATTEMPT: 12,
}
EVENING = time(20, 0)
MORNING = time(9, 0)
#: A daily check comes at least this long after the previous one (a late probe still
#: reaches the same day's evening slot).
MIN_DAILY_GAP = timedelta(hours=8)
#: The morning probe is skipped when it would come sooner than this.
MIN_PROBE_GAP = timedelta(hours=4)
#: In transit, an estimate days away is waited for, checking about every 3 days (an
#: evening check is dropped when the probe follows the next morning).
MAX_WAIT = timedelta(hours=72)
FIRST_CHECK_DELAY = timedelta(hours=12)  # labels are scanned by the carrier overnight
#: Statuses for which the estimated morning is worth a probe.
PROBE_STATUSES = frozenset(
    {ParcelStatus.PENDING, ParcelStatus.LABEL_CREATED, ParcelStatus.IN_TRANSIT}
)
#: Local time of a destination country (the US: Central time); others use Django's zone.
COUNTRY_ZONES: dict[str, str] = {
    "DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich",
    "NL": "Europe/Amsterdam", "BE": "Europe/Brussels", "LU": "Europe/Luxembourg",
    "FR": "Europe/Paris", "IT": "Europe/Rome", "ES": "Europe/Madrid", "PL": "Europe/Warsaw",
    "CZ": "Europe/Prague", "DK": "Europe/Copenhagen", "SE": "Europe/Stockholm",
    "GB": "Europe/London", "IE": "Europe/Dublin", "US": "America/Chicago",
}


def _zone(parcel: Parcel):
    name = COUNTRY_ZONES.get((parcel.destination_country or "").upper())
    return ZoneInfo(name) if name else timezone.get_current_timezone()


def _delivers(parcel: Parcel, day: date) -> bool:
    saturday = (parcel.carrier or "") in SATURDAY_DELIVERY
    return is_delivery_day(day, parcel.destination_country or "DE", saturday)


def evening_slot(parcel: Parcel, not_before: datetime) -> datetime:
    """The first evening slot at or after ``not_before`` on a day the carrier delivers."""
    zone = _zone(parcel)
    day = not_before.astimezone(zone).date()
    for _ in range(21):  # three weeks always hold a delivery day
        slot = datetime.combine(day, EVENING, tzinfo=zone)
        if slot >= not_before and _delivers(parcel, day):
            return slot
        day += timedelta(days=1)
    return not_before + timedelta(hours=24)


def morning_probe(parcel: Parcel) -> datetime | None:
    """The estimated delivery day's morning, for statuses before out-for-delivery."""
    if parcel.status not in PROBE_STATUSES or not parcel.estimated_delivery:
        return None
    return datetime.combine(parcel.estimated_delivery, MORNING, tzinfo=_zone(parcel))


def _daily(parcel: Parcel, now: datetime, gap: timedelta) -> datetime:
    wait = evening_slot(parcel, now + gap)
    probe = morning_probe(parcel)
    if probe is None or probe < now + MIN_PROBE_GAP:
        return wait
    if probe < wait:
        return probe  # the expected day's morning comes before the next evening
    if parcel.status == ParcelStatus.IN_TRANSIT:  # in transit: wait for the day, within reason
        cap = evening_slot(parcel, now + MAX_WAIT - timedelta(hours=12))
        return probe if probe <= cap + timedelta(hours=24) else cap  # no check the eve before
    return wait


def first_check(parcel: Parcel, now: datetime) -> datetime:
    """The first look at a new tracking number (after the carrier's first scans)."""
    return _daily(parcel, now, FIRST_CHECK_DELAY)


def next_check(parcel: Parcel, config: AftersalesConfig, now: datetime) -> datetime | None:
    """When to ask the carrier again, or ``None`` to stop."""
    if parcel.is_terminal or parcel.push_updates:
        return None
    last_news = parcel.last_event_at or parcel.shipped_at
    if last_news and now - last_news > timedelta(days=config.polling_idle_days):
        return None
    hours = SHORT_INTERVAL_HOURS.get(parcel.status)
    if hours is not None:
        return now + timedelta(hours=hours)
    return _daily(parcel, now, MIN_DAILY_GAP)
