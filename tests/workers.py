"""Real Celery workers for tests: the broker the tests publish to, a ``celery worker`` process
on the test database, and waiting for what the worker does."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from django.db import connection

from saleor_aftersales.core import enqueue
from sandbox.celery import app

ROOT = Path(__file__).resolve().parents[1]


def wait_for(predicate, timeout: float = 30.0):
    """``predicate()``'s first true value, polled until ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def reset_publisher() -> None:
    """Forget broker connections and the publish pause (a new broker URL applies at once)."""
    enqueue._forget_connection()
    enqueue._paused_until = 0.0
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_at(url: str, **conf) -> Iterator[None]:
    """Tasks go through the broker at ``url`` (not eager), with any other ``app.conf`` values
    in ``conf``, for the duration."""
    conf = {"task_always_eager": False, "broker_url": url, **conf}
    saved = {k: app.conf[k] for k in conf}
    app.conf.update(conf)
    reset_publisher()
    try:
        yield
    finally:
        app.conf.update(saved)
        reset_publisher()


def database_url() -> str:
    """The test database pytest-django created, as a URL for a worker process."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextlib.contextmanager
def worker_process(
    broker: str, redis_url: str, *, queue: str | None = None, **env: str
) -> Iterator[subprocess.Popen]:
    """A real ``celery worker`` process on the test database, consuming ``queue`` (default:
    the default queue). A traceback in its output is printed when it stops."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sandbox.celery", "worker",
         "--pool=solo", *(["-Q", queue] if queue else []), "-l", "warning",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
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
