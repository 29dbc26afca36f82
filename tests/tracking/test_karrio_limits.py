"""karrio's requests keep the limits of our other carrier clients (``tracking/http.py``):
one overall deadline and a body size cap, against loopback servers that trickle and oversend."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

pytest.importorskip("karrio.mappers.dhl_universal")

from saleor_aftersales.config import parse_config
from saleor_aftersales.core.exceptions import CarrierError, CircuitOpen
from saleor_aftersales.tracking import http as limits
from saleor_aftersales.tracking.carriers.karrio_client import KarrioClient

from . import karrio_server as fx

NUMBER = "00340434292135100186"


class RawServer:
    """Answers every connection with ``respond(conn)`` on its own thread (loopback)."""

    def __init__(self, respond) -> None:
        self.respond = respond
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(30)
            conn.recv(65536)  # the request (small: a GET)
            self.respond(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.sock.close()


def trickle_body(conn: socket.socket) -> None:
    """Headers at once, then the (valid) body one byte every 0.2 s, for 6 s at most."""
    body = fx.fixture("dhl_universal_tracking.json").encode()
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    for i in range(30):
        conn.sendall(body[i : i + 1])
        time.sleep(0.2)


def trickle_headers(conn: socket.socket) -> None:
    """The status line and headers one byte every 0.2 s, for 6 s at most (each read is
    quick, none ends)."""
    head = b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"a" * 400 + b"\r\n\r\n"
    for i in range(30):
        conn.sendall(head[i : i + 1])
        time.sleep(0.2)


def oversend(length: bool):
    """A 3 MiB JSON answer, with or without its Content-Length."""

    def respond(conn: socket.socket) -> None:
        body = b'{"shipments": [' + b'{"id": "x"},' * (3 * 1024 * 1024 // 12) + b'{"id": "x"}]}'
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        if length:
            head += f"Content-Length: {len(body)}\r\n".encode()
        else:
            head += b"Connection: close\r\n"
        conn.sendall(head + b"\r\n")
        for i in range(0, len(body), 64 * 1024):
            conn.sendall(body[i : i + 64 * 1024])

    return respond


def error_oversend(conn: socket.socket) -> None:
    """A 500 whose body never ends (3 MiB and more): error bodies are capped too."""
    conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n")
    for _ in range(64):
        conn.sendall(b"x" * 64 * 1024)


def _client(url: str) -> KarrioClient:
    accounts = {"dhl_universal": {"consumer_key": "k", "consumer_secret": "s", "base_url": url}}
    return KarrioClient(parse_config({"karrio_carriers": json.dumps(accounts)}))


@pytest.fixture(scope="module", autouse=True)
def _karrio_loaded():
    """karrio loads its extensions on first use (seconds): not part of any timing here."""
    with fx.KarrioCarrierServer() as server:
        server.default = (200, json.loads(fx.fixture("dhl_universal_tracking.json")))
        _client(server.url).track("deutsche_post", NUMBER)


@pytest.fixture
def short_deadline(monkeypatch):
    monkeypatch.setattr(limits, "DEADLINE", 1.5)
    return 1.5


@pytest.mark.parametrize("respond", [trickle_body, trickle_headers], ids=["body", "headers"])
def test_a_trickling_carrier_is_cut_off_at_the_overall_deadline(short_deadline, respond):
    server = RawServer(respond)
    try:
        started = time.monotonic()
        with pytest.raises(CarrierError, match="no complete answer within") as info:
            _client(server.url).track("deutsche_post", NUMBER)
        took = time.monotonic() - started
    finally:
        server.close()
    assert not isinstance(info.value, CircuitOpen)
    assert short_deadline <= took < short_deadline + 2  # every byte came within the timeout
    assert server.connections >= 1


@pytest.mark.parametrize("length", [True, False], ids=["declared", "undeclared"])
def test_an_oversized_answer_is_refused_without_being_read_whole(length):
    server = RawServer(oversend(length))
    try:
        with pytest.raises(CarrierError, match=r"too large|over 2097152 bytes"):
            _client(server.url).track("deutsche_post", NUMBER)
    finally:
        server.close()


def test_an_oversized_error_answer_is_refused_too():
    server = RawServer(error_oversend)
    try:
        with pytest.raises(CarrierError, match="over 2097152 bytes"):
            _client(server.url).track("deutsche_post", NUMBER)
    finally:
        server.close()


def test_failures_at_the_limits_count_against_the_carrier_api(short_deadline):
    """Like a 5xx: after the breaker's threshold, the next poll does not even connect."""
    server = RawServer(error_oversend)
    try:
        client = _client(server.url)
        for _ in range(10):
            try:
                client.track("deutsche_post", NUMBER)
            except CircuitOpen:
                break
            except CarrierError:
                continue
        else:
            pytest.fail("the breaker never opened")
        before = server.connections
        with pytest.raises(CircuitOpen):
            _client(server.url).track("deutsche_post", NUMBER)
        assert server.connections == before
    finally:
        server.close()


def test_a_normal_answer_within_the_limits_still_tracks():
    with fx.KarrioCarrierServer() as server:
        server.default = (200, json.loads(fx.fixture("dhl_universal_tracking.json")))
        result = _client(server.url).track("deutsche_post", NUMBER)
    assert result.found and result.events
