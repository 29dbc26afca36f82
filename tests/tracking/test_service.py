"""Parcels from fulfillments and the poll cycle against a loopback DHL and AfterShip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import EtaEstimate, Milestone, Parcel, Problem, TrackingEvent
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.tracking import service
from saleor_aftersales.tracking.polling import poll_due_parcels
from sandbox import factories

from .fakes import aftership_checkpoint, aftership_tracking, dhl_event, dhl_payload

pytestmark = pytest.mark.django_db

DHL_NUMBER = "00340434161094042557"
UPS_NUMBER = "1Z999AA10123456784"


def _ship(channel, numbers, method="Standard", **kwargs):
    order = factories.make_order(lines=len(numbers), parcels=len(numbers), channel=channel,
                                 tracking_numbers=numbers, shipping_method_name=method, **kwargs)
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    return order, list(Parcel.objects.filter(order_id=order.pk).order_by("pk"))


DAY0 = (timezone.now() - timedelta(days=3)).replace(hour=0, minute=0, second=0, microsecond=0)


def _dt(day: int, hour: int) -> datetime:
    return DAY0 + timedelta(days=day, hours=hour)


def _at(day: int, hour: int) -> str:
    return _dt(day, hour).astimezone(UTC).isoformat().replace("+00:00", "Z")


def _due_now():
    Parcel.objects.exclude(next_check_at=None).update(next_check_at=timezone.now())


def test_fulfillment_becomes_parcel_with_carrier_link_and_promise(tracking_channel):
    _order, [parcel] = _ship(tracking_channel, ["0034 0434 1610 9404 2557"])
    assert parcel.carrier == "dhl" and parcel.carrier_source == "detected"
    assert parcel.tracking_number == DHL_NUMBER
    assert parcel.tracking_url.endswith("piececode=" + DHL_NUMBER)
    assert parcel.promised_delivery is not None and parcel.estimated_delivery is not None
    assert parcel.promised_delivery >= parcel.estimated_delivery
    assert EtaEstimate.objects.filter(parcel=parcel).count() == 1
    assert parcel.next_check_at is not None


@pytest.mark.parametrize(
    ("method", "config", "number", "expected"),
    [
        ("Express", {"carrier_by_shipping_method": "Express = ups"}, "123", ("ups", "method")),
        ("DHL Express", {}, "00340434161094042557", ("dhl_express", "method")),
        ("Standard", {"default_carrier": "gls"}, "unknownformat", ("gls", "default")),
        ("Standard", {}, "unknownformat", ("", "")),
        ("Standard", {}, UPS_NUMBER, ("ups", "detected")),
    ],
)
def test_carrier_choice(method, config, number, expected):
    from saleor_aftersales.config import parse_config

    assert service.choose_carrier(number, method, parse_config(config)) == expected


def test_staff_choice_survives_later_syncs(tracking_channel):
    order, [parcel] = _ship(tracking_channel, ["unknownformat"])
    assert parcel.carrier == ""
    service.set_carrier(parcel, "hermes")
    lifecycle.handle_order_event(str(order.pk), "order_updated")
    parcel.refresh_from_db()
    assert (parcel.carrier, parcel.carrier_source) == ("hermes", "staff")
    assert "myhermes" in parcel.tracking_url


def test_url_tracking_number_is_the_link_and_not_polled(tracking_channel):
    _, [parcel] = _ship(tracking_channel, ["https://track.example/abc?x=1"])
    assert parcel.tracking_url == "https://track.example/abc?x=1"
    assert parcel.next_check_at is None


def test_poll_moves_parcel_through_the_journey(tracking_channel, carrier_server):
    _order, [parcel] = _ship(tracking_channel, [DHL_NUMBER])
    events = [
        dhl_event(_at(0, 8), "pre-transit", "Elektronisch angekündigt"),
        dhl_event(_at(0, 18), "transit", "Im Start-Paketzentrum bearbeitet"),
    ]
    carrier_server.dhl[DHL_NUMBER] = dhl_payload(DHL_NUMBER, events, eta=_at(2, 18))
    _due_now()
    stats = poll_due_parcels()
    assert (stats.checked, stats.updated) == (1, 1)
    parcel.refresh_from_db()
    assert parcel.status == "in_transit"
    assert parcel.first_scan_at == _dt(0, 18)
    assert parcel.estimated_delivery == _dt(2, 0).date() and parcel.estimate_source == "carrier"

    events += [
        dhl_event(_at(1, 2), "transit", "Im Ziel-Paketzentrum bearbeitet"),  # noise
        dhl_event(_at(2, 7), "transit", "In das Zustellfahrzeug geladen"),
    ]
    carrier_server.dhl[DHL_NUMBER] = dhl_payload(DHL_NUMBER, events, eta=_at(2, 18))
    _due_now()
    stats = poll_due_parcels()
    parcel.refresh_from_db()
    assert parcel.status == "out_for_delivery", stats
    assert parcel.next_check_at - parcel.last_checked_at == timedelta(hours=2)
    noise = TrackingEvent.objects.get(parcel=parcel, description__contains="Ziel-Paketzentrum")
    assert noise.relevant is False

    events.append(dhl_event(_at(2, 12), "delivered", "Zugestellt"))
    carrier_server.dhl[DHL_NUMBER] = dhl_payload(DHL_NUMBER, events)
    _due_now()
    poll_due_parcels()
    parcel.refresh_from_db()
    assert parcel.status == "delivered" and parcel.next_check_at is None
    assert parcel.delivered_at == _dt(2, 12)
    kinds = set(Milestone.objects.filter(parcel=parcel).values_list("kind", flat=True))
    assert {"shipped", "in_transit", "out_for_delivery", "delivered"} <= kinds
    assert TrackingEvent.objects.filter(parcel=parcel).count() == 5
    # delivered parcels are never asked again
    calls = carrier_server.calls[DHL_NUMBER]
    Parcel.objects.filter(pk=parcel.pk).update(next_check_at=timezone.now())
    poll_due_parcels()
    assert carrier_server.calls[DHL_NUMBER] == calls


def test_garbage_answer_keeps_stored_events_and_backs_off(tracking_channel, carrier_server):
    _, [parcel] = _ship(tracking_channel, [DHL_NUMBER])
    carrier_server.dhl[DHL_NUMBER] = dhl_payload(
        DHL_NUMBER, [dhl_event(_at(0, 18), "transit", "Bearbeitet")]
    )
    _due_now()
    poll_due_parcels()
    carrier_server.script[DHL_NUMBER].append((200, b"<html>oops</html>"))
    _due_now()
    stats = poll_due_parcels()
    parcel.refresh_from_db()
    assert stats.failed == 1
    assert parcel.status == "in_transit" and parcel.check_failures == 1
    assert parcel.next_check_at > timezone.now() + timedelta(minutes=14)
    assert TrackingEvent.objects.filter(parcel=parcel).count() == 1


def test_out_of_order_and_duplicate_events_are_harmless(tracking_channel, carrier_server):
    _, [parcel] = _ship(tracking_channel, [DHL_NUMBER])
    late = [dhl_event("2024-05-04T12:00:00Z", "delivered", "Zugestellt")]
    carrier_server.dhl[DHL_NUMBER] = dhl_payload(DHL_NUMBER, late)
    _due_now()
    poll_due_parcels()
    config = get_host().get_config("default-channel")
    from saleor_aftersales.tracking.carriers.dhl import DhlClient

    earlier = DhlClient(config).parse(dhl_payload(DHL_NUMBER, [
        dhl_event("2024-05-03T07:00:00Z", "transit", "In das Zustellfahrzeug geladen"),
        *late,
    ]), "dhl", DHL_NUMBER)
    for _ in range(2):
        service.apply_result(parcel, earlier, config)
    parcel.refresh_from_db()
    assert parcel.status == "delivered"
    assert TrackingEvent.objects.filter(parcel=parcel).count() == 2


def test_aftership_polling_for_other_carriers(tracking_channel, carrier_server):
    _, [parcel] = _ship(tracking_channel, [UPS_NUMBER])
    _due_now()
    poll_due_parcels()  # unknown to AfterShip: registered
    assert carrier_server.registered[0]["slug"] == "ups"
    carrier_server.aftership[UPS_NUMBER] = aftership_tracking(UPS_NUMBER, [
        aftership_checkpoint("2024-05-02T10:00:00+02:00", "InTransit"),
        aftership_checkpoint("2024-05-03T10:00:00+02:00", "AttemptFail", message="No one home"),
    ], slug="ups")
    _due_now()
    poll_due_parcels()
    parcel.refresh_from_db()
    assert parcel.status == "failed_attempt"
    assert Problem.objects.filter(parcel=parcel, kind="failed_attempt").count() == 1


def test_rate_limit_defers_without_counting_a_failure(tracking_channel, carrier_server):
    _, [parcel] = _ship(tracking_channel, [DHL_NUMBER])
    carrier_server.script[DHL_NUMBER].append((429, {"status": 429}))
    _due_now()
    stats = poll_due_parcels()
    parcel.refresh_from_db()
    assert stats.deferred == 1 and parcel.check_failures == 0
    assert parcel.next_check_at > timezone.now() + timedelta(minutes=1)


def test_push_parcels_and_disabled_channels_are_not_polled(db, carrier_server):
    channel = factories.make_channel("other", dhl_api_key="dhl-key",
                                     dhl_api_url=carrier_server.dhl_url, tracking_enabled=False)
    _, [parcel] = _ship(channel, [DHL_NUMBER])
    assert parcel.next_check_at is None
    Parcel.objects.filter(pk=parcel.pk).update(next_check_at=timezone.now(), push_updates=True)
    assert poll_due_parcels().due == 0


def test_status_changes_reach_notifications_once(tracking_channel, carrier_server, monkeypatch):
    from saleor_aftersales.notifications import rules

    seen = []
    monkeypatch.setattr(rules, "on_parcel_status",
                        lambda p, old, new, *a, **k: seen.append((old, new)), raising=False)
    _, [_parcel] = _ship(tracking_channel, [DHL_NUMBER])
    carrier_server.dhl[DHL_NUMBER] = dhl_payload(
        DHL_NUMBER, [dhl_event(_at(0, 18), "transit", "Bearbeitet")]
    )
    for _ in range(2):
        _due_now()
        poll_due_parcels()
    assert seen == [("pending", "in_transit")]


def test_carrier_news_refreshes_the_order_metadata_summary(
    tracking_channel, carrier_server, django_capture_on_commit_callbacks
):
    factories.make_channel("default-channel", metadata_summary_enabled=True)  # opt-in
    order, _ = _ship(tracking_channel, [DHL_NUMBER])
    before = factories.m.Order.objects.get(pk=order.pk).metadata.get("aftersales.status")
    carrier_server.dhl[DHL_NUMBER] = dhl_payload(
        DHL_NUMBER, [dhl_event(_at(0, 8), "transit", "In das Zustellfahrzeug geladen")]
    )
    _due_now()
    with django_capture_on_commit_callbacks(execute=True):
        poll_due_parcels()
    metadata = factories.m.Order.objects.get(pk=order.pk).metadata
    assert metadata["aftersales.status"] != before
    assert metadata["aftersales.status"] == "out_for_delivery"
    assert "/status/" in metadata["aftersales.status_url"]


def test_review_request_once_the_last_parcel_is_delivered(tracking_channel):
    from saleor_aftersales.models import ReviewRequest
    from saleor_aftersales.tracking.carriers.base import CarrierEvent, TrackingResult

    config = get_host().get_config(tracking_channel.slug)

    def delivered(parcel, day):
        return (parcel, TrackingResult(source="dhl", events=(CarrierEvent(
            source_id=f"d-{parcel.pk}", occurred_at=_dt(day, 12), status="delivered",
            description="Zugestellt"),)), config)

    order, [first, second] = _ship(tracking_channel, [DHL_NUMBER, UPS_NUMBER])
    other, [single] = _ship(tracking_channel, [DHL_NUMBER])
    # one batch: the first of two parcels and the only parcel of another order
    service.apply_results([delivered(first, 1), delivered(single, 1)])
    assert list(ReviewRequest.objects.values_list("order_id", flat=True)) == [other.pk]
    service.apply_results([delivered(second, 2)])
    request = ReviewRequest.objects.get(order_id=order.pk)
    assert request.due_at == _dt(2, 12) + timedelta(days=config.review_delay_days)
    service.apply_results([delivered(second, 2)])  # the carrier repeats itself
    assert ReviewRequest.objects.count() == 2


def _carrier_says(parcel, config, status, day=1):
    from saleor_aftersales.tracking.carriers.base import CarrierEvent, TrackingResult

    return (parcel, TrackingResult(source="dhl", events=(CarrierEvent(
        source_id=f"{status}-{parcel.pk}", occurred_at=_dt(day, 12),
        status=status, description=status),)), config)


def test_a_batch_never_undoes_a_cancellation_saved_meanwhile(tracking_channel):
    config = get_host().get_config(tracking_channel.slug)
    _, [first, second] = _ship(tracking_channel, [DHL_NUMBER, UPS_NUMBER])
    # the poll claimed both; then staff cancel the first fulfillment's parcel
    Parcel.objects.filter(pk=first.pk).update(status="cancelled")
    from saleor_aftersales.tracking.carriers.base import TrackingResult

    # the carrier has nothing new on the first parcel; the second was delivered
    service.apply_results([(first, TrackingResult(source="dhl"), config),
                           _carrier_says(second, config, "delivered")])
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == "delivered"
    assert first.status == "cancelled"


def test_a_failing_follow_up_keeps_the_stored_news(tracking_channel, monkeypatch):
    from saleor_aftersales.tracking import problems

    def broken(*args, **kwargs):
        raise RuntimeError("problem store down")

    monkeypatch.setattr(problems, "check_parcel", broken)
    config = get_host().get_config(tracking_channel.slug)
    _, [parcel] = _ship(tracking_channel, [DHL_NUMBER])
    service.apply_results([_carrier_says(parcel, config, "exception")])
    parcel.refresh_from_db()
    assert parcel.status == "exception" and parcel.check_failures == 0


def test_a_batch_of_failed_checks_backs_off_in_one_statement(tracking_channel, carrier_server):
    """The carrier answers garbage for every parcel: each one counts its failure and gets
    its own later check, and the writes do not grow with the batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    numbers = [f"JJD{i:018d}" for i in range(1, 5)]  # fewer than open the circuit
    _, parcels = _ship(tracking_channel, numbers)
    assert all(p.carrier == "dhl" for p in parcels)
    Parcel.objects.filter(pk=parcels[0].pk).update(check_failures=2)
    for number in numbers:
        carrier_server.script[number].append((200, b"<html>oops</html>"))
    _due_now()
    with CaptureQueriesContext(connection) as queries:
        stats = poll_due_parcels(workers=1)
    assert stats.failed == 4
    parcel_updates = [q["sql"] for q in queries.captured_queries
                      if q["sql"].startswith('UPDATE "saleor_aftersales_parcel"')]
    assert len(parcel_updates) == 2  # the lease, then the back-off of all four
    for parcel in parcels:
        parcel.refresh_from_db()
    assert [p.check_failures for p in parcels] == [3, 1, 1, 1]
    # 15 minutes doubled per failure: the parcel failing for the third time waits longest
    assert parcels[0].next_check_at > timezone.now() + timedelta(minutes=59)
    assert all(timezone.now() + timedelta(minutes=14) < p.next_check_at
               < timezone.now() + timedelta(minutes=32) for p in parcels[1:])
