"""The adaptive polling schedule: evening slots, the morning probe, carrier days, stopping."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from saleor_aftersales.config import parse_config
from saleor_aftersales.models import Parcel
from saleor_aftersales.tracking.schedule import first_check, next_check

BERLIN = ZoneInfo("Europe/Berlin")
CONFIG = parse_config({}, channel_slug="default-channel")


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """Berlin time in the week of Monday 2026-06-01 (day 0); no German holiday that week."""
    return datetime(2026, 6, 1 + day, hour, minute, tzinfo=BERLIN)


def _parcel(status="in_transit", carrier="dhl", country="DE", estimate=None, **extra) -> Parcel:
    return Parcel(status=status, carrier=carrier, destination_country=country,
                  tracking_number="X", shipped_at=_at(0, 9), estimated_delivery=estimate,
                  **extra)


def test_daily_checks_come_in_the_evening_after_the_delivery_rounds():
    parcel = _parcel(estimate=date(2026, 6, 2))
    # checked at 02:10 (a label created the afternoon before): next look is this evening
    assert next_check(parcel, CONFIG, _at(3, 2, 10)) == _at(3, 20)
    # checked in the evening: the next evening, not a drifting 24 h later
    assert next_check(parcel, CONFIG, _at(3, 20, 5)) == _at(4, 20)


def test_the_estimated_day_gets_a_morning_probe_for_out_for_delivery():
    parcel = _parcel(estimate=date(2026, 6, 2))  # Tuesday
    assert first_check(parcel, _at(0, 14)) == _at(1, 9)  # label Monday 14:00 → Tuesday 09:00
    assert next_check(parcel, CONFIG, _at(1, 9, 5)) == _at(1, 20)  # then that evening
    parcel.status = "out_for_delivery"
    assert next_check(parcel, CONFIG, _at(1, 9, 5)) == _at(1, 11, 5)  # then every 2 hours


def test_an_estimate_days_away_is_waited_for_within_three_days():
    parcel = _parcel(estimate=date(2026, 6, 5))  # Friday
    assert next_check(parcel, CONFIG, _at(0, 20)) == _at(4, 9)  # not Thursday evening too
    parcel.estimated_delivery = date(2026, 6, 12)
    assert next_check(parcel, CONFIG, _at(0, 20)) == _at(3, 20)  # at most about 3 days


@pytest.mark.parametrize(
    ("carrier", "now", "expected"),
    [
        ("dhl", _at(4, 20), _at(5, 20)),  # Friday → Saturday: DHL delivers on Saturdays
        ("dhl", _at(5, 20), _at(7, 20)),  # Saturday → Monday: no Sunday check
        ("ups", _at(4, 20), _at(7, 20)),  # Friday → Monday: UPS has no Saturday delivery
    ],
)
def test_days_the_carrier_does_not_deliver_get_no_check(carrier, now, expected):
    parcel = _parcel(carrier=carrier, estimate=date(2026, 6, 1))
    assert next_check(parcel, CONFIG, now) == expected


def test_public_holidays_are_skipped_in_the_destination_country():
    # Thursday 2026-05-14 is Ascension Day in Germany, not in the United Kingdom
    wednesday = datetime(2026, 5, 13, 20, 5, tzinfo=BERLIN)
    de = _parcel(estimate=date(2026, 5, 12))
    assert next_check(de, CONFIG, wednesday) == datetime(2026, 5, 15, 20, tzinfo=BERLIN)
    gb = _parcel(country="GB", carrier="royal_mail", estimate=date(2026, 5, 12))
    london = ZoneInfo("Europe/London")
    assert next_check(gb, CONFIG, wednesday) == datetime(2026, 5, 14, 20, tzinfo=london)


def test_short_intervals_while_something_happens_and_stops():
    now = _at(2, 9)
    parcel = _parcel(status="exception")
    assert next_check(parcel, CONFIG, now) - now == timedelta(hours=12)
    parcel.status = "in_transit"
    parcel.last_event_at = now - timedelta(days=CONFIG.polling_idle_days + 1)
    assert next_check(parcel, CONFIG, now) is None  # idle too long
    parcel.last_event_at = now
    parcel.push_updates = True
    assert next_check(parcel, CONFIG, now) is None  # the carrier pushes
    parcel.push_updates = False
    parcel.status = "delivered"
    assert next_check(parcel, CONFIG, now) is None
