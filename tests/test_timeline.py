"""The shopper's timeline: milestones per parcel, side paths, overall state of split orders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Milestone, Parcel, TrackedOrder, TrackingEvent
from saleor_aftersales.orchestration import (
    lifecycle,
)
from saleor_aftersales.status import (
    timeline,
)
from sandbox import factories

pytestmark = pytest.mark.django_db


def _load(order):
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    lifecycle.handle_order_event(str(order.pk), "order_created")
    view = get_host().get_order(str(order.pk))
    tracked = TrackedOrder.objects.get(order_id=order.pk)
    parcels = list(Parcel.objects.filter(order_id=order.pk).order_by("shipped_at", "pk"))
    return view, tracked, parcels


def _kinds(steps, reached=True):
    return [s.kind for s in steps if s.reached == reached]


def test_unshipped_order_shows_the_road_ahead(make_order):
    view, tracked, parcels = _load(make_order(lines=2))
    steps = timeline.build_timeline(view, tracked, parcels)
    assert _kinds(steps) == ["received", "paid", "preparing"]
    assert _kinds(steps, reached=False) == ["shipped", "in_transit", "out_for_delivery",
                                             "delivered"]
    assert all(s.parcel_id is None for s in steps)
    assert timeline.overall_state(view, parcels, tracked)[0] == "preparing"


def test_split_shipment_counts_parcels_and_names_unshipped_lines(make_order):
    order = make_order(lines=3)
    lines = list(order.lines.order_by("pk"))
    factories.add_fulfillment(order, [lines[0]], "00340434161094042557")
    factories.add_fulfillment(order, [lines[1]])
    view, tracked, parcels = _load(order)
    Parcel.objects.filter(pk=parcels[0].pk).update(status="delivered",
                                                   delivered_at=timezone.now())
    parcels = list(Parcel.objects.filter(order_id=order.pk).order_by("pk"))
    code, text = timeline.overall_state(view, parcels, tracked)
    missing = view.lines[2].product_name
    assert code == "partially_delivered"
    assert text.startswith("1 of 3 parcels delivered.")
    assert missing in text
    with override("de"):
        assert timeline.overall_state(view, parcels, tracked)[1].startswith("1 von 3 Paketen")


def test_all_parcels_delivered(make_order):
    order = make_order(lines=2, parcels=2)
    view, tracked, parcels = _load(order)
    Parcel.objects.filter(order_id=order.pk).update(status="delivered")
    parcels = list(Parcel.objects.filter(order_id=order.pk))
    assert timeline.overall_state(view, parcels, tracked) == (
        "delivered", "All 2 parcels have been delivered.")


def test_each_parcel_has_its_own_progress(make_order):
    order = make_order(lines=2, parcels=2)
    view, tracked, parcels = _load(order)
    first, second = parcels
    Parcel.objects.filter(pk=first.pk).update(status="out_for_delivery")
    first.refresh_from_db()
    steps = timeline.build_timeline(view, tracked, [first, second])
    mine = [s for s in steps if s.parcel_id == first.pk]
    other = [s for s in steps if s.parcel_id == second.pk]
    assert _kinds(mine) == ["shipped", "in_transit", "out_for_delivery"]
    assert _kinds(other) == ["shipped"]
    assert timeline.overall_state(view, [first, second], tracked)[0] == "out_for_delivery"


@pytest.mark.parametrize(
    ("status", "side", "after"),
    [
        ("failed_attempt", "failed_attempt", "out_for_delivery"),
        ("ready_for_pickup", "ready_for_pickup", "in_transit"),
        ("returned", "returned", "in_transit"),
        ("exception", "exception", "in_transit"),
    ],
)
def test_side_paths_appear_where_they_happened(make_order, status, side, after):
    view, tracked, [parcel] = _load(make_order(lines=1, parcels=1))
    parcel.status = status
    steps = list(timeline.parcel_steps(parcel))
    kinds = [s.kind for s in steps]
    assert kinds[kinds.index(side) - 1] == after
    assert next(s for s in steps if s.kind == side).side_path
    if status == "returned":
        assert "delivered" not in kinds
    assert timeline.overall_state(view, [parcel], tracked)[0] == status


def test_late_parcel_shows_delayed(make_order):
    view, tracked, [parcel] = _load(make_order(lines=1, parcels=1))
    parcel.status = "in_transit"
    parcel.promised_delivery = parcel.estimated_delivery = timezone.localdate() - timedelta(days=1)
    assert "delayed" in [s.kind for s in timeline.parcel_steps(parcel)]
    assert timeline.overall_state(view, [parcel], tracked)[0] == "delayed"


def test_cancelled_and_refunded(make_order):
    order = make_order(lines=1)
    view, tracked, parcels = _load(order)
    order.status = "canceled"
    order.save()
    lifecycle.handle_order_event(str(order.pk), "order_refunded")
    view = get_host().get_order(str(order.pk))
    tracked.refresh_from_db()
    steps = timeline.build_timeline(view, tracked, parcels)
    assert {"cancelled", "refunded"} <= {s.kind for s in steps if s.side_path}
    assert "shipped" not in [s.kind for s in steps]
    assert timeline.overall_state(view, parcels, tracked)[0] == "refunded"


def test_recorded_milestones_supply_times_and_labels_translate(make_order):
    view, tracked, [parcel] = _load(make_order(lines=1, parcels=1))
    at = timezone.now() - timedelta(hours=3)
    parcel.status = "out_for_delivery"
    timeline.store_milestones(timeline.parcel_milestone_rows(parcel, at))
    milestones = Milestone.objects.filter(order_id=view.id)
    step = next(s for s in timeline.build_timeline(view, tracked, [parcel], milestones)
                if s.kind == "out_for_delivery")
    assert step.occurred_at == at
    with override("de"):
        assert str(step.label) == "In Zustellung"


def test_carrier_noise_is_folded_but_kept(make_order):
    _view, _tracked, [parcel] = _load(make_order(lines=1, parcels=1))
    now = timezone.now()
    events = [
        TrackingEvent(parcel=parcel, occurred_at=now - timedelta(hours=h), status="in_transit",
                      source="dhl", source_id=str(h), relevant=h == 5, description=str(h))
        for h in (5, 4, 3)
    ]
    shown = timeline.visible_events(events)
    assert [e.description for e in shown] == ["5"]


def test_record_milestones_is_idempotent(make_order):
    order = make_order(lines=2, parcels=1)
    for _ in range(3):
        _load(order)
    kinds = sorted(Milestone.objects.filter(order_id=order.pk).values_list("kind", flat=True))
    assert kinds == ["paid", "preparing", "received", "shipped"]


def test_estimate_later_than_the_promise_counts_as_delayed(make_order):
    view, tracked, [parcel] = _load(make_order(lines=1, parcels=1))
    parcel.status = "in_transit"
    parcel.promised_delivery = timezone.localdate() + timedelta(days=1)
    parcel.estimated_delivery = timezone.localdate() + timedelta(days=3)
    assert timeline.is_delayed(parcel)
    assert timeline.overall_state(view, [parcel], tracked)[0] == "delayed"
    parcel.estimated_delivery = parcel.promised_delivery
    assert not timeline.is_delayed(parcel)


def test_split_order_says_how_many_parcels_are_out_for_delivery(make_order):
    """Only one of two parcels is out: never "Your order is out for delivery today"."""
    view, tracked, (first, second) = _load(make_order(lines=2, parcels=2))
    first.status, second.status = "out_for_delivery", "in_transit"
    code, text = timeline.overall_state(view, [first, second], tracked)
    assert (code, text) == ("out_for_delivery", "1 of 2 parcels out for delivery today.")
    with override("de"):
        assert timeline.overall_state(view, [first, second], tracked)[1] == (
            "1 von 2 Paketen ist heute in Zustellung.")
    second.status = "out_for_delivery"
    assert timeline.overall_state(view, [first, second], tracked)[1] == (
        "Your order is out for delivery today.")


def test_one_delivered_one_out_says_both(make_order):
    view, tracked, (first, second) = _load(make_order(lines=2, parcels=2))
    first.status, second.status = "delivered", "out_for_delivery"
    code, text = timeline.overall_state(view, [first, second], tracked)
    assert code == "partially_delivered"
    assert text == "1 of 2 parcels delivered. 1 more out for delivery today."
