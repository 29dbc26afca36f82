"""Carrier clients against real loopback HTTP servers: documented payloads, errors, 429s."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_aftersales.config import parse_config
from saleor_aftersales.core.exceptions import CarrierError, CircuitOpen, RateLimited
from saleor_aftersales.core.parcel_status import ParcelStatus
from saleor_aftersales.tracking.carriers import client_for
from saleor_aftersales.tracking.carriers.aftership import AfterShipClient
from saleor_aftersales.tracking.carriers.base import MalformedPayload
from saleor_aftersales.tracking.carriers.dhl import DhlClient
from saleor_aftersales.tracking.circuit import CircuitBreaker, next_utc_midnight

from .fakes import aftership_checkpoint, aftership_tracking, dhl_event, dhl_payload

NUMBER = "00340434161094042557"


def _config(server):
    return parse_config({
        "dhl_api_key": "dhl-key", "dhl_api_url": server.dhl_url,
        "aftership_api_key": "as-key", "aftership_api_url": server.aftership_url,
    }, channel_slug="default-channel")


def test_dhl_payload_becomes_mapped_events_and_estimate(carrier_server):
    carrier_server.dhl[NUMBER] = dhl_payload(NUMBER, [
        dhl_event("2024-05-02T08:00:00Z", "pre-transit", "Elektronisch angekündigt"),
        dhl_event("2024-05-02T18:00:00Z", "transit", "Im Start-Paketzentrum bearbeitet"),
        dhl_event("2024-05-03T07:10:00Z", "transit", "In das Zustellfahrzeug geladen"),
        dhl_event("2024-05-03T12:30:00Z", "delivered", "Die Sendung wurde zugestellt"),
    ], eta="2024-05-03T18:00:00Z")
    result = DhlClient(_config(carrier_server)).track("dhl", NUMBER)
    statuses = [e.status for e in sorted(result.events, key=lambda e: e.occurred_at)]
    assert statuses == ["label_created", "in_transit", "out_for_delivery", "delivered"]
    assert result.estimated_delivery == date(2024, 5, 3)
    assert result.events[0].location == "Köln, DE"
    _method, _path, headers = carrier_server.requests[-1]
    assert headers["DHL-API-Key"] == "dhl-key"


def test_dhl_failure_text_distinguishes_attempt_and_return(carrier_server):
    client = DhlClient(_config(carrier_server))
    assert client.map_status("failure", "Empfänger nicht angetroffen") == "failed_attempt"
    assert client.map_status("failure", "Rücksendung an den Absender") == "returned"
    assert client.map_status("failure", "Beschädigt") == "exception"
    assert client.map_status("unknown", "") is None


def test_dhl_unknown_number_is_not_found_not_an_error(carrier_server):
    result = DhlClient(_config(carrier_server)).track("dhl", "JJD000390007807541530")
    assert result.found is False and result.events == ()


def test_dhl_429_blocks_every_worker_until_the_next_day(carrier_server):
    carrier_server.script[NUMBER].append((429, {"status": 429, "title": "Too many requests"}))
    config = _config(carrier_server)
    with pytest.raises(RateLimited):
        DhlClient(config).track("dhl", NUMBER)
    # a fresh client (another worker) sees the shared circuit and makes no call
    calls = carrier_server.calls[NUMBER]
    with pytest.raises(CircuitOpen) as info:
        DhlClient(config).track("dhl", NUMBER)
    assert carrier_server.calls[NUMBER] == calls
    until = CircuitBreaker("dhl").open_until()
    assert until == pytest.approx(next_utc_midnight(), abs=5)
    assert info.value.retry_after > 0


def test_aftership_429_honours_retry_after(carrier_server):
    number = "1Z999AA10123456784"
    carrier_server.script[number].append((429, {"meta": {"code": 429}}, {"Retry-After": "30"}))
    with pytest.raises(RateLimited) as info:
        AfterShipClient(_config(carrier_server)).track("ups", number)
    assert 25 <= info.value.retry_after <= 31
    assert CircuitBreaker("aftership").open_until() < time.time() + 31


def test_server_errors_are_retried_then_open_the_circuit(carrier_server):
    config = _config(carrier_server)
    carrier_server.dhl[NUMBER] = dhl_payload(NUMBER, [dhl_event("2024-05-02T08:00:00Z", "transit")])
    carrier_server.script[NUMBER].extend([(503, b"busy"), (503, b"busy")])
    result = DhlClient(config).track("dhl", NUMBER)  # two retries, third answer is fine
    assert result.events and carrier_server.calls[NUMBER] == 3
    carrier_server.script[NUMBER].extend([(500, b"boom")] * 5)
    for _ in range(5):
        with pytest.raises(CarrierError):
            DhlClient(config).track("dhl", NUMBER)
    with pytest.raises(CircuitOpen):
        DhlClient(config).track("dhl", NUMBER)


@pytest.mark.parametrize("garbage", [b"<html>502 Bad Gateway</html>", b"", b"{\"shipments\": 5}",
                                     b"[1, 2]", b"{\"shipments\": [{\"events\": \"x\"}]}"])
def test_garbage_is_reported_never_crashes(carrier_server, garbage):
    carrier_server.script[NUMBER].append((200, garbage))
    try:
        result = DhlClient(_config(carrier_server)).track("dhl", NUMBER)
    except MalformedPayload as exc:
        assert exc.carrier == "dhl"
    else:
        assert result.events == ()


def test_malformed_events_are_skipped_and_the_rest_kept(carrier_server):
    payload = dhl_payload(NUMBER, [dhl_event("2024-05-02T08:00:00Z", "transit")])
    payload["shipments"][0]["events"] += [{"timestamp": "yesterday"}, "nonsense", {}]
    carrier_server.dhl[NUMBER] = payload
    result = DhlClient(_config(carrier_server)).track("dhl", NUMBER)
    assert len(result.events) == 1 and result.skipped == 3


def test_aftership_registers_unknown_numbers_then_reads_checkpoints(carrier_server):
    config = _config(carrier_server)
    number = "1Z999AA10123456784"
    client = AfterShipClient(config)
    assert client.track("ups", number).found is False
    assert carrier_server.registered == [{"tracking_number": number, "slug": "ups"}]
    carrier_server.aftership[number] = aftership_tracking(number, [
        aftership_checkpoint("2024-05-02T10:00:00+02:00", "InTransit"),
        aftership_checkpoint("2024-05-03T09:00:00+02:00", "Exception", "Exception_011"),
    ], slug="ups", eta="2024-05-04")
    result = client.track("ups", number)
    assert [e.status for e in result.events] == ["in_transit", "returned"]
    assert result.estimated_delivery == date(2024, 5, 4)
    assert result.carrier == "ups"
    assert carrier_server.requests[-1][2]["as-api-key"] == "as-key"


def test_client_choice_prefers_carrier_api_then_aggregator(carrier_server):
    config = _config(carrier_server)
    assert isinstance(client_for("dhl", config), DhlClient)
    assert isinstance(client_for("ups", config), AfterShipClient)
    assert client_for("ups", parse_config({"dhl_api_key": "k"})) is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["shipments", "events", "timestamp", "statusCode",
                                       "status", "data", "trackings", "checkpoints",
                                       "checkpoint_time", "tag", "location"]), children,
                      max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=json_values)
def test_parsers_survive_any_json(payload):
    config = parse_config({"dhl_api_key": "k", "aftership_api_key": "k"})
    for client in (DhlClient(config), AfterShipClient(config)):
        try:
            result = client.parse(payload, None, "X")
        except MalformedPayload:
            continue
        for event in result.events:
            assert event.status in {*ParcelStatus.values, None}


@settings(max_examples=200)
@given(
    events=st.lists(
        st.tuples(
            st.datetimes(  # the years a carrier's feed may name (``PLAUSIBLE_YEARS``)
                min_value=datetime(2000, 1, 2), max_value=datetime(2100, 12, 30),
                timezones=st.just(UTC),
            ),
            st.sampled_from(["pre-transit", "transit", "delivered", "failure", "unknown", "??"]),
            st.text(max_size=30),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_dhl_parse_keeps_every_wellformed_event(events):
    config = parse_config({"dhl_api_key": "k"})
    payload = dhl_payload(NUMBER, [dhl_event(t.isoformat(), c, s) for t, c, s in events])
    result = DhlClient(config).parse(payload, "dhl", NUMBER)
    assert result.skipped == 0
    assert len({e.source_id for e in result.events}) == len(
        {(t.isoformat(), c, s) for t, c, s in events}
    )


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+14:00", "1999-12-31T12:00:00Z",
                                  "2101-01-01T12:00:00Z"])
def test_dhl_skips_an_event_of_an_impossible_year(when):
    config = parse_config({"dhl_api_key": "k"})
    payload = dhl_payload(NUMBER, [dhl_event(when, "transit", "Sorted"),
                                   dhl_event("2026-11-30T08:00:00+01:00", "transit", "Loaded")])
    result = DhlClient(config).parse(payload, "dhl", NUMBER)
    assert result.skipped == 1 and [e.description for e in result.events] == ["Loaded"]
