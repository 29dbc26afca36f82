"""Problem detection: each kind recorded once, and handed to notifications if they listen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_aftersales.models import Parcel, Problem, TrackedOrder
from saleor_aftersales.notifications import rules
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.tracking import service
from saleor_aftersales.tracking.carriers.base import CarrierEvent, TrackingResult
from saleor_aftersales.tracking.problems import detect_problems
from sandbox import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    got = []
    monkeypatch.setattr(rules, "on_problem", got.append, raising=False)
    return got


def _ship(channel, number="00340434161094042557"):
    order = factories.make_order(lines=1, parcels=1, channel=channel, tracking_numbers=[number])
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    return Parcel.objects.get(order_id=order.pk)


def test_no_scan_after_label_is_flagged_once(tracking_channel, heard):
    parcel = _ship(tracking_channel)
    assert detect_problems() == []
    Parcel.objects.filter(pk=parcel.pk).update(shipped_at=timezone.now() - timedelta(days=4))
    first = detect_problems()
    assert [p.kind for p in first] == ["no_scan"]
    assert detect_problems() == []
    assert Problem.objects.filter(parcel=parcel).count() == 1
    assert heard == first


def test_overdue_parcel_raises_exactly_one_problem(tracking_channel, heard):
    parcel = _ship(tracking_channel)
    yesterday_but_one = timezone.localdate() - timedelta(days=2)
    Parcel.objects.filter(pk=parcel.pk).update(
        status="in_transit", first_scan_at=timezone.now(), estimated_delivery=yesterday_but_one,
        promised_delivery=yesterday_but_one,
    )
    for _ in range(3):
        detect_problems()
    problems = Problem.objects.filter(parcel=parcel)
    assert [p.kind for p in problems] == ["overdue"]
    assert len(heard) == 1


def test_delay_threshold_is_respected(tracking_channel):
    parcel = _ship(tracking_channel)
    yesterday = timezone.localdate() - timedelta(days=1)
    Parcel.objects.filter(pk=parcel.pk).update(
        status="in_transit", first_scan_at=timezone.now(), estimated_delivery=yesterday,
        promised_delivery=yesterday,
    )
    assert detect_problems() == []  # default threshold: one day past the date


def test_carrier_delivery_resolves_the_parcels_delay(
    tracking_channel, django_capture_on_commit_callbacks
):
    """The carrier reports delivery of a parcel flagged late: its delay problems close, an
    exception of another parcel stays open."""
    parcel = _ship(tracking_channel)
    other = _ship(tracking_channel, "00340434161094042558")
    Parcel.objects.filter(pk=parcel.pk).update(shipped_at=timezone.now() - timedelta(days=5))
    Parcel.objects.filter(pk=other.pk).update(status="exception")
    detect_problems()
    assert Problem.objects.get(parcel=parcel, kind="no_scan").resolved_at is None
    parcel.refresh_from_db()
    delivered = TrackingResult(
        source="dhl",
        events=(
            CarrierEvent(source_id="ev-del", occurred_at=timezone.now(), status="delivered",
                         description="Delivered"),
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        service.apply_result(parcel, delivered, lifecycle.get_host().get_config("default-channel"))
    assert Problem.objects.get(parcel=parcel, kind="no_scan").resolved_at is not None
    assert Problem.objects.get(parcel=other, kind="exception").resolved_at is None


@pytest.mark.parametrize("status", ["exception", "failed_attempt", "returned"])
def test_status_problems_are_recorded_once(tracking_channel, status, heard):
    from saleor_aftersales.tracking.problems import check_parcel

    parcel = _ship(tracking_channel)
    parcel.status, parcel.first_scan_at = status, timezone.now()
    config = lifecycle.get_host().get_config("default-channel")
    assert [p.kind for p in check_parcel(parcel, config)] == [status]
    assert check_parcel(parcel, config) == []
    assert len(heard) == 1


def test_unshipped_beyond_handling_time(tracking_channel, heard):
    order = factories.make_order(lines=1, channel=tracking_channel)
    lifecycle.handle_order_event(str(order.pk), "order_created")
    assert detect_problems() == []
    TrackedOrder.objects.filter(order_id=order.pk).update(
        placed_at=timezone.now() - timedelta(days=7), paid_at=timezone.now() - timedelta(days=7)
    )
    assert [p.kind for p in detect_problems()] == ["unshipped"]
    assert detect_problems() == []
    shipped = factories.make_order(lines=1, parcels=1, channel=tracking_channel)
    lifecycle.handle_order_event(str(shipped.pk), "order_created")
    TrackedOrder.objects.filter(order_id=shipped.pk).update(
        placed_at=timezone.now() - timedelta(days=7)
    )
    assert detect_problems() == []


def test_a_failing_listener_does_not_lose_the_problem(tracking_channel, monkeypatch):
    def boom(problem):
        raise RuntimeError("smtp down")

    monkeypatch.setattr(rules, "on_problem", boom, raising=False)
    parcel = _ship(tracking_channel)
    Parcel.objects.filter(pk=parcel.pk).update(shipped_at=timezone.now() - timedelta(days=4))
    assert len(detect_problems()) == 1
    assert Problem.objects.count() == 1
