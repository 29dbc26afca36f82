"""L7: carrier APIs that trickle, bloat, garble, answer the wrong shape, fail or reset —
every one is a clear, bounded failure that counts towards the circuit and the back-off."""

from __future__ import annotations

import json
import time

import pytest
from django.utils import timezone

from saleor_aftersales.config import parse_config
from saleor_aftersales.core.exceptions import CarrierError, CircuitOpen
from saleor_aftersales.models import Parcel
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.tracking import http
from saleor_aftersales.tracking.carriers.aftership import AfterShipClient
from saleor_aftersales.tracking.carriers.base import MalformedPayload
from saleor_aftersales.tracking.carriers.dhl import DhlClient
from saleor_aftersales.tracking.polling import poll_due_parcels
from sandbox import factories

from .carrier_faults import (
    answer,
    declared_oversized,
    oversized,
    reset,
    trickle_body,
    trickle_headers,
)

pytestmark = pytest.mark.django_db

DHL_NUMBER = "00340434161094042557"
DEADLINE = 1.5  # the suite's overall deadline (production: http.DEADLINE)


@pytest.fixture(autouse=True)
def _short_deadline(monkeypatch):
    monkeypatch.setattr(http, "DEADLINE", DEADLINE, raising=False)
    monkeypatch.setattr(http, "BACKOFF", 0.01)



DHL_WRONG_SHAPES = {
    "shipment without events or status": {"shipments": [{"id": DHL_NUMBER}]},
    "shipments not objects": {"shipments": ["transit"]},
    "events not a list": {"shipments": [{"id": DHL_NUMBER, "events": "soon"}]},
    "no event readable": {"shipments": [{"id": DHL_NUMBER, "events": [{"when": "now"}]}]},
    "no shipments": {"results": []},
}
AFTERSHIP_WRONG_SHAPES = {
    "tracking without tag or checkpoints": {"data": {"trackings": [{"id": "x"}]}},
    "trackings not objects": {"data": {"trackings": ["InTransit"]}},
    "checkpoints not a list": {"data": {"trackings": [{"tag": "InTransit",
                                                         "checkpoints": {"1": "Köln"}}]}},
    "no checkpoint readable": {"data": {"trackings": [{"tag": "InTransit",
                                                         "checkpoints": [{"city": "Köln"}]}]}},
}


def dhl(url: str) -> DhlClient:
    return DhlClient(parse_config({"dhl_api_key": "k", "dhl_api_url": url}))


def aftership(url: str) -> AfterShipClient:
    return AfterShipClient(parse_config({"aftership_api_key": "k", "aftership_api_url": url}))


def failure_of(client, number: str = DHL_NUMBER, carrier: str | None = "dhl") -> CarrierError:
    started = time.monotonic()
    with pytest.raises(CarrierError) as caught:
        client.track(carrier, number)
    elapsed = time.monotonic() - started
    assert elapsed < DEADLINE + 1.0, f"a failing call took {elapsed:.1f} s"
    assert not isinstance(caught.value, CircuitOpen)
    return caught.value


def test_l7_trickled_body_is_cut_at_the_overall_deadline(carrier_api):
    api = carrier_api(trickle_body)
    error = failure_of(dhl(api.url))
    assert error.carrier == "dhl" and "in time" in str(error)


def test_l7_trickled_headers_are_cut_at_the_overall_deadline(carrier_api):
    api = carrier_api(trickle_headers)
    error = failure_of(dhl(api.url))
    assert error.carrier == "dhl" and "in time" in str(error)


@pytest.mark.parametrize("behaviour", [oversized, declared_oversized],
                         ids=["streamed", "content-length"])
def test_l7_oversized_answer_is_refused(carrier_api, behaviour):
    api = carrier_api(behaviour)
    error = failure_of(dhl(api.url))
    assert error.carrier == "dhl" and error.status_code == 200
    assert f"over {http.MAX_BODY}" in str(error)


def test_l7_garbage_is_a_failure(carrier_api):
    api = carrier_api(answer(200, b"<html>Wartungsarbeiten</html>", "text/html"))
    error = failure_of(dhl(api.url))
    assert isinstance(error, MalformedPayload) and error.status_code == 200
    assert "Wartungsarbeiten" in error.response


@pytest.mark.parametrize("payload", DHL_WRONG_SHAPES.values(), ids=DHL_WRONG_SHAPES.keys())
def test_l7_dhl_wrong_shape_is_a_failure_not_no_news(carrier_api, payload):
    api = carrier_api(answer(200, json.dumps(payload).encode()))
    error = failure_of(dhl(api.url))
    assert isinstance(error, MalformedPayload) and error.carrier == "dhl"
    assert error.status_code == 200


@pytest.mark.parametrize("payload", AFTERSHIP_WRONG_SHAPES.values(),
                         ids=AFTERSHIP_WRONG_SHAPES.keys())
def test_l7_aftership_wrong_shape_is_a_failure_not_no_news(carrier_api, payload):
    api = carrier_api(answer(200, json.dumps(payload).encode()))
    error = failure_of(aftership(api.url.rsplit("/track", 1)[0]), "1Z999AA10123456784", "ups")
    assert isinstance(error, MalformedPayload) and error.carrier == "aftership"


FAULTS = {
    "trickle": trickle_body,
    "oversized": declared_oversized,
    "garbage": answer(200, b"\x00\xff not json"),
    "wrong shape": answer(200, json.dumps(DHL_WRONG_SHAPES["events not a list"]).encode()),
    "5xx": answer(503, b'{"title": "Service Unavailable"}'),
    "reset": reset,
}


@pytest.mark.parametrize("behaviour", FAULTS.values(), ids=FAULTS.keys())
def test_l7_every_carrier_fault_counts_towards_the_circuit(carrier_api, behaviour):
    api = carrier_api(behaviour)
    client = dhl(api.url)
    for _ in range(client.breaker.threshold):
        failure_of(client)
    calls = api.requests
    with pytest.raises(CircuitOpen):
        client.track("dhl", DHL_NUMBER)
    assert api.requests == calls  # an open circuit makes no call


def test_l7_wrong_shape_backs_the_parcel_off(carrier_api, channel):
    """The poll records a failure (back-off) instead of "checked, no news"."""
    api = carrier_api(answer(200, json.dumps(DHL_WRONG_SHAPES["no event readable"]).encode()))
    factories.make_channel("default-channel", dhl_api_key="k", dhl_api_url=api.url)
    order = factories.make_order(lines=1, parcels=1, channel=channel,
                                 tracking_numbers=[DHL_NUMBER])
    for fulfillment in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(fulfillment.pk), "fulfillment_created")
    Parcel.objects.filter(order_id=order.pk).update(next_check_at=timezone.now())
    stats = poll_due_parcels()
    parcel = Parcel.objects.get(order_id=order.pk)
    assert (stats.checked, stats.failed) == (0, 1)
    assert parcel.check_failures == 1 and parcel.next_check_at > timezone.now()
