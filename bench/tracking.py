"""Tracking throughput and carrier API economy (no Saleor needed).

    .venv/bin/python bench/tracking.py [--parcels 2000] [--runs 5]

Uses PostgreSQL at ``BENCH_DATABASE_URL`` (default: ``DATABASE_URL`` with the database name
``aftersales_bench``; created and migrated if missing) and Redis at ``REDIS_URL``.

1. Poll throughput: parcels processed per second in one poll cycle against a DHL stand-in on
   loopback (a real HTTP server in its own process), parsing and storing ~6 events per parcel.
   Target ≥ 500/s on one core; prints the median of ``--runs`` cycles (``BENCH_PROFILE=1``:
   also a profile of each cycle, sorted by own time).
2. Carrier API calls per delivered parcel on the adaptive schedule over a simulated 7-day
   journey (beat every 5 minutes on a simulated clock; the carrier answers what happened up
   to that moment), once for each weekday the journey can start on. Target ≤ 8.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/email.py would shadow the standard library's ``email``: import from the repo root
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import argparse  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402
from urllib.parse import parse_qs, urlparse  # noqa: E402


def _database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aftersales")
    return base.rsplit("/", 1)[0] + "/aftersales_bench"


def _ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# --- the carrier stand-in (own process) -----------------------------------------------------


def _journey(now: datetime) -> dict:
    start = now - timedelta(days=2)
    steps = [
        (0, "pre-transit", "Die Sendung wurde elektronisch angekündigt"),
        (6, "transit", "Die Sendung wurde im Start-Paketzentrum bearbeitet"),
        (14, "transit", "Die Sendung wurde im Ziel-Paketzentrum bearbeitet"),
        (20, "transit", "Die Sendung wurde in das Zustellfahrzeug geladen"),
        (25, "transit", "Die Sendung wird zugestellt"),
        (30, "delivered", "Die Sendung wurde zugestellt"),
    ]
    events = [
        {"timestamp": (start + timedelta(hours=h)).isoformat(), "statusCode": code,
         "status": text, "description": text,
         "location": {"address": {"addressLocality": "Köln", "countryCode": "DE"}}}
        for h, code, text in reversed(steps)
    ]
    return {"shipments": [{"id": "x", "service": "parcel-de", "status": events[0],
                           "events": events,
                           "estimatedTimeOfDelivery": (start + timedelta(days=1)).isoformat()}]}


def _serve(port_queue) -> None:
    body_template = _journey(datetime.now(UTC))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True
        wbufsize = 1 << 16  # one write per answer: no delayed-ACK stalls

        def log_message(self, *args):
            pass

        def do_GET(self):
            number = parse_qs(urlparse(self.path).query).get("trackingNumber", [""])[0]
            payload = dict(body_template)
            payload["shipments"] = [{**body_template["shipments"][0], "id": number}]
            data = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.serve_forever()


# --- figure 1 ---------------------------------------------------------------------------------


def _reset() -> None:
    """Delete the bench's own rows (channel "bench"), never anything else in the database."""
    from saleor_aftersales.models import Milestone, Parcel, Problem, ReviewRequest

    Problem.objects.filter(channel_slug="bench").delete()
    bench_orders = Parcel.objects.filter(channel_slug="bench").values("order_id")
    Milestone.objects.filter(order_id__in=bench_orders).delete()
    ReviewRequest.objects.filter(channel_slug="bench").delete()
    Parcel.objects.filter(channel_slug="bench").delete()  # cascades to events and estimates


def _make_parcels(count: int, shipped_at: datetime, next_check_at: datetime | None) -> list:
    from saleor_aftersales.models import Parcel

    parcels = [
        Parcel(order_id=uuid.uuid4(), channel_slug="bench", fulfillment_id=f"b{i}",
               carrier="dhl", carrier_source="detected", tracking_number=f"JJD{i:018d}",
               destination_country="DE", shipped_at=shipped_at, next_check_at=next_check_at)
        for i in range(count)
    ]
    return Parcel.objects.bulk_create(parcels)


def throughput(parcels: int, runs: int, dhl_url: str) -> list[float]:
    from django.core.cache import cache

    from saleor_aftersales.config import parse_config
    from saleor_aftersales.tracking.polling import poll_due_parcels

    config = parse_config({"dhl_api_key": "k", "dhl_api_url": dhl_url}, channel_slug="bench")
    rates = []
    for _ in range(runs):
        _reset()
        cache.clear()
        now = datetime.now(UTC)
        _make_parcels(parcels, now - timedelta(days=2), now - timedelta(minutes=1))
        profiler = None
        if os.environ.get("BENCH_PROFILE"):  # where a cycle's time goes (printed per run)
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        stats = poll_due_parcels(now=now, batch_size=500, max_batches=parcels // 500 + 2,
                                 get_config=lambda slug: config)
        elapsed = time.perf_counter() - started
        if profiler is not None:
            import pstats

            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        assert stats.checked == parcels, stats
        rates.append(parcels / elapsed)
    return rates


# --- figure 2 ---------------------------------------------------------------------------------


class SimulatedCarrier:
    """In-process DHL answers on a simulated clock: events up to ``clock`` are visible."""

    def __init__(self, start: datetime, parcels: int, with_estimate: bool) -> None:
        self.clock = start
        self.calls = 0
        self.journeys: dict[str, list[tuple[datetime, str, str]]] = {}
        self.with_estimate = with_estimate
        for i in range(parcels):
            t0 = start + timedelta(hours=2 + (i % 7))  # label
            deliver_day = start.date() + timedelta(days=7)
            ofd = datetime.combine(deliver_day, datetime.min.time(), UTC) + timedelta(
                hours=7, minutes=(i * 13) % 90)
            steps = [(t0, "pre-transit", "Elektronisch angekündigt"),
                     (t0 + timedelta(hours=5), "transit", "Im Start-Paketzentrum bearbeitet")]
            steps += [(t0 + timedelta(days=d, hours=3), "transit", "Im Paketzentrum bearbeitet")
                      for d in range(1, 6)]
            steps += [(ofd, "transit", "In das Zustellfahrzeug geladen"),
                      (ofd + timedelta(hours=2 + (i % 6)), "delivered", "Zugestellt")]
            self.journeys[f"JJD{i:018d}"] = steps
        self.eta = (start + timedelta(days=7)).date()

    def send(self, method, url, *, headers, params=None, json=None, timeout=10.0):
        self.calls += 1
        number = (params or {}).get("trackingNumber", "")
        visible = [s for s in self.journeys.get(number, []) if s[0] <= self.clock]
        payload = {"shipments": [{"id": number, "events": [
            {"timestamp": t.isoformat(), "statusCode": c, "status": d, "description": d}
            for t, c, d in visible
        ]}]}
        if self.with_estimate and len(visible) > 1:
            payload["shipments"][0]["estimatedTimeOfDelivery"] = self.eta.isoformat()
        if not visible:
            return _Response(404, b'{"status": 404}')
        import json as _json

        return _Response(200, _json.dumps(payload).encode())


class _Response:
    def __init__(self, status: int, content: bytes) -> None:
        self.status_code, self.content, self.headers = status, content, {}


def calls_per_delivery(parcels: int, with_estimate: bool, weekday: int) -> tuple[float, int]:
    """Calls per delivered parcel for a journey starting on ``weekday`` (0 = Monday)."""
    from django.core.cache import cache

    from saleor_aftersales.config import parse_config
    from saleor_aftersales.models import Parcel
    from saleor_aftersales.tracking import eta
    from saleor_aftersales.tracking.polling import poll_due_parcels
    from saleor_aftersales.tracking.schedule import first_check

    _reset()
    cache.clear()
    start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(
        days=9)
    start -= timedelta(days=(start.weekday() - weekday) % 7)
    carrier = SimulatedCarrier(start, parcels, with_estimate)
    config = parse_config({"dhl_api_key": "k", "dhl_api_url": "https://dhl.invalid/track"},
                          channel_slug="bench")
    # as at shipment: the table estimate is recorded and the first check scheduled from it
    made = _make_parcels(parcels, start, None)
    sample = made[0]
    eta.apply_estimate(sample, eta.estimate(sample), collect=[])
    Parcel.objects.filter(pk__in=[p.pk for p in made]).update(
        estimated_delivery=sample.estimated_delivery, estimate_source=sample.estimate_source,
        promised_delivery=sample.promised_delivery, next_check_at=first_check(sample, start))
    clock = start
    end = start + timedelta(days=9)
    while clock < end:
        carrier.clock = clock
        poll_due_parcels(now=clock, send=carrier.send, workers=1, batch_size=500,
                         get_config=lambda slug: config)
        clock += timedelta(minutes=5)
    delivered = Parcel.objects.filter(status="delivered").count()
    return carrier.calls / max(delivered, 1), delivered


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parcels", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--journeys", type=int, default=100,
                        help="parcels per simulated week (one week per start weekday)")
    args = parser.parse_args()

    url = _database_url()
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Follow-up work of a poll cycle (metadata summaries, messages) is queued for other
    # workers; publish it to an in-memory broker so only the cycle itself is measured.
    from sandbox.celery import app as celery_app

    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "memory://"

    ports = multiprocessing.get_context("spawn").Queue()
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(ports,),
                                                          daemon=True)
    server.start()
    try:
        dhl_url = f"http://127.0.0.1:{ports.get(timeout=20)}/track/shipments"
        rates = throughput(args.parcels, args.runs, dhl_url)
        print(f"poll throughput: {statistics.median(rates):.0f} parcels/s "
              f"(median of {len(rates)} cycles of {args.parcels} parcels, ~6 events each; "
              f"runs: {', '.join(f'{r:.0f}' for r in rates)}; target ≥ 500)")
        days = "Mon Tue Wed Thu Fri Sat Sun".split()
        for with_estimate in (True, False):
            runs = [calls_per_delivery(args.journeys, with_estimate, wd) for wd in range(7)]
            ratios = [ratio for ratio, _ in runs]
            label = "carrier estimate" if with_estimate else "no carrier estimate"
            each = ", ".join(f"{d} {r:.2f}" for d, r in zip(days, ratios, strict=True))
            print(f"carrier API calls per delivered parcel, 7-day journey ({label}): "
                  f"median {statistics.median(ratios):.2f}, worst {max(ratios):.2f} over the "
                  f"7 start weekdays ({each}; "
                  f"{min(n for _, n in runs)}+ of {args.journeys} delivered each; target ≤ 8)")
    finally:
        server.terminate()
        server.join(5)
        _reset()
    return 0


if __name__ == "__main__":
    sys.exit(main())
