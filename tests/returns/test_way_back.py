"""The return parcel on its way back, tracked by the same engine as outbound parcels
(loopback DHL tracking API, real PostgreSQL): its first scan marks the return handed over,
delivery to the shop marks it received (staff's inspection still decides the refund), its
problems reach the shop's queue and never the shopper, and the shopper's parcels, progress
and messages never count it as a delivery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from saleor_aftersales import tasks
from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import NotificationLog, Parcel, Problem
from saleor_aftersales.orchestration.status_view import build_status_view
from saleor_aftersales.returns import service
from saleor_aftersales.returns.models import ReturnRequest
from saleor_aftersales.tracking import circuit, problems
from sandbox import factories
from sandbox import models as shop
from tests.tracking.fakes import FakeCarrierServer, dhl_event, dhl_payload

from .conftest import return_line, submit_return
from .test_labels import _ask

pytestmark = pytest.mark.django_db
NUMBER = "999990000000001"  # what the loopback returns API hands out
CREATED = dhl_event("2026-11-28T09:00:00Z", "pre-transit", "The label was created")
ACCEPTED = dhl_event("2026-11-28T16:40:00Z", "transit", "Accepted at the parcel shop")
ARRIVED = dhl_event("2026-11-30T08:15:00Z", "delivered", "Delivered to the shop")


@pytest.fixture
def carrier():
    circuit.forget()
    with FakeCarrierServer() as server:
        yield server
    circuit.forget()


@pytest.fixture
def labelled(gql, label_channel, delivered_order, carrier):
    factories.make_channel("default-channel", dhl_api_key="dhl-key", dhl_api_url=carrier.dhl_url)
    assert _ask(gql, delivered_order)["returnRequest"] == {"state": "LABEL_CREATED"}
    return ReturnRequest.objects.get()


def _return_parcel() -> Parcel:
    return Parcel.tracked.get(direction=Parcel.Direction.RETURN)


def _poll() -> dict:
    """Make the return parcel due (its first check is hours after the label) and poll."""
    Parcel.tracked.filter(direction="return").update(next_check_at=timezone.now())
    return tasks.poll_due_parcels_task.apply().get()


def test_carrier_news_moves_the_return_and_staff_inspection_resolves_it(
    labelled, carrier, delivered_order
):
    parcel = _return_parcel()
    assert (parcel.tracking_number, parcel.carrier, parcel.fulfillment_id) == (
        NUMBER,
        "dhl",
        f"return-{labelled.pk}",
    )
    assert parcel.next_check_at is not None  # scheduled like an outbound parcel
    outbound = set(Parcel.objects.filter(order_id=delivered_order.pk).values_list("pk", flat=True))
    assert parcel.pk not in outbound and len(outbound) == 2

    carrier.dhl[NUMBER] = dhl_payload(NUMBER, [CREATED])
    assert _poll()["checked"] == 1
    labelled.refresh_from_db()
    assert labelled.state == "label_created"

    carrier.dhl[NUMBER] = dhl_payload(NUMBER, [CREATED, ACCEPTED])
    _poll()
    labelled.refresh_from_db()
    assert labelled.state == "handed_over"
    assert labelled.handed_over_at == datetime(2026, 11, 28, 16, 40, tzinfo=UTC)

    carrier.dhl[NUMBER] = dhl_payload(NUMBER, [CREATED, ACCEPTED, ARRIVED])
    _poll()
    labelled.refresh_from_db()
    assert labelled.state == "received"
    assert labelled.received_at == datetime(2026, 11, 30, 8, 15, tzinfo=UTC)
    assert not shop.ReturnFulfillment.objects.exists()  # no refund before staff inspected it
    assert tasks.poll_return_parcels_task.apply().get()["resolved"] == 0
    assert _return_parcel().next_check_at is None  # delivered: no more checks

    # the shopper's side: two delivered parcels, no third one, no parcel email for it
    view = build_status_view(str(delivered_order.pk), get_host().get_config("default-channel"))
    assert len(view.parcels) == 2
    assert not NotificationLog.objects.filter(parcel__direction="return").exists()

    line = str(list(delivered_order.lines.all())[1].pk)
    done = service.mark_received(labelled.pk, get_host(), {line: "Seam torn, as described"})
    assert done.state == "refunded" and done.inspected_at is not None
    assert done.lines.get().inspection_note == "Seam torn, as described"
    assert done.received_at == datetime(2026, 11, 30, 8, 15, tzinfo=UTC)  # the carrier's time
    service.mark_received(labelled.pk, get_host())
    assert shop.ReturnFulfillment.objects.count() == 1


def test_a_failing_tracking_api_backs_off_and_changes_nothing(labelled, carrier):
    for _ in range(3):
        carrier.script[NUMBER].append((503, {"status": 503, "title": "Unavailable"}, {}))
    assert _poll()["failed"] == 1
    labelled.refresh_from_db()
    parcel = _return_parcel()
    assert labelled.state == "label_created"
    assert parcel.check_failures == 1
    assert parcel.next_check_at > timezone.now() + timedelta(minutes=14)


def test_a_return_parcels_problem_goes_to_the_shop_not_the_shopper(
    labelled, carrier, delivered_order
):
    carrier.dhl[NUMBER] = dhl_payload(
        NUMBER, [CREATED, ACCEPTED, dhl_event("2026-11-29T07:00:00Z", "failure", "Damaged")]
    )
    _poll()
    problem = Problem.objects.get(parcel__direction="return")
    assert problem.kind == "exception"
    assert not NotificationLog.objects.filter(event="delay").exists()  # no apology
    view = build_status_view(str(delivered_order.pk), get_host().get_config("default-channel"))
    assert not view.problems


def test_no_scan_days_after_the_label_is_a_problem(labelled):
    Parcel.tracked.filter(direction="return").update(shipped_at=timezone.now() - timedelta(days=30))
    found = problems.detect_problems()
    assert [(p.kind, p.parcel.direction) for p in found] == [("no_scan", "return")]


def test_a_return_the_shop_failed_to_resolve_is_resolved_once_later(delivered_order):
    from sandbox.host import SandboxHost

    class GatewayDown(SandboxHost):
        def process_return(self, *args, **kwargs):
            raise ConnectionError("payment gateway down")

    request = submit_return(delivered_order, [return_line(delivered_order, reason="damaged")])
    service.approve(request.pk)
    request = service.mark_received(request.pk, GatewayDown())
    assert request.state == "received" and not shop.ReturnFulfillment.objects.exists()
    assert tasks.poll_return_parcels_task.apply().get()["resolved"] == 0  # only after 5 min
    ReturnRequest.objects.filter(pk=request.pk).update(
        inspected_at=timezone.now() - timedelta(minutes=6)
    )
    assert tasks.poll_return_parcels_task.apply().get()["resolved"] == 1
    assert tasks.poll_return_parcels_task.apply().get()["resolved"] == 0
    request.refresh_from_db()
    assert request.state == "refunded" and shop.ReturnFulfillment.objects.count() == 1
