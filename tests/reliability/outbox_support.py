"""Brokers that are down or stalled, a real worker process, and a hook as Saleor calls it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.db import connection, transaction

from saleor_aftersales.core import enqueue
from sandbox.celery import app

ROOT = Path(__file__).resolve().parents[2]


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


def reset_publisher() -> None:
    """Forget broker connections and the publish pause (a new broker URL applies at once)."""
    enqueue._forget_connection()
    enqueue._paused_until = 0.0
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Tasks go through the broker at ``url`` (not eager) for the duration."""
    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url=url)
    reset_publisher()
    try:
        yield
    finally:
        app.conf.update(saved)
        reset_publisher()


def timed_hook(task, *args) -> float:
    """What a plugin hook does inside Saleor's transaction; returns the seconds it took
    the shopper's request (the write, the commit and the publish after it)."""
    start = time.perf_counter()
    with transaction.atomic():
        enqueue.enqueue_on_commit(task, *args, log_ref="test")
    return time.perf_counter() - start


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextlib.contextmanager
def worker_process(broker: str, redis_url: str, **env: str) -> Iterator[subprocess.Popen]:
    """A real ``celery worker`` process on the test database, consuming the default queue."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sandbox.celery", "worker",
         "--pool=solo", "-l", "warning", "--without-gossip", "--without-mingle",
         "--without-heartbeat"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings",
             "DATABASE_URL": database_url(), "CELERY_BROKER_URL": broker,
             "REDIS_URL": redis_url, **env},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            output = proc.communicate(timeout=15)[0]
        except subprocess.TimeoutExpired:
            proc.kill()
            output = proc.communicate()[0]
        if output and b"Traceback" in output:
            print(output.decode(errors="replace")[-3000:])


def wait_for(predicate, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not reached in time")
