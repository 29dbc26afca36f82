"""The return parcel on its way back: the carrier's first scan (loopback DHL tracking API)
marks the return handed over; a label alone, or a failing API, changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from saleor_aftersales import tasks
from saleor_aftersales.returns.models import ReturnRequest
from saleor_aftersales.tracking import circuit
from sandbox import factories
from tests.tracking.fakes import FakeCarrierServer, dhl_event, dhl_payload

from .test_labels import _ask

pytestmark = pytest.mark.django_db
NUMBER = "999990000000001"  # what the loopback returns API hands out


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


def test_first_scan_marks_the_return_handed_over(labelled, carrier):
    carrier.dhl[NUMBER] = dhl_payload(
        NUMBER, [dhl_event("2026-11-28T09:00:00Z", "pre-transit", "The label was created")]
    )
    assert tasks.poll_return_parcels_task.apply().get()["handed_over"] == 0
    labelled.refresh_from_db()
    assert labelled.state == "label_created"

    carrier.dhl[NUMBER] = dhl_payload(
        NUMBER,
        [
            dhl_event("2026-11-28T09:00:00Z", "pre-transit", "The label was created"),
            dhl_event("2026-11-28T16:40:00Z", "transit", "Accepted at the parcel shop"),
        ],
    )
    assert tasks.poll_return_parcels_task.apply().get()["handed_over"] == 1
    labelled.refresh_from_db()
    assert labelled.state == "handed_over"
    assert labelled.handed_over_at == datetime(2026, 11, 28, 16, 40, tzinfo=UTC)
    assert tasks.poll_return_parcels_task.apply().get()["checked"] == 0  # done with it


def test_a_failing_tracking_api_changes_nothing(labelled, carrier):
    carrier.script[NUMBER].append((503, {"status": 503, "title": "Unavailable"}, {}))
    carrier.script[NUMBER].append((503, {"status": 503, "title": "Unavailable"}, {}))
    carrier.script[NUMBER].append((503, {"status": 503, "title": "Unavailable"}, {}))
    counts = tasks.poll_return_parcels_task.apply().get()
    assert counts["failed"] == 1
    labelled.refresh_from_db()
    assert labelled.state == "label_created"


def test_a_return_the_shop_failed_to_resolve_is_resolved_once_later(delivered_order):
    from datetime import timedelta

    from django.utils import timezone

    from saleor_aftersales.hosts import get_host
    from saleor_aftersales.returns import service
    from sandbox import models as shop
    from sandbox.host import SandboxHost

    class GatewayDown(SandboxHost):
        def process_return(self, *args, **kwargs):
            raise ConnectionError("payment gateway down")

    host = get_host()
    view = host.get_order(str(delivered_order.pk))
    line = str(delivered_order.lines.first().pk)
    request = service.submit(
        view,
        host.get_config(view.channel_slug),
        host,
        [service.LineRequest(line, 1, "damaged")],
        resolution="refund",
    )
    service.approve(request.pk)
    request = service.mark_received(request.pk, GatewayDown())
    assert request.state == "received" and not shop.ReturnFulfillment.objects.exists()
    assert tasks.poll_return_parcels_task.apply().get()["resolved"] == 0  # only after 5 min
    ReturnRequest.objects.filter(pk=request.pk).update(
        received_at=timezone.now() - timedelta(minutes=6)
    )
    assert tasks.poll_return_parcels_task.apply().get()["resolved"] == 1
    assert tasks.poll_return_parcels_task.apply().get()["resolved"] == 0
    request.refresh_from_db()
    assert request.state == "refunded" and shop.ReturnFulfillment.objects.count() == 1
