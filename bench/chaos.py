"""``make chaos``: simulated orders through the real pipeline while faults come and go.

Real PostgreSQL, Redis, RabbitMQ and a Celery worker process (prefork, 2 children); a
loopback carrier API (DHL and AfterShip shapes) and a loopback SMTP server. RabbitMQ, Redis
and SMTP sit behind TCP proxies this script refuses, stalls and heals. On a schedule drawn
from ``--seed``: broker down and stalled, SMTP refusing and stalling, carrier 5xx, timeouts,
garbage, trickling and oversized answers, Redis down and stalled, the worker SIGKILLed
mid-task and restarted. AfterShip pushes arrive duplicated and out of order throughout.

The driver plays Saleor (orders and fulfillments written in a transaction whose hook records
the task, as ``plugin.py`` does) and the beat (poll and outbox sweep every second or two);
the carrier's clock runs fast, so parcels whose carrier has news are polled at once. When
the faults are over and everything drained it prints one table. Only loopback traffic.

    python -m bench.chaos --orders 1000 --seed 20261130
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.chaos_harness import (
    Fault,
    Report,
    Worker,
    celery_through,
    database_url,
    delete_queue,
    redis_parts,
    reset_caches,
    schedule,
)

DUE_EVENTS = ("order_confirmation", "shipped", "delivered")
STAGE_STATUS = ["label_created", "in_transit", "out_for_delivery", "delivered"]
#: Seconds between a parcel's carrier scans (delivered 4 steps after the hand-over).
STEP = 5.0


@dataclass
class Sim:
    """One simulated order and its parcel's journey at the carrier."""

    i: int
    order_id: str
    email: str
    number: str
    push: bool
    created: float
    shipped: bool = False
    fulfillment_id: str = ""
    known: float | None = None  # when the plugin had the shipment: the carrier's clock starts
    stage: int = -1


def run(orders: int = 1000, seed: int = 20261130, faults: int | None = None,
        span: float | None = None, drain_timeout: float = 900.0, rabbit_port: int = 5672,
        redis_url: str | None = None, db_url: str | None = None,
        echo=print) -> Report:
    """Drive ``orders`` orders with faults; Django must be set up (test database ready)."""
    from django.conf import settings
    from django.test import override_settings

    from bench import chaos_parts as parts
    from bench.chaos_settings import CHAOS_CLOCKS

    redis_url = redis_url or settings.REDIS_URL
    _, redis_port, redis_db = redis_parts(redis_url)
    rng = random.Random(seed)
    span = span or max(20.0, orders * 0.6)  # arrivals a loaded 2-core worker keeps up with
    # faults while orders arrive and while their parcels travel
    plan = schedule(rng, span + 4 * STEP, faults or max(4, min(24, orders // 40)))
    queue = f"aftersales-chaos-{seed}-{uuid.uuid4().hex[:6]}"
    broker, redis_proxy = parts.TcpProxy(rabbit_port), parts.TcpProxy(redis_port)
    smtp = parts.SmtpSink()
    smtp_proxy, api = parts.TcpProxy(smtp.port), parts.CarrierApi(seed)
    broker_url = f"amqp://guest:guest@127.0.0.1:{broker.port}//"
    cache_url = f"redis://127.0.0.1:{redis_proxy.port}/{redis_db}"
    log = Path(tempfile.gettempdir()) / f"{queue}.log"
    worker = Worker({**os.environ, "DJANGO_SETTINGS_MODULE": "bench.chaos_settings",
                     "DATABASE_URL": db_url or database_url(), "CHAOS_QUEUE": queue,
                     "CHAOS_BROKER_URL": broker_url, "CHAOS_REDIS_URL": cache_url,
                     "REDIS_URL": cache_url}, queue, log)
    caches = {"default": {**settings.CACHES["default"], "LOCATION": cache_url,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    report = Report(seed=seed, orders=orders, faults=[f"{f.kind}@{f.at:.0f}s" for f in plan])
    echo(f"chaos: {orders} orders over {span:.0f} s, seed {seed}, {len(plan)} faults; "
         f"worker log {log}")
    with override_settings(CACHES=caches, **CHAOS_CLOCKS), celery_through(broker_url, queue):
        reset_caches()
        worker.start()
        try:
            driver = Driver(report, rng, plan, span, broker, redis_proxy, smtp_proxy, api,
                            worker, orders, smtp)
            driver.run(drain_timeout, echo)
        finally:
            worker.stop()
            for part in (broker, redis_proxy, smtp_proxy):
                part.up()
            delete_queue(queue, rabbit_port)
            for part in (broker, redis_proxy, smtp_proxy):
                part.close()
            smtp.close()
            api.server.shutdown()
            reset_caches()
    report.carrier = api.requests
    return report


class Driver:
    """Plays Saleor, the beat, the carrier's clock and the fault schedule."""

    def __init__(self, report, rng, plan, span, broker, redis_proxy, smtp_proxy, api, worker,
                 orders, smtp) -> None:
        from django.test import Client

        from saleor_aftersales.core.ids import PLUGIN_ID
        from sandbox import factories

        self.report, self.rng, self.plan, self.span = report, rng, list(plan), span
        self.targets = {"broker": broker, "redis": redis_proxy, "smtp": smtp_proxy}
        self.api, self.worker, self.n, self.smtp = api, worker, orders, smtp
        self.sims: list[Sim] = []
        self.pushes: list[tuple[float, dict]] = []  # (due, tracking) AfterShip deliveries
        self.active: list[tuple[float, Fault]] = []
        self.healed = 0.0  # when the last fault ended (seconds into the run)
        self.client = Client()
        self.channel = factories.make_channel(
            "chaos", shop_name="Chaos Outfitters", sender_email="service@chaos.example.com",
            emails_enabled="true", smtp_url=f"smtp://127.0.0.1:{smtp_proxy.port}",
            email_events=",".join(DUE_EVENTS), confirmation_mode="replace",
            status_page_url=f"http://testserver/plugins/channel/chaos/{PLUGIN_ID}",
            dhl_api_key="dhl-key", dhl_api_url=api.base + "/track/shipments",
            aftership_api_key="as-key", aftership_api_url=api.base + "/tracking/2024-04",
            aftership_webhook_secret="whsec-chaos")
        self.webhook = f"/plugins/channel/chaos/{PLUGIN_ID}/webhooks/aftership"
        self.variants = [factories.make_product(stock=10**6) for _ in range(4)]

    # --- Saleor's side: a transaction, then the hook's task recorded and published ---------
    def hook(self, write, task, *args) -> None:
        from django.db import transaction

        from saleor_aftersales.core.enqueue import enqueue_on_commit

        self.report.hook_calls += 1
        marks: list[float] = []
        try:
            with transaction.atomic():
                result = write()
                # the hook's cost: its write now, its publish after commit (not the commit)
                transaction.on_commit(lambda: marks.append(time.perf_counter()))
                start = time.perf_counter()
                enqueue_on_commit(task, *[a(result) if callable(a) else a for a in args])
                took = time.perf_counter() - start
                transaction.on_commit(lambda: marks.append(time.perf_counter()))
            self.report.hook_times.append(took + marks[1] - marks[0])
        except Exception as exc:  # a hook must never raise
            self.report.hook_errors += 1
            print(f"hook error: {exc!r}", file=sys.stderr)

    def create(self, i: int, now: float) -> None:
        from bench.chaos_parts import dhl_number, ups_number
        from saleor_aftersales.tasks import handle_order_event_task
        from sandbox import factories

        push = i % 3 == 2
        sim = Sim(i, "", f"shopper{i}@chaos.example.com",
                  ups_number(i) if push else dhl_number(i), push, now)
        self.sims.append(sim)

        def write():
            order = factories.make_order(lines=1, channel=self.channel, email=sim.email,
                                         variants=[self.variants[i % 4]],
                                         language_code="de" if i % 2 else "en")
            sim.order_id = str(order.pk)
            return order

        self.hook(write, handle_order_event_task, lambda o: str(o.pk), "order_created")

    def ship(self, sim: Sim) -> None:
        from saleor_aftersales.tasks import handle_fulfillment_event_task
        from sandbox import factories
        from sandbox.models import Order

        def write():
            order = Order.objects.get(pk=sim.order_id)
            fulfillment = factories.add_fulfillment(order, list(order.lines.all()), sim.number)
            sim.fulfillment_id = str(fulfillment.pk)
            return fulfillment

        self.hook(write, handle_fulfillment_event_task, lambda f: str(f.pk),
                  "fulfillment_created", sim.order_id)
        sim.shipped = True

    def advance(self, sim: Sim, now: float) -> None:
        sim.stage += 1
        at = datetime.now(UTC).isoformat()
        self.api.advance(sim.number, sim.stage, at)
        if sim.push:
            from bench.chaos_parts import aftership_tracking

            tracking = aftership_tracking(sim.number, self.api.events[sim.number])
            late = self.rng.random() < 0.3 and sim.stage < 3
            self.pushes.append((now + (self.rng.uniform(2, 5) if late else 0), tracking))
            self.report.webhooks["late"] += late
            for _ in range(self.rng.choice([0, 0, 1, 2])):
                self.pushes.append((now + self.rng.uniform(0, 3), tracking))
                self.report.webhooks["duplicate"] += 1

    def deliver_pushes(self, now: float) -> None:
        from saleor_aftersales.tracking.webhooks import sign

        due = [p for p in self.pushes if p[0] <= now]
        self.pushes = [p for p in self.pushes if p[0] > now]
        for _, tracking in due:
            body = json.dumps({"event": "tracking_update", "msg": tracking}).encode()
            try:
                response = self.client.post(
                    self.webhook, data=body, content_type="application/json",
                    HTTP_AFTERSHIP_HMAC_SHA256=sign("whsec-chaos", body))
                ok = response.status_code < 300
            except Exception:
                ok = False
            self.report.webhooks["sent"] += 1
            if not ok:  # AfterShip retries a refused delivery
                self.report.webhooks["refused"] += 1
                self.pushes.append((now + 2, tracking))

    # --- the beat, and the carrier's fast clock ------------------------------------------
    def beat(self) -> None:
        from saleor_aftersales.core.enqueue import publish
        from saleor_aftersales.models import Parcel
        from saleor_aftersales.tasks import poll_due_parcels_task, sweep_outbox_task

        stage = {s.number: s.stage for s in self.sims if s.shipped}
        lagging = [number for number, status in Parcel.objects.filter(
            push_updates=False, tracking_number__in=list(stage)).exclude(
            status="delivered").values_list("tracking_number", "status")
            if stage[number] >= 0 and status != STAGE_STATUS[stage[number]]]
        if lagging:
            Parcel.objects.filter(tracking_number__in=lagging).update(
                next_check_at=datetime.now(UTC))
        publish(poll_due_parcels_task, (), expires=5)
        publish(sweep_outbox_task, (10.0,), expires=5)

    def handed_over(self, now: float) -> None:
        """A parcel's journey at the carrier starts once the plugin processed its shipment
        (the carrier's days are seconds here; its first scan never beats the shop's event)."""
        from saleor_aftersales.models import OutboxTask, Parcel
        from saleor_aftersales.tasks import handle_fulfillment_event_task

        waiting = {s.number: s for s in self.sims if s.shipped and s.known is None}
        pending = {args[0] for args in OutboxTask.objects.filter(
            task=handle_fulfillment_event_task.name).values_list("args", flat=True)}
        for number in Parcel.objects.filter(tracking_number__in=list(waiting)).values_list(
                "tracking_number", flat=True):
            if waiting[number].fulfillment_id not in pending:
                waiting[number].known = now

    # --- faults --------------------------------------------------------------------------
    def faults(self, now: float) -> None:
        while self.plan and self.plan[0].at <= now:
            fault = self.plan.pop(0)
            target, _, how = fault.kind.partition("_")
            if target == "worker":
                self.worker.kill()
            elif target == "carrier":
                self.api.fault = how
            else:
                part = self.targets[target]
                part.stall() if how == "stall" else part.down()
            self.active.append((now + fault.duration, fault))
        for end, fault in [a for a in self.active if a[0] <= now]:
            self.active.remove((end, fault))
            self.healed = now
            target = fault.kind.partition("_")[0]
            if target == "worker":
                self.worker.start()
            elif target == "carrier":
                self.api.fault = None
            else:
                self.targets[target].up()

    def run(self, drain_timeout: float, echo) -> None:
        start = time.monotonic()
        interval = self.span / self.n
        last_beat = 0.0
        while True:
            now = time.monotonic() - start
            while len(self.sims) < self.n and len(self.sims) * interval <= now:
                self.create(len(self.sims), now)
            for sim in self.sims:
                if not sim.shipped and now >= sim.created + 1:
                    self.ship(sim)
                elif sim.known is not None and sim.stage < 3 and (
                        now >= sim.known + STEP * (sim.stage + 1)):
                    self.advance(sim, now)
            self.faults(now)
            self.deliver_pushes(now)
            if now - last_beat >= 1.0:
                self.beat()
                self.handed_over(now)
                last_beat = now
            if (len(self.sims) == self.n and not self.plan and not self.active
                    and not self.pushes and all(s.stage == 3 for s in self.sims)):
                break
            time.sleep(0.02)
        echo(f"chaos: faults over after {now:.0f} s; draining")
        quiet = shown = time.monotonic()
        while time.monotonic() - quiet < drain_timeout:
            self.deliver_pushes(time.monotonic() - start)
            self.beat()
            if self.complete():
                break
            if time.monotonic() - shown > 15:
                shown = time.monotonic()
                r = self.report
                echo(f"chaos: draining {shown - quiet:.0f} s: sent {r.sent}/{r.due}, parcels "
                     f"{r.parcels_right}/{self.n}, busy {self.busy}, missing {dict(self.missing)}")
            time.sleep(1.0)
        self.report.drain = time.monotonic() - start - self.healed
        self.report.quiet = time.monotonic() - quiet
        time.sleep(4)  # late duplicates would arrive now
        self.complete()

    def complete(self) -> bool:
        from saleor_aftersales.models import NotificationLog, OutboxTask, Parcel

        r = self.report
        due = {(s.email, event) for s in self.sims for event in DUE_EVENTS}
        with self.smtp.lock:
            received = Counter()
            for (to, event, _), count in self.smtp.received.items():
                received[(to, event)] += count
        r.due, r.sent = len(due), len(due & set(received))
        r.lost = r.due - r.sent
        self.missing = Counter(event for _, event in due - set(received))
        r.duplicated = sum(c - 1 for c in received.values() if c > 1)
        r.unexpected = sum(c for k, c in received.items() if k not in due)
        parcels = Parcel.objects.filter(channel_slug="chaos")
        r.parcels = parcels.count()
        r.parcels_right = parcels.filter(status="delivered").count()
        r.rows = Counter(NotificationLog.objects.exclude(state="sent").values_list(
            "event", "state", "error"))
        r.failed_rows = (OutboxTask.objects.filter(failed_at__isnull=False).count()
                         + NotificationLog.objects.filter(state="failed").count())
        self.busy = (OutboxTask.objects.filter(failed_at__isnull=True).count(),
                     NotificationLog.objects.filter(state="pending").count())
        return r.lost == 0 and r.parcels_right == self.n and not any(self.busy)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--faults", type=int, default=None)
    parser.add_argument("--drain-timeout", type=float, default=900.0)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up the worker and proxies
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.chaos_settings")
    # its own database (test_aftersales_chaos), whatever DATABASE_URL the Makefile exports
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aftersales")
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/aftersales_chaos"
    import django

    django.setup()
    from django.db import connection

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        report = run(args.orders, args.seed, args.faults, db_url=database_url(),
                     drain_timeout=args.drain_timeout)
    finally:
        if not os.environ.get("CHAOS_KEEP_DB"):
            connection.creation.destroy_test_db(name, verbosity=0)
    print(report.table())
    print(f"chaos: {'PASS' if report.ok else 'FAIL'}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
