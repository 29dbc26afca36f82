"""Real faults on loopback: a Redis that refuses, a Redis that accepts and never answers,
and carrier APIs that trickle, bloat, garble or reset (``carrier_api``)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.test import override_settings

from saleor_aftersales.core import shared_cache
from saleor_aftersales.tracking import circuit

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def closed_port() -> int:
    """A loopback port nobody listens on (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StalledServer:
    """Accepts TCP connections and never answers; drops each after ``hold`` seconds (so code
    without socket timeouts fails slowly instead of hanging the suite)."""

    def __init__(self, hold: float = 6.0) -> None:
        self.hold = hold
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self.listener.settimeout(0.05)
        held: list[tuple[float, socket.socket]] = []
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                conn, _ = self.listener.accept()
                self.accepted += 1
                held.append((time.monotonic() + self.hold, conn))
            for entry in [h for h in held if h[0] < time.monotonic()]:
                entry[1].close()
                held.remove(entry)
        for _, conn in held:
            conn.close()

    def __enter__(self) -> StalledServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(2)
        self.listener.close()


@contextlib.contextmanager
def cache_at(url: str) -> Iterator[None]:
    """Point Django's default cache at ``url`` with the suite's configured OPTIONS."""
    options = settings.CACHES["default"].get("OPTIONS", {})
    faulty = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": url, "OPTIONS": options}}
    shared_cache.reset()
    circuit.forget()
    try:
        with override_settings(CACHES=faulty):
            yield
    finally:
        shared_cache.reset()
        circuit.forget()


@pytest.fixture(params=["refusing", "stalled"])
def redis_fault(request) -> Iterator[str]:
    """The default cache is a Redis that refuses connections, or one that never answers."""
    if request.param == "refusing":
        with cache_at(f"redis://127.0.0.1:{closed_port()}/0"):
            yield request.param
    else:
        with StalledServer() as server, cache_at(f"redis://127.0.0.1:{server.port}/0"):
            yield request.param


# --- carrier APIs that misbehave ------------------------------------------------------------

Behaviour = Callable[[BaseHTTPRequestHandler], None]


class CarrierApi:
    """A loopback HTTP server whose every answer is ``behaviour(handler)``; counts requests."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.requests = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                api.requests += 1
                with contextlib.suppress(OSError):
                    api.behaviour(self)

            do_POST = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/track/shipments"

    def __enter__(self) -> CarrierApi:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def carrier_api() -> Iterator[Callable[[Behaviour], CarrierApi]]:
    """``carrier_api(behaviour)`` starts a misbehaving API (stopped after the test)."""
    started: list[CarrierApi] = []

    def start(behaviour: Behaviour) -> CarrierApi:
        api = CarrierApi(behaviour).__enter__()
        started.append(api)
        return api

    circuit.forget()
    yield start
    for api in started:
        api.__exit__(None, None, None)
    circuit.forget()
