"""The chaos run's bookkeeping: the fault schedule, the worker process group, the report
table, and the switches that point the driver at the run's proxies and queue."""

from __future__ import annotations

import os
import random
import signal
import statistics
import subprocess
import sys
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ["broker_down", "broker_stall", "smtp_refuse", "smtp_stall", "carrier_5xx",
         "carrier_timeout", "carrier_garbage", "carrier_trickle", "carrier_oversize",
         "redis_down", "redis_stall", "worker_kill"]


@dataclass
class Fault:
    at: float
    kind: str
    duration: float


@dataclass
class Report:
    seed: int
    orders: int
    hook_calls: int = 0
    hook_errors: int = 0
    hook_times: list[float] = field(default_factory=list)
    due: int = 0
    sent: int = 0
    lost: int = 0
    duplicated: int = 0
    unexpected: int = 0
    parcels: int = 0
    parcels_right: int = 0
    drain: float = 0.0
    quiet: float = 0.0
    faults: list[str] = field(default_factory=list)
    webhooks: Counter = field(default_factory=Counter)
    carrier: Counter = field(default_factory=Counter)
    failed_rows: int = 0
    rows: Counter = field(default_factory=Counter)  # messages not sent: (trigger, state, why)

    def table(self) -> str:
        ms = sorted(t * 1000 for t in self.hook_times) or [0.0]
        right = 100.0 * self.parcels_right / max(self.parcels, 1)
        rows = [
            ("seed", str(self.seed)), ("orders", str(self.orders)),
            ("hook calls", str(self.hook_calls)), ("hook errors (target 0)", str(self.hook_errors)),
            ("hook time p50 / p99 / max", f"{statistics.median(ms):.1f} / "
             f"{ms[int(0.99 * (len(ms) - 1))]:.1f} / {ms[-1]:.1f} ms"),
            ("messages due", str(self.due)), ("sent", str(self.sent)),
            ("lost (target 0)", str(self.lost)), ("duplicated (target 0)", str(self.duplicated)),
            ("unexpected messages", str(self.unexpected)),
            ("parcels in the right final state (target 100 %)",
             f"{self.parcels_right}/{self.parcels} ({right:.1f} %)"),
            ("time to drain after the last fault", f"{self.drain:.1f} s"),
            ("… after the last carrier news and push", f"{self.quiet:.1f} s"),
            ("rows given up (outbox, notifications)", str(self.failed_rows)),
            ("faults", ", ".join(self.faults)),
            ("push webhooks sent / duplicates / out of order / refused",
             "{sent} / {duplicate} / {late} / {refused}".format(**{
                 k: self.webhooks[k] for k in ("sent", "duplicate", "late", "refused")})),
            ("carrier answers", ", ".join(f"{k} {v}" for k, v in sorted(self.carrier.items()))),
            ("messages not sent", "; ".join(f"{e} {s} {w[:60]!r}: {n}"
                                            for (e, s, w), n in self.rows.items()) or "none"),
        ]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"| {k.ljust(width)} | {v} |" for k, v in rows)

    @property
    def ok(self) -> bool:
        return (self.hook_errors == 0 and self.lost == 0 and self.duplicated == 0
                and self.parcels_right == self.parcels == self.orders)


def schedule(rng: random.Random, span: float, count: int) -> list[Fault]:
    """``count`` faults, one per slot of ``span`` seconds; every kind once before repeats."""
    kinds: list[str] = []
    while len(kinds) < count:
        batch = KINDS[:]
        rng.shuffle(batch)
        kinds += batch
    slot = span / count
    faults = []
    for n, kind in enumerate(kinds[:count]):
        duration = rng.uniform(0.25, 0.6) * slot if kind != "worker_kill" else rng.uniform(1, 3)
        faults.append(Fault(n * slot + rng.uniform(0, slot - duration), kind, duration))
    return faults


class Worker:
    """The real ``celery worker`` process group (prefork); SIGKILL takes all of it."""

    def __init__(self, env: dict[str, str], queue: str, log: Path) -> None:
        self.env, self.queue, self.log = env, queue, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "sandbox.celery", "worker",
             "--pool=prefork", "--concurrency=2", "-Q", self.queue, "-l", "warning",
             "--without-gossip", "--without-mingle",
             "-n", f"{self.queue}-{uuid.uuid4().hex[:6]}@%h"],
            cwd=ROOT, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True)

    def kill(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.proc = None

    def stop(self) -> None:
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        self.proc = None


def redis_parts(url: str) -> tuple[str, int, int]:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 6379, int((parsed.path or "/0")[1:] or 0)


def database_url() -> str:
    """The database this process uses, as a URL for the worker process."""
    # imported here: bench.chaos imports this module before it sets Django up
    from tests import workers

    return workers.database_url()


def celery_through(broker_url: str, queue: str):
    """The driver publishes through the proxied broker to the run's own queue."""
    from tests.workers import broker_at  # sets task_always_eager off, resets the publisher

    return broker_at(broker_url, task_default_queue=queue, task_ignore_result=True)


def reset_caches() -> None:
    from saleor_aftersales.tracking import circuit

    try:
        from saleor_aftersales.core import shared_cache
    except ImportError:
        shared_cache = None
    if shared_cache is not None and hasattr(shared_cache, "reset"):
        shared_cache.reset()
    circuit.forget()


def delete_queue(queue: str, port: int) -> None:
    from kombu import Connection

    try:
        with Connection(f"amqp://guest:guest@127.0.0.1:{port}//", connect_timeout=2) as conn:
            conn.default_channel.queue_delete(queue)
    except Exception as exc:
        print(f"could not delete queue {queue}: {exc}", file=sys.stderr)
