"""How fast carrier news reaches the shopper: a push or a poll → the email and the page.

    python -m bench.latency [--pushes 500] [--rate 50] [--polled 200]

Real PostgreSQL, Redis, RabbitMQ, a Celery worker process (prefork, 2 children = this
machine's 2 cores, prefetch 1 as Saleor's default, as ``make chaos`` runs it), a loopback SMTP
server (aiosmtpd, its own process) and a loopback DHL stand-in.
Parcels are shipped first; then:

- push: signed AfterShip webhooks ("Delivered") at ``--rate`` per second into the plugin's
  webhook view (Django's test client on ``--senders`` threads of this process, as
  concurrent web workers would run it). Per
  parcel: time from sending the push to the status page showing the delivery (fetched right
  after the push is answered) and to the "delivered" email at the SMTP server;
- poll: the DHL stand-in has the delivery for ``--polled`` parcels; the beat's poll task goes
  to the worker. Per parcel: time from publishing the task to the stored status (what the
  page shows) and to the email at the SMTP server.

Prints p50/p90/p99/max per path, and the CPU time per push of the worker (all its
processes) and of this driver (webhook and page requests): what a core can carry.
Target: p50 ≤ 2 s and p99 ≤ 10 s at 50 pushes per second.
Only loopback traffic; its own database (``<DATABASE_URL's name>_latency``), dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

SLUG = "latency"


_SINK = """
import socket, sys, time
from aiosmtpd.controller import Controller

class Handler:
    async def handle_DATA(self, server, session, envelope):
        now = time.perf_counter()
        for rcpt in envelope.rcpt_tos:
            print(now, rcpt, flush=True)
        return "250 OK"

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
controller = Controller(Handler(), hostname="127.0.0.1", port=port)
controller.start()
print("port", port, flush=True)
sys.stdin.read()
controller.stop()
"""


class TimedSink:
    """A real SMTP server in its own process (as a relay would be, not sharing this process's
    interpreter with the web requests) that notes when each recipient's first message arrived
    (``time.perf_counter``: the system's monotonic clock, the same in every process)."""

    def __init__(self) -> None:
        import subprocess

        self.arrived: dict[str, float] = {}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SINK],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.port = int(self.proc.stdout.readline().split()[1])
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            at, rcpt = line.split(maxsplit=1)
            self.arrived.setdefault(rcpt.strip(), float(at))

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def group_cpu(session: int) -> float:
    """CPU seconds (user + system) of the live processes in ``session`` (Linux ``/proc``)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == session:  # fields[0] is the state (the 3rd field of stat)
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _quantiles(values: list[float]) -> str:
    if not values:
        return "      –       –       –       –"
    ordered = sorted(values)
    pick = [ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] for q in (0.9, 0.99)]
    return f"{statistics.median(ordered):7.2f} {pick[0]:7.2f} {pick[1]:7.2f} {ordered[-1]:7.2f}"


def run(
    pushes: int, rate: float, polled: int, senders: int = 16, echo=print
) -> dict[str, list[float]]:
    """Ship the parcels, deliver the news, return latencies (seconds) per path and target."""
    from django.conf import settings
    from django.test import Client, override_settings

    from bench.chaos_harness import Worker, celery_through, database_url, reset_caches
    from bench.chaos_parts import CarrierApi, aftership_tracking, dhl_number, ups_number
    from bench.chaos_settings import CHAOS_CLOCKS
    from saleor_aftersales.core.enqueue import publish
    from saleor_aftersales.core.ids import PLUGIN_ID
    from saleor_aftersales.core.links import make_token
    from saleor_aftersales.models import Parcel
    from saleor_aftersales.orchestration import lifecycle
    from saleor_aftersales.tasks import poll_due_parcels_task, sweep_outbox_task
    from saleor_aftersales.tracking.webhooks import sign
    from sandbox import factories

    queue = f"aftersales-latency-{uuid.uuid4().hex[:6]}"
    broker_url = "amqp://guest:guest@127.0.0.1:5672//"
    sink, api = TimedSink(), CarrierApi(20261130)
    log = Path(tempfile.gettempdir()) / f"{queue}.log"
    worker = Worker(
        {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.chaos_settings",
            "DATABASE_URL": database_url(),
            "CHAOS_QUEUE": queue,
            "CHAOS_BROKER_URL": broker_url,
            "CHAOS_REDIS_URL": settings.REDIS_URL,
        },
        queue,
        log,
    )
    base = f"/plugins/channel/{SLUG}/{PLUGIN_ID}"
    found: dict[str, list[float]] = {
        "push page": [],
        "push email": [],
        "poll page": [],
        "poll email": [],
    }
    with override_settings(**CHAOS_CLOCKS), celery_through(broker_url, queue):
        reset_caches()
        worker.start()
        try:
            channel = factories.make_channel(
                SLUG,
                shop_name="Latency Outfitters",
                sender_email="service@latency.example.com",
                emails_enabled="true",
                smtp_url=f"smtp://127.0.0.1:{sink.port}",
                email_events="delivered",
                dhl_api_key="dhl-key",
                dhl_api_url=api.base + "/track/shipments",
                aftership_api_key="",
                aftership_webhook_secret="whsec-latency",
            )
            variant = factories.make_product(stock=10**6)
            parcels = []  # (kind, number, email, order id)
            for i in range(pushes + polled):
                push = i < pushes
                number = ups_number(i) if push else dhl_number(i)
                email = f"shopper{i}@latency.example.com"
                order = factories.make_order(
                    lines=1,
                    parcels=1,
                    channel=channel,
                    email=email,
                    variants=[variant],
                    tracking_numbers=[number],
                )
                lifecycle.handle_order_event(str(order.pk), "order_created")
                for f in order.fulfillments.all():
                    lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
                parcels.append(("push" if push else "poll", number, email, str(order.pk)))
            Parcel.objects.update(next_check_at=None)  # nothing polled before its news
            echo(f"latency: {pushes} pushed and {polled} polled parcels shipped; worker log {log}")
            time.sleep(8)  # the worker starts
            sent: dict[str, float] = {}
            lock = threading.Lock()
            local = threading.local()

            def push(n: int, number: str, email: str, order_id: str, due: float) -> None:
                from django.db import connection

                time.sleep(max(0.0, due - time.perf_counter()))
                client = getattr(local, "client", None) or Client()
                local.client = client
                at = datetime.now(UTC).isoformat()
                tracking = aftership_tracking(number, [(at, 1), (at, 3)])
                body = json.dumps({"event": "tracking_update", "msg": tracking}).encode()
                t0 = time.perf_counter()
                with lock:
                    sent[email] = t0
                client.post(
                    f"{base}/webhooks/aftership",
                    data=body,
                    content_type="application/json",
                    HTTP_AFTERSHIP_HMAC_SHA256=sign("whsec-latency", body),
                )
                page = client.get(f"{base}/status/{make_token(order_id, SLUG)}")
                if b"Delivered" in page.content:
                    with lock:
                        found["push page"].append(time.perf_counter() - t0)
                connection.close_if_unusable_or_obsolete()

            cpu = {"worker": group_cpu(worker.proc.pid), "driver": time.process_time()}
            start = time.perf_counter()
            pushed = [p for p in parcels if p[0] == "push"]
            with ThreadPoolExecutor(max_workers=senders) as pool:  # concurrent web workers
                jobs = [
                    pool.submit(push, n, number, email, order_id, start + n / rate)
                    for n, (_k, number, email, order_id) in enumerate(pushed)
                ]
                for job in jobs:
                    job.result()
            took = time.perf_counter() - start
            echo(f"latency: {pushes} pushes in {took:.1f} s ({pushes / took:.1f}/s)")
            pushed_emails = {p[2] for p in pushed}
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and not pushed_emails <= sink.arrived.keys():
                publish(sweep_outbox_task, (10.0,), expires=5)
                time.sleep(0.25)
            drained = time.perf_counter() - start
            cpu["worker"] = group_cpu(worker.proc.pid) - cpu["worker"]
            cpu["driver"] = time.process_time() - cpu["driver"]
            done = len(pushed_emails & sink.arrived.keys())
            echo(
                f"latency: {done} push emails in {drained:.1f} s ({done / drained:.1f}/s); "
                f"CPU per push: worker {1000 * cpu['worker'] / max(done, 1):.1f} ms "
                f"({max(done, 1) / max(cpu['worker'], 1e-9):.0f} pushes/s per core), "
                f"driver (webhook, page) {1000 * cpu['driver'] / pushes:.1f} ms"
            )
            polled_numbers = {p[1]: p[2] for p in parcels if p[0] == "poll"}
            at = datetime.now(UTC).isoformat()
            for number in polled_numbers:
                api.advance(number, 1, at)
                api.advance(number, 3, at)
            Parcel.objects.filter(tracking_number__in=list(polled_numbers)).update(
                next_check_at=datetime.now(UTC)
            )
            t_poll = time.perf_counter()
            for email in polled_numbers.values():
                sent[email] = t_poll
            publish(poll_due_parcels_task, (), expires=30)
            deadline, stored = time.monotonic() + 180, set()
            while time.monotonic() < deadline:
                delivered = set(
                    Parcel.objects.filter(
                        tracking_number__in=list(polled_numbers), status="delivered"
                    ).values_list("tracking_number", flat=True)
                )
                for _number in delivered - stored:
                    found["poll page"].append(time.perf_counter() - t_poll)
                stored |= delivered
                if len(sink.arrived) >= len(sent) and len(stored) == len(polled_numbers):
                    break
                if len(stored) < len(polled_numbers):
                    publish(poll_due_parcels_task, (), expires=5)  # the next beat
                publish(sweep_outbox_task, (10.0,), expires=5)
                time.sleep(0.25)
            for email, t0 in sent.items():
                kind = "push" if email in {p[2] for p in parcels if p[0] == "push"} else "poll"
                if email in sink.arrived:
                    found[f"{kind} email"].append(sink.arrived[email] - t0)
            missing = len(sent) - len(sink.arrived)
            if missing:
                echo(f"latency: {missing} emails did not arrive within the deadline")
        finally:
            worker.stop()
            sink.close()
            api.server.shutdown()
            reset_caches()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=500)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--polled", type=int, default=200)
    parser.add_argument("--senders", type=int, default=16, help="concurrent web requests")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.chaos_settings")
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aftersales")
    os.environ["DATABASE_URL"] = f"{base}_latency"  # next to the caller's own database
    import django

    django.setup()
    from django.db import connection

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        found = run(args.pushes, args.rate, args.polled, args.senders)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    print(f"{'path':12} {'n':>5} {'p50 s':>7} {'p90 s':>7} {'p99 s':>7} {'max s':>7}")
    for path, values in found.items():
        print(f"{path:12} {len(values):5} {_quantiles(values)}")
    emails = found["push email"]
    ok = (
        bool(emails)
        and statistics.median(emails) <= 2
        and sorted(emails)[min(len(emails) - 1, round(0.99 * (len(emails) - 1)))] <= 10
    )
    print(f"latency: {'PASS' if ok else 'FAIL'} (push → email: p50 ≤ 2 s, p99 ≤ 10 s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
