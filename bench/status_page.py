"""Median server time of our status page (sandbox half of the Saleor comparison).

Usage: ``python -m bench.status_page [--runs 200]`` (PostgreSQL/Redis from DATABASE_URL /
REDIS_URL via ``tests.settings``; a throw-away test database is created and dropped).

:func:`measure_our_page` is the reusable part: give it a Django test ``Client`` and a signed
status URL; it returns the median (and p90) wall time of rendering the page in-process, i.e.
server time without network. The Saleor comparison (``order(id)`` over GraphQL on the same
order) calls it with a Saleor-hosted URL and prints the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class PageTiming:
    runs: int
    median_ms: float
    p90_ms: float
    queries: int
    status: int


def measure_our_page(client, url: str, runs: int = 100, warmup: int = 5) -> PageTiming:
    """Render ``url`` ``runs`` times with ``client``; median and p90 server time in ms."""
    from django.db import connection

    for _ in range(warmup):
        client.get(url)
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        status = client.get(url).status_code
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return PageTiming(
        runs=runs,
        median_ms=statistics.median(timings),
        p90_ms=timings[int(len(timings) * 0.9) - 1],
        queries=len(executed),
        status=status,
    )


def sandbox_order(lines: int = 6, parcels: int = 3, events_per_parcel: int = 12):
    """A processed sandbox order with parcels and carrier events; returns (order, url)."""
    from saleor_aftersales import lifecycle
    from saleor_aftersales.links import make_token
    from saleor_aftersales.models import Parcel, TrackingEvent
    from saleor_aftersales.plugin_id import PLUGIN_ID
    from saleor_aftersales.sandbox import factories

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
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
        ours = measure_our_page(Client(), url, args.runs)
        tiny = measure_our_page(Client(), small, args.runs)
        print(f"status page, 6 lines / 3 parcels / 36 events: median {ours.median_ms:.2f} ms, "
              f"p90 {ours.p90_ms:.2f} ms, {ours.queries} queries ({ours.runs} runs)")
        print(f"status page, 1 line / 1 parcel / 1 event:     median {tiny.median_ms:.2f} ms, "
              f"p90 {tiny.p90_ms:.2f} ms, {tiny.queries} queries ({tiny.runs} runs)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
