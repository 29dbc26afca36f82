"""The karrio provider against loopback carrier APIs: karrio's own request building and
parsing code, our poll cycle, breaker and back-off around it (``[carriers]`` extra)."""

from __future__ import annotations

import json
import logging

import pytest

pytest.importorskip("karrio.mappers.dhl_parcel_de")

from saleor_aftersales.config import karrio as karrio_accounts
from saleor_aftersales.config import parse_config, validate_config
from saleor_aftersales.core.exceptions import CarrierError, CircuitOpen, RateLimited
from saleor_aftersales.models import Parcel
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.tracking.carriers import client_for, karrio_client
from saleor_aftersales.tracking.carriers.karrio_client import KarrioClient
from sandbox import factories

from . import karrio_server as fx

DHL = "00340434161094015902"  # karrio's fixture number
UPS = "1Z5R89390357567127"
GLS = "36301917596"
DPD = "05308801410058"  # karrio's fixture number


@pytest.fixture
def server():
    with fx.KarrioCarrierServer() as running:
        yield running


def _accounts(server) -> dict:
    return {
        "dhl_parcel_de": {
            "username": "user",
            "password": "pass",
            "client_id": "key",
            "client_secret": "secret",
            "base_url": server.url,
        },
        "ups": {"client_id": "ups-id", "client_secret": "ups-secret", "base_url": server.url},
        "gls": {"client_id": "gls-id", "client_secret": "gls-secret", "base_url": server.url},
        "dpd": {"delis_id": "KD00001", "password": "dpd-pass", "base_url": server.url},
    }


def _client(server) -> KarrioClient:
    config = parse_config(
        {"karrio_carriers": json.dumps(_accounts(server))}, channel_slug="default-channel"
    )
    return KarrioClient(config)


def _statuses(result) -> list:
    return [e.status for e in sorted(result.events, key=lambda e: e.occurred_at)]


CARRIERS = [("dhl", DHL), ("ups", UPS), ("gls", GLS), ("dpd", DPD)]

#: Each carrier's answer to a wrong key: karrio's fixtures (UPS, DPD), DHL's API gateway and
#: GLS's error shape as their documentation shows them.
AUTH_ERRORS = {
    "dhl": lambda: {"status": 401, "title": "Unauthorized", "detail": "Invalid credentials"},
    "ups": lambda: json.loads(fx.fixture("ups_auth_error.json")),
    "gls": lambda: {"errors": [{"code": "401", "message": "Unauthorized"}]},
    "dpd": lambda: fx.fixture("dpd_error.xml"),
}

# --- the states, per carrier --------------------------------------------------------------

DHL_STATES = [
    ({"events": 4}, "in_transit"),
    ({"events": 6}, "out_for_delivery"),  # "loaded onto the delivery vehicle"
    ({"events": 6, "failed": True}, "failed_attempt"),
    ({"delivered": True}, "delivered"),
]


@pytest.mark.parametrize(("shape", "expected"), DHL_STATES)
def test_dhl_parcel_de_states(server, shape, expected):
    server.answers[DHL] = (200, fx.dhl_parcel_de(DHL, **shape))
    result = _client(server).track("dhl", DHL)
    newest = max(result.events, key=lambda e: e.occurred_at)
    assert newest.status == expected
    assert any("/parcel/de/tracking/v0/shipments?xml=" in p for p in server.paths)


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        (("label",), "label_created"),
        (("label", "transit"), "in_transit"),
        (("label", "transit", "out"), "out_for_delivery"),
        (("label", "transit", "exception"), "exception"),
        (("label", "transit", "out", "delivered"), "delivered"),
    ],
)
def test_ups_and_gls_states(server, states, expected):
    server.answers[UPS] = (200, fx.ups(UPS, *states))
    server.answers[GLS] = (200, fx.gls(GLS, *states))
    client = _client(server)
    ups = client.track("ups", UPS)
    assert _statuses(ups)[-1] == expected
    assert len(ups.events) == len(states)
    gls = KarrioClient(client.config).track("gls", GLS)
    gls_expected = "failed_attempt" if expected == "exception" else expected
    assert _statuses(gls)[-1] == gls_expected


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ((2,), "in_transit"),  # BetweenDepots (a DPD code karrio leaves unmapped)
        ((3,), "in_transit"),  # Depot
        ((5,), "out_for_delivery"),  # Courier
        ((5, "DeliveryFailure"), "failed_attempt"),
        ((5, "ParcelShop"), "ready_for_pickup"),
        ((5, "Delivered"), "delivered"),
    ],
)
def test_dpd_states(server, shape, expected):
    server.answers[DPD] = (200, fx.dpd(*shape))
    result = _client(server).track("dpd", DPD)
    assert _statuses(result)[-1] == expected
    assert any(p.endswith("/soap/services/ParcelLifeCycleService/V2_0") for p in server.paths)


@pytest.mark.xfail(
    strict=True,
    reason="karrio-dpd reads DPD's 12-hour times as 24-hour "
    "(2:43:31 PM becomes 02:43), so afternoon events sort before the morning",
)
def test_dpd_afternoon_events_keep_their_order(server):
    server.answers[DPD] = (200, fx.dpd(6))  # the 6th event: DeliveryFailure at 2:43:31 PM
    result = _client(server).track("dpd", DPD)
    assert _statuses(result)[-1] == "failed_attempt"


def test_unknown_numbers_are_not_found_yet(server):
    server.answers[DHL] = (200, fx.fixture("dhl_parcel_de_not_found.xml"))
    server.answers[UPS] = (200, json.loads(fx.fixture("ups_not_found.json")))
    server.answers[GLS] = (404, json.loads(fx.fixture("gls_not_found.json")))
    client = _client(server)
    for carrier, number in (("dhl", DHL), ("ups", UPS), ("gls", GLS)):
        result = KarrioClient(client.config).track(carrier, number)
        assert result.found is False and result.events == (), carrier


@pytest.mark.parametrize(("carrier", "number"), CARRIERS)
def test_401_is_our_key_not_the_carriers_health(server, carrier, number):
    server.answers[number] = (401, AUTH_ERRORS[carrier]())
    client = _client(server)
    for _ in range(6):  # more than the breaker's threshold
        with pytest.raises(CarrierError) as info:
            KarrioClient(client.config).track(carrier, number)
        assert info.value.status_code == 401
        assert not isinstance(info.value, (RateLimited, CircuitOpen))


@pytest.mark.parametrize(("carrier", "number"), CARRIERS)
def test_429_backs_off_every_worker(server, carrier, number):
    server.answers[number] = (
        429,
        {"title": "Too many requests", "status": 429},
        {"Retry-After": "120"},
    )
    client = _client(server)
    with pytest.raises(RateLimited) as info:
        client.track(carrier, number)
    assert info.value.retry_after == pytest.approx(120, abs=1)
    calls = server.calls[number]
    with pytest.raises(CircuitOpen):  # another worker makes no call
        KarrioClient(client.config).track(carrier, number)
    assert server.calls[number] == calls


@pytest.mark.parametrize(("carrier", "number"), CARRIERS)
def test_5xx_opens_the_circuit(server, carrier, number):
    client = _client(server)
    fx.assert_5xx_opens_the_circuit(server, lambda: KarrioClient(client.config), carrier, number)


# --- the poll cycle -----------------------------------------------------------------------


#: shipping method, number, answers polled in turn, the parcel's status after each poll
JOURNEYS = [
    (
        "UPS Standard",
        UPS,
        [
            fx.ups(UPS, "label"),
            fx.ups(UPS, "label", "transit"),
            fx.ups(UPS, "label", "transit", "out"),
            fx.ups(UPS, "label", "transit", "out", "delivered"),
        ],
        ["label_created", "in_transit", "out_for_delivery", "delivered"],
    ),
    (
        "GLS Business",
        GLS,
        [
            fx.gls(GLS, "label"),
            fx.gls(GLS, "label", "transit"),
            fx.gls(GLS, "label", "transit", "out"),
            fx.gls(GLS, "label", "transit", "out", "delivered"),
        ],
        ["label_created", "in_transit", "out_for_delivery", "delivered"],
    ),
    (
        "DHL Paket",
        DHL,
        [
            fx.dhl_parcel_de(DHL, 4),
            fx.dhl_parcel_de(DHL, 6),
            fx.dhl_parcel_de(DHL, delivered=True),
        ],
        ["in_transit", "out_for_delivery", "delivered"],
    ),
    (
        "DPD Classic",
        DPD,
        [fx.dpd(2), fx.dpd(5), fx.dpd(5, "Delivered")],
        ["in_transit", "out_for_delivery", "delivered"],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "number", "answers", "journey"), JOURNEYS)
def test_poll_cycle_follows_the_parcel_to_delivery(server, method, number, answers, journey):
    channel = factories.make_channel(
        "default-channel", karrio_carriers=json.dumps(_accounts(server))
    )
    order = factories.make_order(
        lines=1, parcels=1, channel=channel, tracking_numbers=[number], shipping_method_name=method
    )
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    parcel = Parcel.objects.get(order_id=order.pk)
    assert parcel.next_check_at is not None, "a carrier account makes the parcel pollable"
    assert fx.poll_through(server, parcel, number, answers) == journey
    assert parcel.next_check_at is None  # delivered: never asked again


# --- settings ------------------------------------------------------------------------------


def test_settings_validation_names_a_missing_extension_and_bad_json(monkeypatch):
    assert validate_config({"karrio_carriers": "{not json"})["karrio_carriers"].startswith(
        "Carrier accounts: enter a JSON object"
    )
    assert (
        "unknown carrier 'nope'"
        in validate_config({"karrio_carriers": '{"nope": {}}'})["karrio_carriers"]
    )
    monkeypatch.setattr(karrio_accounts, "installed", lambda name: name != "hermes")
    monkeypatch.setattr(karrio_client, "installed", lambda name: name != "hermes")
    error = validate_config({"karrio_carriers": '{"hermes": {"username": "u"}}'})
    assert "karrio-hermes" in error["karrio_carriers"]
    # and polling does not crash: the carrier falls back to the next API (none here)
    config = parse_config({"karrio_carriers": '{"hermes": {"username": "u"}}'})
    assert client_for("hermes", config) is None


def test_unknown_karrio_status_is_ignored_and_logged_once(caplog):
    with caplog.at_level(logging.WARNING):
        assert karrio_client.map_status("teleported") is None
        assert karrio_client.map_status("teleported") is None
    assert sum("teleported" in r.getMessage() for r in caplog.records) == 1
    assert karrio_client.map_status("in_transit", "Out For Delivery Today") == "out_for_delivery"


@pytest.mark.django_db
def test_doctor_tries_each_channels_account_and_names_a_missing_extension(server, monkeypatch):
    from saleor_aftersales.operations import doctor

    accounts = {"ups": _accounts(server)["ups"]}
    config = parse_config({"karrio_carriers": json.dumps(accounts)}, channel_slug="shop")
    server.default = (401, AUTH_ERRORS["ups"]())
    lines = [line for line in doctor.check_carriers(config) if "karrio" in line.topic]
    assert len(lines) == 1 and not lines[0].ok and "credentials refused" in str(lines[0])
    monkeypatch.setattr(karrio_accounts, "installed", lambda name: False)
    monkeypatch.setattr(karrio_client, "installed", lambda name: False)
    line = doctor.check_configuration(config)
    assert not line.ok and "karrio-ups" in str(line)


def test_dhl_429_without_retry_after_waits_for_the_daily_quota(server):
    from saleor_aftersales.tracking.circuit import CircuitBreaker, next_utc_midnight

    server.answers[DHL] = (429, {"status": 429, "title": "Too Many Requests"})
    with pytest.raises(RateLimited):
        _client(server).track("dhl", DHL)
    until = CircuitBreaker("karrio:dhl_parcel_de").open_until()
    assert until == pytest.approx(next_utc_midnight(), abs=5)


def test_tracking_works_from_a_thread_that_runs_an_event_loop(server):
    """karrio starts its own event loop; a caller inside a running loop (an async view, or a
    browser session in the same test process) still gets the carrier's answer."""
    import asyncio
    import threading

    server.answers[DHL] = (200, fx.dhl_parcel_de(DHL, delivered=True))

    async def inside_a_loop():
        return _client(server).track("dhl", DHL)

    # a thread of its own: this test's thread may already run a loop (a browser session)
    results: list = []
    worker = threading.Thread(target=lambda: results.append(asyncio.run(inside_a_loop())))
    worker.start()
    worker.join(30)
    assert results, "tracking inside a running event loop failed"
    assert max(results[0].events, key=lambda e: e.occurred_at).status == "delivered"
