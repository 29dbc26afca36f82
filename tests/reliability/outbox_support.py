"""Brokers that are down or stalled, and a hook as Saleor calls it."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

from django.db import transaction

from saleor_aftersales.core import enqueue

# the worker and the broker switch live in tests/workers.py (test_outbox and bench import them here)
from tests.workers import broker_at, wait_for, worker_process  # noqa: F401


def closed_port() -> int:
    """A loopback port nobody listens on: connections are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SilentBroker:
    """Accepts TCP connections and never says a word (a hung broker or a black-holed route)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.listener.settimeout(0.05)
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                self.accepted.append(self.listener.accept()[0])

    def close(self) -> None:
        self._stop.set()
        for conn in self.accepted:
            conn.close()
        self.listener.close()


def timed_hook(task, *args) -> float:
    """What a plugin hook does inside Saleor's transaction; returns the seconds it took
    the shopper's request (the write, the commit and the publish after it)."""
    start = time.perf_counter()
    with transaction.atomic():
        enqueue.enqueue_on_commit(task, *args, log_ref="test")
    return time.perf_counter() - start
