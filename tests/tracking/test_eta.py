"""Estimated delivery: carrier first, business days with holidays, the shop's own history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from saleor_aftersales.models import EtaEstimate, Parcel
from saleor_aftersales.tracking import eta

pytestmark = pytest.mark.django_db


def _parcel(**kwargs) -> Parcel:
    defaults = {
        "order_id": "8d4f6a7e-0000-4000-8000-000000000001", "channel_slug": "default-channel",
        "carrier": "dhl", "destination_country": "DE", "tracking_number": "X",
        "shipped_at": datetime(2024, 12, 23, 15, tzinfo=UTC),  # Monday before Christmas
    }
    defaults.update(kwargs)
    defaults.setdefault("fulfillment_id", str(Parcel.objects.count() + 1) + "-" + str(id(defaults)))
    return Parcel(**defaults)


def test_business_days_skip_sundays_and_public_holidays():
    # Mon 23 Dec + 2 delivery days in DE (Saturday deliveries): 24th, then 25/26 are
    # holidays → Fri 27th
    assert eta.add_business_days(date(2024, 12, 23), 2, "DE", saturday=True) == date(2024, 12, 27)
    # Friday + 1 day: Saturday for a carrier that delivers then, else Monday
    assert eta.add_business_days(date(2024, 5, 3), 1, "DE", saturday=True) == date(2024, 5, 4)
    assert eta.add_business_days(date(2024, 5, 3), 1, "US", saturday=False) == date(2024, 5, 6)
    # holidays are per destination: 1 Nov is a holiday in AT, not in NL
    assert eta.add_business_days(date(2024, 10, 31), 1, "AT", True) == date(2024, 11, 2)
    assert eta.add_business_days(date(2024, 10, 31), 1, "NL", True) == date(2024, 11, 1)


def test_table_estimate_and_conservative_promise():
    parcel = _parcel()
    est = eta.estimate(parcel)
    assert est.source == "table"
    assert est.date == date(2024, 12, 24)  # 1 day
    assert est.latest == date(2024, 12, 27)  # 2 days, over Christmas
    assert eta.promise(parcel) == date(2024, 12, 27)
    assert eta.estimate(_parcel(destination_country="US")).latest > est.latest


def test_carrier_estimate_wins():
    est = eta.estimate(_parcel(), carrier_estimate=date(2024, 12, 30))
    assert (est.date, est.source) == (date(2024, 12, 30), "carrier")


_serial = iter(range(10**6))


def _delivered(n: int, days: int, country: str = "AT") -> None:
    start = datetime(2024, 4, 1, 12, tzinfo=UTC)  # Monday
    Parcel.objects.bulk_create([
        _parcel(fulfillment_id=f"h-{next(_serial)}", destination_country=country,
                status="delivered", shipped_at=start, delivered_at=start + timedelta(days=days))
        for i in range(n)
    ])


def test_history_refines_the_lane_once_it_has_twenty_deliveries():
    _delivered(19, days=4)  # Mon → Fri: 4 delivery days
    assert eta.lane_history("dhl", "AT") is None
    eta.cache.clear()
    _delivered(1, days=4)
    assert eta.lane_history("dhl", "AT") == (4, 4, 20)
    est = eta.estimate(_parcel(destination_country="AT",
                               shipped_at=datetime(2024, 5, 6, 12, tzinfo=UTC)))
    # Mon 6 May + 4 delivery days; Ascension (9 May) is a holiday in AT, Saturday counts
    assert est.source == "history" and est.date == date(2024, 5, 11)
    # other lanes still use the table
    assert eta.estimate(_parcel(destination_country="DE")).source == "table"


def test_p90_of_history_is_the_promise():
    _delivered(18, days=1)
    _delivered(4, days=5)  # slow tail
    median, p90, count = eta.lane_history("dhl", "AT")
    assert (median, p90, count) == (1, 5, 22)


def test_guesses_never_move_the_date_earlier_but_the_carrier_may():
    parcel = _parcel()
    parcel.save()
    eta.apply_estimate(parcel, eta.Estimate(date(2024, 12, 27), "table", 0.5))
    promised = parcel.promised_delivery
    eta.apply_estimate(parcel, eta.Estimate(date(2024, 12, 24), "history", 0.6))
    assert parcel.estimated_delivery == date(2024, 12, 27)
    eta.apply_estimate(parcel, eta.Estimate(date(2024, 12, 30), "history", 0.6))
    assert parcel.estimated_delivery == date(2024, 12, 30)
    eta.apply_estimate(parcel, eta.Estimate(date(2024, 12, 28), "carrier", 0.8))
    assert parcel.estimated_delivery == date(2024, 12, 28)
    assert parcel.promised_delivery == promised  # the promise is never rewritten
    stored = list(EtaEstimate.objects.filter(parcel=parcel).values_list("estimated_date", "source"))
    assert stored == [(date(2024, 12, 27), "table"), (date(2024, 12, 30), "history"),
                      (date(2024, 12, 28), "carrier")]


def test_accuracy_report_compares_estimates_with_delivery():
    parcel = _parcel(status="delivered", delivered_at=datetime(2024, 12, 28, 10, tzinfo=UTC))
    parcel.save()
    EtaEstimate.objects.create(parcel=parcel, estimated_date=date(2024, 12, 27), source="table")
    EtaEstimate.objects.create(parcel=parcel, estimated_date=date(2024, 12, 28), source="carrier")
    report = eta.accuracy("default-channel")
    assert report["table"] == {"count": 1, "on_time": 0.0, "mean_abs_days": 1.0}
    assert report["carrier"]["on_time"] == 1.0
