"""Outbound HTTP retries and the shared circuit breaker."""

from __future__ import annotations

import socket
import time

import pytest
import requests

from saleor_aftersales.config import parse_config
from saleor_aftersales.core.exceptions import CarrierError, CircuitOpen
from saleor_aftersales.tracking import circuit, http
from saleor_aftersales.tracking.carriers.dhl import DhlClient
from saleor_aftersales.tracking.circuit import CircuitBreaker


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_errors_are_retried_with_backoff_then_raised():
    pauses = []
    url = f"http://127.0.0.1:{_closed_port()}/track/shipments"
    with pytest.raises(requests.ConnectionError):
        http.request("GET", url, timeout=1, send=http.requests_send, sleep=pauses.append)
    assert pauses == [http.BACKOFF, http.BACKOFF * 2]


def test_an_injected_send_is_used_for_every_call(carrier_server):
    seen = []

    def send(method, url, **kwargs):
        seen.append((method, url, kwargs["params"], kwargs["timeout"]))
        return http.requests_send(method, url, **kwargs)

    config = parse_config({"dhl_api_key": "dhl-key", "dhl_api_url": carrier_server.dhl_url})
    DhlClient(config, send=send).track("dhl", "JJD000390007807541530")
    assert seen == [("GET", carrier_server.dhl_url,
                     {"trackingNumber": "JJD000390007807541530", "service": "parcel-de"}, 10.0)]


def test_unreachable_api_counts_towards_the_circuit(db):
    config = parse_config({"dhl_api_key": "k",
                           "dhl_api_url": f"http://127.0.0.1:{_closed_port()}/x"})
    client = DhlClient(config, send=lambda *a, **k: (_ for _ in ()).throw(
        requests.ConnectionError("refused")))
    for _ in range(client.breaker.threshold):
        with pytest.raises(CarrierError):
            client.track("dhl", "X")
    with pytest.raises(CircuitOpen):
        client.track("dhl", "X")


def test_half_open_lets_one_probe_through_and_success_closes(db):
    breaker = CircuitBreaker("probe-test", threshold=1, cooldown=0.2)
    assert breaker.record_failure() is True
    assert breaker.allow() is False
    time.sleep(0.25)
    circuit.forget()
    assert breaker.allow() is True  # the probe
    assert CircuitBreaker("probe-test", threshold=1, cooldown=0.2).allow() is False
    breaker.record_success()
    circuit.forget()
    assert CircuitBreaker("probe-test").allow() is True


def test_another_workers_block_is_seen_after_the_snapshot_expires(db, monkeypatch):
    monkeypatch.setattr(circuit, "SNAPSHOT_SECONDS", 0.05)
    mine = CircuitBreaker("shared-test")
    assert mine.allow()
    from django.core.cache import cache

    cache.set("aftersales:circuit:shared-test:open_until", time.time() + 60)  # other process
    time.sleep(0.06)
    assert mine.allow() is False


def test_a_custom_ca_bundle_is_honoured_without_proxy_variables(monkeypatch, tmp_path):
    bundle = tmp_path / "shop-ca.pem"
    bundle.write_text("")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    monkeypatch.setattr(http._local, "session", None, raising=False)
    assert http._session().verify == str(bundle)
    monkeypatch.setattr(http._local, "session", None, raising=False)
