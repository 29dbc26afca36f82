"""The status view: content, privacy and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel, Problem, TrackingEvent
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.orchestration.status_view import build_status_view

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
    from sandbox.factories import make_channel

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


def _ship_all(order, status, **fields):
    from django.utils import timezone

    if status == "delivered":
        fields.setdefault("delivered_at", timezone.now())
    Parcel.objects.filter(order_id=order.pk).update(status=status, **fields)


@pytest.mark.parametrize(
    ("status", "current"),
    [("in_transit", "shipped"), ("out_for_delivery", "out_for_delivery"), ("delivered", None)],
)
def test_progress_follows_the_parcels(make_order, status, current):
    """The hero's steps and the timeline never stop at "In preparation" once parcels move."""
    order = make_order(lines=2, parcels=2)
    _process(order)
    _ship_all(order, status)
    view = build_status_view(str(order.pk), _config())
    states = {step.key: step.state for step in view.progress}
    assert list(states) == ["received", "preparing", "shipped", "out_for_delivery", "delivered"]
    assert states["preparing"] == "done"
    if current:
        assert states[current] == "current"
    else:
        assert set(states.values()) == {"done"}
    order_wide = [s for s in view.timeline if not s.parcel_id]
    assert "current" not in {s.state for s in order_wide}  # GraphQL's timeline too


def test_progress_of_a_split_order_is_its_least_advanced_parcel(make_order):
    order = make_order(lines=2, parcels=2)
    _process(order)
    first, second = Parcel.objects.filter(order_id=order.pk).order_by("pk")
    Parcel.objects.filter(pk=first.pk).update(status="out_for_delivery")
    Parcel.objects.filter(pk=second.pk).update(status="in_transit")
    view = build_status_view(str(order.pk), _config())
    current = [step.key for step in view.progress if step.state == "current"]
    assert current == ["shipped"]
    assert view.state_text == "1 of 2 parcels out for delivery today."


def test_unshipped_order_is_in_preparation(make_order):
    order = make_order(lines=2)
    _process(order)
    view = build_status_view(str(order.pk), _config())
    assert [s.key for s in view.progress if s.state == "current"] == ["preparing"]
    assert view.state_label == "In preparation"  # the step's word, not "Being prepared"


def test_badge_and_step_use_one_word_per_state():
    from django.utils.translation import override

    from saleor_aftersales.orchestration.status_view import state_label
    from saleor_aftersales.status.timeline import LABELS

    for language in ("en", "de"):
        with override(language):
            for state, label in LABELS.items():
                assert state_label(state) == str(label), (language, state)


def test_newest_event_is_in_latest_news_even_when_noise(make_order):
    from datetime import timedelta

    from django.utils import timezone

    order = make_order(lines=1, parcels=1)
    _process(order)
    parcel = Parcel.objects.get(order_id=order.pk)
    now = timezone.now()
    for hours, relevant, text in ((5, True, "Arrived at hub"), (1, False, "Sorted for route")):
        TrackingEvent.objects.create(
            parcel=parcel, occurred_at=now - timedelta(hours=hours), status="in_transit",
            description=text, source="dhl", source_id=text, relevant=relevant,
        )
    [item] = build_status_view(str(order.pk), _config(), verified=True).parcels
    assert [e.description for e in item.latest_events] == ["Sorted for route", "Arrived at hub"]


def test_order_summary_lists_lines_with_prices_and_total(make_order):
    from decimal import Decimal

    order = make_order(lines=3, parcels=1)
    _process(order)
    summary = build_status_view(str(order.pk), _config()).summary
    lines = {li.pk: li for li in order.lines.all()}
    assert [(item.product_name, item.quantity) for item in summary.lines] == [
        (li.product_name, li.quantity) for li in lines.values()]
    assert all(item.total == item.unit_price * item.quantity for item in summary.lines)
    expected = sum((li.unit_price * li.quantity for li in lines.values()), Decimal("0"))
    assert summary.subtotal == summary.total == expected and summary.currency == "EUR"


def test_graphql_timeline_is_not_stuck_in_preparation(client, make_order):
    import json

    from saleor_aftersales.core.links import make_token

    order = make_order(lines=1, parcels=1)
    _process(order)
    _ship_all(order, "delivered")
    query = ("query($t: String!) { aftersalesStatus(token: $t) { timeline { key state } "
             "progress { key state } } }")
    response = client.post(
        "/plugins/channel/default-channel/io.github.saleor-aftersales/graphql/",
        data=json.dumps({"query": query,
                         "variables": {"t": make_token(str(order.pk), "default-channel")}}),
        content_type="application/json",
    )
    data = response.json()["data"]["aftersalesStatus"]
    steps = data["timeline"]
    assert {"key": "preparing", "state": "done"} in steps
    assert "current" not in {s["state"] for s in steps}
    assert data["progress"] == [{"key": key, "state": "done"} for key in (
        "received", "preparing", "shipped", "out_for_delivery", "delivered")]
