"""More karrio extensions against loopback: each one's own tracking fixture and error answer
(karrio's tests, release 2026.1.32), through karrio's request and parse code and our client."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("karrio.mappers.hermes")

from saleor_aftersales.config import parse_config
from saleor_aftersales.core.exceptions import CarrierError, CircuitOpen, RateLimited
from saleor_aftersales.core.parcel_status import advance
from saleor_aftersales.tracking.carriers.karrio_client import KarrioClient

from . import karrio_server as fx

#: our code, karrio name, account, tracking fixture, error fixture, newest status expected
EXTENSIONS = [
    (
        "hermes",
        "hermes",
        {"username": "u", "password": "p", "client_id": "c", "client_secret": "s"},
        "hermes_tracking.json",
        "hermes_error.json",
        ["label_created", "in_transit", "out_for_delivery", "delivered"],
    ),
    (
        "post_fr",
        "laposte",
        {"api_key": "k"},
        "laposte_tracking.json",
        "laposte_error.json",
        ["label_created", "in_transit", "out_for_delivery", "delivered"],  # La Poste's codes
    ),
    (
        "usps",
        "usps",
        {"client_id": "c", "client_secret": "s"},
        "usps_tracking.json",
        "usps_error.json",
        ["in_transit", "out_for_delivery", "delivered"],
    ),
    (
        "fedex",
        "fedex",
        {"api_key": "k", "secret_key": "s", "track_api_key": "tk", "track_secret_key": "ts"},
        "fedex_tracking.json",
        "fedex_error.json",
        ["in_transit", "out_for_delivery", "delivered"],
    ),
    (
        "dhl_express",
        "dhl_express",
        {"site_id": "site", "password": "password1"},
        "dhl_express_tracking.xml",
        "dhl_express_error.xml",
        ["in_transit", "out_for_delivery", "delivered"],
    ),
    (
        "post_ca",
        "canadapost",
        {"username": "u", "password": "p", "customer_number": "1"},
        "canadapost_tracking.xml",
        "canadapost_error.xml",
        ["delivered"],
    ),
    (
        "post_be",
        "bpost",
        {"account_id": "1", "passphrase": "p"},
        "bpost_tracking.xml",
        "bpost_error.xml",
        ["in_transit", "delivered"],
    ),
    (
        "deutsche_post",
        "dhl_universal",
        {"consumer_key": "k", "consumer_secret": "s"},
        "dhl_universal_tracking.json",
        "dhl_universal_error.json",
        # the fixture's one event says statusCode "pre-transit" (DHL's code) and status
        # "DELIVERED" (free text, which karrio reads): the documented code wins
        ["label_created"],
    ),
]
IDS = [e[1] for e in EXTENSIONS]


@pytest.fixture
def server():
    with fx.KarrioCarrierServer() as running:
        yield running


def _client(server, name, account) -> KarrioClient:
    accounts = {name: dict(account, base_url=server.url)}
    return KarrioClient(parse_config({"karrio_carriers": json.dumps(accounts)}))


def _body(name: str):
    text = fx.fixture(name)
    return json.loads(text) if name.endswith(".json") else text


@pytest.mark.parametrize(("code", "name", "account", "ok", "error", "journey"), EXTENSIONS, ids=IDS)
def test_fixture_answers_become_our_statuses(server, code, name, account, ok, error, journey):
    server.default = (200, _body(ok))
    result = _client(server, name, account).track(code, "TRACK123")
    assert result.found and result.events
    ordered = [e.status for e in sorted(result.events, key=lambda e: e.occurred_at) if e.status]
    status = "pending"
    for step in ordered:
        status = advance(status, step)
    assert status == journey[-1]
    assert [s for s in journey if s in ordered] == journey  # every stage, in order
    assert server.calls["*"] >= 1  # karrio's request reached the loopback server


@pytest.mark.parametrize(("code", "name", "account", "ok", "error", "journey"), EXTENSIONS, ids=IDS)
def test_error_answers_are_not_found_or_a_clear_error(
    server, code, name, account, ok, error, journey
):
    server.default = (200, _body(error))
    try:
        result = _client(server, name, account).track(code, "TRACK123")
    except CarrierError as exc:  # a refused request: never a crash, never "no news"
        assert not isinstance(exc, (RateLimited, CircuitOpen))
    else:
        assert result.found is False and result.events == ()


def test_a_missing_setting_is_a_clear_error(server):
    client = _client(server, "fedex", {"api_key": "k", "secret_key": "s"})  # no track keys
    with pytest.raises(CarrierError, match="track_api_key"):
        client.track("fedex", "TRACK123")


@pytest.mark.parametrize(("code", "name", "account", "ok", "error", "journey"), EXTENSIONS, ids=IDS)
def test_429_and_5xx(server, code, name, account, ok, error, journey):
    client = _client(server, name, account)
    server.default = (429, {"status": 429}, {"Retry-After": "30"})
    with pytest.raises(RateLimited):
        client.track(code, "TRACK123")
    with pytest.raises(CircuitOpen):
        KarrioClient(client.config).track(code, "TRACK123")
    from saleor_aftersales.tracking import circuit

    circuit.forget()
    from django.core.cache import cache

    cache.clear()
    server.default = (502, "<html>Bad Gateway</html>")
    with pytest.raises(CarrierError) as info:
        KarrioClient(client.config).track(code, "TRACK123")
    assert info.value.status_code == 502
