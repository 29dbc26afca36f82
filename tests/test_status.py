"""The status view: content, privacy and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_aftersales import lifecycle
from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel, Problem, TrackingEvent
from saleor_aftersales.status import build_status_view

pytestmark = pytest.mark.django_db


def _process(order):
    lifecycle.handle_order_event(str(order.pk), "order_created")
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")


def _config():
    return get_host().get_config("default-channel")


def _add_events(order, per_parcel=3):
    for parcel in Parcel.objects.filter(order_id=order.pk):
        for i in range(per_parcel):
            TrackingEvent.objects.create(
                parcel=parcel, occurred_at=parcel.shipped_at, status="in_transit",
                location=f"Hub {i}", description=f"Scan {i}", source="dhl",
                source_id=f"{parcel.pk}-{i}", relevant=i % 2 == 0,
            )


def test_view_has_order_parcels_and_lines(make_order):
    order = make_order(lines=3, parcels=2, tracking_numbers=["00340434161094042557", ""])
    _process(order)
    view = build_status_view(str(order.pk), _config())
    assert view.number == str(order.number)
    assert [p.number for p in view.parcels] == [1, 2]
    shipped = {li.line_id for p in view.parcels for li in p.lines}
    assert shipped == {str(li.pk) for li in order.lines.all()}
    assert view.timeline and view.timeline[0].key == "received"
    assert view.state in ("shipped", "in_transit", "partially_shipped")
    assert view.buy_again and all(item.available for item in view.buy_again)


def test_personal_data_only_when_verified(make_order):
    order = make_order(lines=1, parcels=1)
    _process(order)
    locked = build_status_view(str(order.pk), _config())
    assert locked.personal is None
    assert "Mustermann" not in repr(locked) and "erika@" not in repr(locked)
    unlocked = build_status_view(str(order.pk), _config(), verified=True)
    assert unlocked.personal.name == "Erika Mustermann"
    assert unlocked.personal.shipping_address.postal_code == "51147"


def test_other_channel_or_unknown_order_gives_none(make_order):
    from saleor_aftersales.sandbox.factories import make_channel

    order = make_order(lines=1)
    other = make_channel("other-channel")
    config = get_host().get_config(other.slug)
    assert build_status_view(str(order.pk), config) is None
    assert build_status_view("00000000-0000-0000-0000-000000000000", _config()) is None
    assert build_status_view("not-a-uuid", _config()) is None


def test_language_follows_order_and_override(make_order):
    order = make_order(lines=1, language_code="de")
    _process(order)
    assert build_status_view(str(order.pk), _config()).language_code == "de"
    assert build_status_view(str(order.pk), _config(), language="en").language_code == "en"


def test_events_newest_first_and_relevant_subset(make_order):
    order = make_order(lines=1, parcels=1, tracking_numbers=["00340434161094042557"])
    _process(order)
    _add_events(order, per_parcel=4)
    parcel = build_status_view(str(order.pk), _config()).parcels[0]
    assert len(parcel.events) >= 4
    assert all(e.relevant for e in parcel.relevant_events)
    assert len(parcel.relevant_events) < len(parcel.events)


def test_open_problems_are_explained(make_order):
    order = make_order(lines=1, parcels=1)
    _process(order)
    Problem.objects.create(
        key=f"{order.pk}:x", order_id=order.pk, channel_slug="default-channel", kind="exception"
    )
    view = build_status_view(str(order.pk), _config())
    assert [p.kind for p in view.problems] == ["exception"]
    assert "problem" in view.problems[0].text


def _count_queries(order) -> int:
    config = _config()
    with CaptureQueriesContext(connection) as ctx:
        build_status_view(str(order.pk), config, verified=True)
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_lines_and_parcels(make_order):
    small = make_order(lines=1, parcels=1, metadata={"marketing_consent": "true"})
    big = make_order(lines=6, parcels=4, metadata={"marketing_consent": "true"})
    for order in (small, big):
        _process(order)
        _add_events(order)
    assert _count_queries(big) == _count_queries(small)
