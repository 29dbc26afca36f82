"""Median server time of our status page, alone (sandbox) or against Saleor's ``order(id)``.

Usage:
    python -m bench.status_page [--runs 200]
        sandbox: PostgreSQL/Redis from DATABASE_URL / REDIS_URL via ``tests.settings``; a
        throw-away test database is created and dropped.
    $SALEOR_PYTHON bench/status_page.py --saleor [--runs 200]
        inside Saleor 3.23 (run with Saleor's interpreter, like ``bench/hook_overhead.py``):
        on one real Saleor order, our status page against Saleor's own ``order(id)`` GraphQL
        query for a staff user with MANAGE_ORDERS; prints the medians and ratios (target
        ours <= 0.5x Saleor's) of our page's first view (the view is built: the order's cached
        view is dropped before every request) and of repeat views (served from the 60-second
        view cache). Saleor's test database comes from DATABASE_URL (default
        ``postgres://postgres@127.0.0.1:5432/saleor`` → ``test_saleor``, reused); set
        ``CACHE_URL=redis://127.0.0.1:6379/5`` to use Redis as a Saleor deployment does
        (default: Saleor's local-memory cache). Switches for finding where time goes:
        ``BENCH_PARTS=1`` prints the unprofiled median of each part (Saleor's plugin
        manager, rendering, the host's reads, the view build; ``BENCH_PARTS="<label>"``
        profiles that part, ``BENCH_PARTS=nodes`` times each top-level template node);
        ``BENCH_SQL=1`` lists the statements of one first view (``BENCH_SQL=stack``: with
        the code running each; ``BENCH_SQL_FILE=path`` also writes them out whole and prints
        PostgreSQL's planning and execution time of each); ``BENCH_PROFILE=1`` (``=warm``)
        profiles 50 first (repeat) views. The first view is timed twice: with Saleor's
        connection per request (``DB_CONN_MAX_AGE=0``, its default) and with persistent
        connections, where our statements are prepared (``core/prepared.py``).

:func:`measure_our_page` is the reusable part: give it a Django test ``Client`` and a signed
status URL; it returns the median (and p90) wall time of rendering the page in-process, i.e.
server time without network. :func:`measure` times any in-process request the same way; the
Saleor half (``tests/saleor/bench_status_page.py``) uses both on the same order.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Run as a script, bench/ is sys.path[0] and bench/email.py would shadow the stdlib ``email``.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageTiming:
    runs: int
    median_ms: float
    p90_ms: float
    queries: int
    status: int


def measure(
    request: Callable[[], int],
    runs: int = 100,
    warmup: int = 5,
    before: Callable[[], object] | None = None,
    expect: int = 200,
) -> PageTiming:
    """Call ``request`` (returns an HTTP status, ``expect`` or it raises) ``runs`` times;
    median and p90 in ms.

    One extra call, before the timed ones, counts the SQL queries a request runs.
    ``before`` (untimed) runs ahead of every call, e.g. to drop a cached view.
    """
    before = before or (lambda: None)
    from django.db import connection

    for _ in range(warmup):
        before()
        request()
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    before()
    with connection.execute_wrapper(count):
        status = request()
    if status != expect:
        raise RuntimeError(f"the request answered {status}, not {expect}")
    timings = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        request()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return PageTiming(
        runs=runs,
        median_ms=statistics.median(timings),
        p90_ms=timings[max(int(len(timings) * 0.9) - 1, 0)],
        queries=len(executed),
        status=status,
    )


def measure_our_page(
    client,
    url: str,
    runs: int = 100,
    warmup: int = 5,
    cold: bool = False,
    revalidate: bool = False,
) -> PageTiming:
    """Render ``url`` ``runs`` times with ``client``; median and p90 server time in ms.

    ``cold``: drop the order's cached anonymous view and the rendered pages kept
    (``web.memo``) before every request, so each one builds and renders the view (the first
    view after a change); otherwise repeats within the cache's
    TTL are served from it (a shopper reloading, the widget polling). ``revalidate``: the
    browser sends the ETag of its copy (``If-None-Match``), which is current: ``304``.
    """
    request, before, expect = page_request(client, url, cold=cold, revalidate=revalidate)
    try:
        return measure(request, runs, warmup, before, expect=expect)
    except RuntimeError as exc:
        raise RuntimeError(f"{url}: {exc}") from None


def page_request(client, url: str, *, cold: bool = False, revalidate: bool = False):
    """``(request, before, expected status)`` of one kind of page view, for :func:`measure`
    or :func:`interleaved` (see :func:`measure_our_page` for ``cold`` and ``revalidate``)."""
    before = None
    if cold:
        from django.core.cache import cache

        from saleor_aftersales.core.links import read_token
        from saleor_aftersales.status import cache as status_cache
        from saleor_aftersales.web import memo

        order_id = read_token(url.rstrip("/").rsplit("/", 1)[-1], max_age_days=1)["o"]
        key = status_cache.entry_key(order_id)

        def before() -> None:  # nothing kept: neither the built view nor the rendered page
            cache.delete(key)
            memo.pages.clear()
            memo.widget_bodies.clear()

    headers = {}
    if revalidate:
        headers["HTTP_IF_NONE_MATCH"] = client.get(url)["ETag"]
    return (lambda: client.get(url, **headers).status_code), before, 304 if revalidate else 200


Request = tuple[Callable[[], int], Callable[[], object] | None, int]


def interleaved(requests: dict[str, Request], runs: int = 100,
                warmup: int = 5) -> dict[str, PageTiming]:
    """Time several kinds of request turn by turn, one of each per round, so that the drift
    of a shared machine affects them alike (ratios between them hold). ``requests``: name →
    ``(request, before, expected status)`` as for :func:`measure`."""
    from django.db import connection

    queries, timings = {}, {name: [] for name in requests}
    for name, (request, before, expect) in requests.items():
        executed: list[str] = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        (before or (lambda: None))()
        with connection.execute_wrapper(count):
            status = request()
        if status != expect:
            raise RuntimeError(f"{name}: the request answered {status}, not {expect}")
        queries[name] = len(executed)
    for round_ in range(warmup + runs):
        for name, (request, before, _expect) in requests.items():
            if before:
                before()
            start = time.perf_counter()
            request()
            if round_ >= warmup:
                timings[name].append((time.perf_counter() - start) * 1000)
    result = {}
    for name, values in timings.items():
        values.sort()
        result[name] = PageTiming(runs=runs, median_ms=statistics.median(values),
                                  p90_ms=values[max(int(len(values) * 0.9) - 1, 0)],
                                  queries=queries[name], status=requests[name][2])
    return result


def sandbox_order(lines: int = 6, parcels: int = 3, events_per_parcel: int = 12):
    """A processed sandbox order with parcels and carrier events; returns (order, url)."""
    from saleor_aftersales.core.ids import PLUGIN_ID
    from saleor_aftersales.core.links import make_token
    from saleor_aftersales.models import Parcel, TrackingEvent
    from saleor_aftersales.orchestration import lifecycle
    from sandbox import factories

    channel = factories.make_channel(
        "default-channel", shop_name="Bench Shop", storefront_url="https://shop.example.com",
        marketing_consent_rule="always",
    )
    order = factories.make_order(lines=lines, parcels=parcels, channel=channel,
                                 tracking_numbers=["00340434161094042557"] * parcels)
    lifecycle.handle_order_event(str(order.pk), "order_created")
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    for parcel in Parcel.objects.filter(order_id=order.pk):
        TrackingEvent.objects.bulk_create(
            TrackingEvent(parcel=parcel, occurred_at=parcel.shipped_at, status="in_transit",
                          description=f"Scan {i}", source="bench", source_id=f"{parcel.pk}-{i}",
                          relevant=i % 3 == 0)
            for i in range(events_per_parcel)
        )
    token = make_token(str(order.pk), channel.slug)
    return order, f"/plugins/channel/{channel.slug}/{PLUGIN_ID}/status/{token}"


def run_in_saleor(runs: int) -> int:
    """The Saleor half, through pytest with Saleor's fixtures (needs Saleor's interpreter)."""
    from importlib.util import find_spec

    import pytest

    # find_spec, not ``import saleor``: that would load Saleor's Celery app with its
    # production settings before pytest-django picks Saleor's test settings (eager Celery).
    saleor_init = Path(find_spec("saleor").origin).resolve()
    os.environ.setdefault("SALEOR_ROOT", str(saleor_init.parent.parent))
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/saleor")
    os.environ.pop("REDIS_URL", None)
    os.environ["BENCH_STATUS_RUNS"] = str(runs)
    os.chdir(ROOT / "tests" / "saleor")
    return pytest.main(
        [
            "-c", "pytest.ini", "--reuse-db", "-q", "-s", "-p", "no:warnings",
            "-o", "python_functions=bench_*", "-o", "python_files=bench_*.py",
            "bench_status_page.py",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--saleor", action="store_true",
        help="compare with Saleor's order(id) query (run with Saleor's interpreter)",
    )
    args = parser.parse_args()
    if args.saleor:
        return run_in_saleor(args.runs)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _order, url = sandbox_order()
        small = sandbox_order(lines=1, parcels=1, events_per_parcel=1)[1]
        for label, page in (("6 lines / 3 parcels / 36 events", url),
                            ("1 line / 1 parcel / 1 event    ", small)):
            client = Client()
            for kind in ("cold", "warm", "304"):
                t = measure_our_page(client, page, args.runs, cold=kind == "cold",
                                     revalidate=kind == "304")
                print(f"status page, {label}, {kind}: "
                      f"median {t.median_ms:.2f} ms, p90 {t.p90_ms:.2f} ms, "
                      f"{t.queries} queries ({t.runs} runs)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return 0


if __name__ == "__main__":
    sys.exit(main())
