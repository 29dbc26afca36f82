"""Tracking end to end in Saleor: fulfillment → parcel → polling a loopback DHL → problems."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from flows import fulfill
from saleor.order.models import Order

from saleor_aftersales import tasks
from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Milestone, Parcel, Problem
from saleor_aftersales.orchestration.status_view import build_status_view
from saleor_aftersales.tracking import circuit
from tests.tracking.fakes import FakeCarrierServer, dhl_event, dhl_payload

DHL_NUMBER = "00340434161094042557"


@pytest.fixture
def carrier_server():
    circuit.forget()
    with FakeCarrierServer() as server:
        yield server
    circuit.forget()


@pytest.fixture
def shipped(
    aftersales,
    set_config,
    carrier_server,
    staff_api_client,
    permission_group_manage_orders,
    order_with_lines,
    warehouse,
    django_capture_on_commit_callbacks,
):
    """A real order fulfilled through Saleor's orderFulfill with a DHL tracking number."""
    set_config(dhl_api_url=carrier_server.dhl_url, dhl_api_key="dhl-key")
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    order = order_with_lines
    with django_capture_on_commit_callbacks(execute=True):
        # the order was created by a fixture, not through a hook: tell the plugin once
        tasks.handle_order_event_task.delay(str(order.pk), "order_created")
    result = fulfill(staff_api_client, order, warehouse, f"  {DHL_NUMBER[:4]} {DHL_NUMBER[4:]} ")
    assert result["errors"] == []
    return order


def _iso(moment) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _poll(server, events, eta=None):
    server.dhl[DHL_NUMBER] = dhl_payload(DHL_NUMBER, events, eta=eta)
    Parcel.objects.exclude(next_check_at=None).update(next_check_at=timezone.now())
    return tasks.poll_due_parcels_task.delay().get()


def test_fulfillment_becomes_a_dhl_parcel_with_link(shipped):
    parcel = Parcel.objects.get(order_id=shipped.pk)
    assert parcel.fulfillment_id == str(shipped.fulfillments.get().pk)
    assert parcel.carrier == "dhl"
    assert parcel.carrier_source in ("detected", "method")  # Saleor's fixture ships by "DHL"
    assert parcel.tracking_number == DHL_NUMBER
    assert DHL_NUMBER in parcel.tracking_url and parcel.tracking_url.startswith("https://")
    assert parcel.promised_delivery is not None


def test_polling_the_loopback_dhl_moves_the_parcel_to_delivered(shipped, carrier_server):
    start = timezone.now() - timedelta(days=2)
    eta = (start + timedelta(days=3)).replace(hour=18)
    events = [dhl_event(_iso(start + timedelta(hours=10)), "transit", "Im Start-Paketzentrum")]
    assert _poll(carrier_server, events, eta=_iso(eta))["updated"] == 1
    parcel = Parcel.objects.get(order_id=shipped.pk)
    assert parcel.status == "in_transit"
    assert parcel.estimated_delivery == eta.date() and parcel.estimate_source == "carrier"

    events.append(
        dhl_event(
            _iso(start + timedelta(days=1, hours=7)), "transit", "In das Zustellfahrzeug geladen"
        )
    )
    _poll(carrier_server, events, eta=_iso(eta))
    parcel.refresh_from_db()
    assert parcel.status == "out_for_delivery"

    delivered_at = start + timedelta(days=1, hours=12)
    events.append(dhl_event(_iso(delivered_at), "delivered", "Zugestellt"))
    _poll(carrier_server, events)
    parcel.refresh_from_db()
    assert parcel.status == "delivered" and parcel.next_check_at is None
    assert abs(parcel.delivered_at - delivered_at) < timedelta(seconds=1)
    kinds = set(Milestone.objects.filter(order_id=shipped.pk).values_list("kind", flat=True))
    assert {"received", "shipped", "in_transit", "out_for_delivery", "delivered"} <= kinds

    order = Order.objects.get(pk=shipped.pk)
    view = build_status_view(str(order.pk), get_host().get_config("main"))
    assert view is not None
    reached = [step.key for step in view.timeline if step.state in ("done", "current")]
    assert reached[-1] == "delivered"
    assert view.state == "delivered"
    assert carrier_server.calls[DHL_NUMBER] == 3


def test_a_delayed_parcel_raises_exactly_one_problem(shipped, carrier_server):
    past = timezone.now() - timedelta(days=6)
    events = [dhl_event(_iso(past), "transit", "Im Start-Paketzentrum")]
    _poll(carrier_server, events, eta=_iso(past + timedelta(days=1)))
    parcel = Parcel.objects.get(order_id=shipped.pk)
    assert parcel.estimated_delivery < timezone.now().date()

    for _ in range(3):
        tasks.detect_problems_task.delay().get()
        _poll(carrier_server, events, eta=_iso(past + timedelta(days=1)))
    problems = Problem.objects.filter(order_id=shipped.pk)
    assert problems.count() == 1
    assert problems.get().kind == "overdue" and problems.get().parcel_id == parcel.pk
