"""Australia Post through karrio against loopback: karrio's own fixture (its tests of the
extension, release 2026.1.32, ``karrio_fixtures/australiapost_*.json``) and states derived
from it by keeping the oldest events and setting the item's status to another value the
extension maps ("In transit", "On Board for Delivery", "Unsuccessful Delivery")."""

from __future__ import annotations

import copy
import json

import pytest
from django.utils import timezone

pytest.importorskip("karrio.mappers.australiapost")

from saleor_aftersales.config import parse_config
from saleor_aftersales.core.exceptions import CarrierError, CircuitOpen, RateLimited
from saleor_aftersales.models import Parcel
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.tracking.carriers.karrio_client import KarrioClient
from saleor_aftersales.tracking.polling import poll_due_parcels
from sandbox import factories

from . import karrio_server as fx

NUMBER = "LX123456789US"  # the fixture's delivered article (its answer holds two others)
ACCOUNT = {"api_key": "k", "password": "p", "account_number": "1"}


def auspost(events: int | None = None, status: str | None = None) -> dict:
    """karrio's fixture with the article's oldest ``events`` events and item ``status``."""
    body = json.loads(fx.fixture("australiapost_tracking.json"))
    item = body["tracking_results"][1]["trackable_items"][0]
    if events is not None:
        item["events"] = copy.deepcopy(item["events"][-events:])  # newest first, as sent
    if status is not None:
        item["status"] = body["tracking_results"][1]["status"] = status
    return body


#: answers polled in turn, the parcel's status after each poll
JOURNEY = (
    [
        auspost(2, "In transit"),
        auspost(7, "On Board for Delivery"),
        auspost(8, "Unsuccessful Delivery"),
        auspost(),
    ],
    ["in_transit", "out_for_delivery", "failed_attempt", "delivered"],
)


@pytest.fixture
def server():
    with fx.KarrioCarrierServer() as running:
        yield running


def _accounts(server) -> str:
    return json.dumps({"australiapost": dict(ACCOUNT, base_url=server.url)})


def _client(server) -> KarrioClient:
    return KarrioClient(parse_config({"karrio_carriers": _accounts(server)}))


@pytest.mark.django_db
def test_a_poll_moves_the_parcel_from_label_created_to_delivered(server):
    channel = factories.make_channel("default-channel", karrio_carriers=_accounts(server))
    order = factories.make_order(channel=channel, parcels=1, tracking_numbers=[NUMBER])
    lifecycle.handle_order_event(str(order.pk), "order_created")
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    parcel = Parcel.objects.get(order_id=order.pk)
    Parcel.objects.filter(pk=parcel.pk).update(carrier="post_au")
    seen = []
    for answer in JOURNEY[0]:
        server.answers[NUMBER] = (200, answer)
        Parcel.objects.filter(pk=parcel.pk).update(next_check_at=timezone.now())
        poll_due_parcels()
        parcel.refresh_from_db()
        seen.append(parcel.status)
    assert seen == JOURNEY[1]
    # every event of the article is stored once, with its carrier text; none of the others'
    texts = list(parcel.events.order_by("occurred_at").values_list("description", flat=True))
    assert texts[0] == "Received item from Sender (Outbound)"
    assert texts[-1] == "Delivered - Left in a safe place"
    assert len(texts) == 9
    assert parcel.delivered_at.isoformat().startswith(
        "2021-01-21"
    )  # the delivery, not the first scan


def test_an_unknown_number_is_not_found_or_a_clear_error(server):
    server.default = (200, json.loads(fx.fixture("australiapost_error.json")))
    try:
        result = _client(server).track("post_au", "7XX1000")
    except CarrierError as exc:
        assert not isinstance(exc, (RateLimited, CircuitOpen))
    else:
        assert result.found is False and result.events == ()


def test_401_429_and_5xx(server):
    server.default = (401, {"errors": [{"code": "API_001", "name": "UNAUTHORISED"}]})
    with pytest.raises(CarrierError) as refused:
        _client(server).track("post_au", NUMBER)
    assert refused.value.status_code == 401
    server.default = (429, {"errors": [{"code": "429", "name": "TOO_MANY"}]}, {"Retry-After": "30"})
    with pytest.raises(RateLimited):
        _client(server).track("post_au", NUMBER)
    with pytest.raises(CircuitOpen):
        _client(server).track("post_au", NUMBER)
    from django.core.cache import cache

    from saleor_aftersales.tracking import circuit

    circuit.forget()
    cache.clear()
    server.default = (503, "<html>Service Unavailable</html>")
    with pytest.raises(CarrierError) as failed:
        _client(server).track("post_au", NUMBER)
    assert failed.value.status_code == 503
