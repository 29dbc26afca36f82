"""Benchmark body for ``bench/hook_overhead.py`` (not collected as a test: no ``test_`` prefix).

Times ``checkoutComplete`` with the plugin active and inactive, interleaved, with Celery
publishing to a real Redis broker (not eager), and counts the SQL queries the plugin adds.
"""

from __future__ import annotations

import os
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from flows import complete_checkout, pay_checkout
from saleor.celeryconf import app as celery_app
from saleor.checkout.fetch import fetch_checkout_info
from saleor.checkout.models import Checkout, CheckoutMetadata
from saleor.checkout.tests.utils import add_variant_to_checkout
from saleor.plugins.manager import get_plugins_manager

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "25"))


def bench_checkout_complete_overhead(
    aftersales,
    user_api_client,
    product,
    address,
    checkout_delivery,
    transaction_item_generator,
    channel_USD,
    settings,
):
    celery_app.conf.task_always_eager = False
    assert celery_app.conf.broker_url.startswith("redis://"), "run through bench/hook_overhead.py"
    import redis

    broker = redis.Redis.from_url(celery_app.conf.broker_url)
    broker.delete("celery")
    variant = product.variants.first()
    variant.stocks.update(quantity=100000)

    def new_checkout():
        checkout = Checkout.objects.create(
            currency=channel_USD.currency_code,
            channel=channel_USD,
            price_expiration=timezone.now() + settings.CHECKOUT_PRICES_TTL,
            email="user@email.com",
        )
        checkout.set_country("US", commit=True)
        CheckoutMetadata.objects.create(checkout=checkout)
        info = fetch_checkout_info(checkout, [], get_plugins_manager(allow_replica=False))
        add_variant_to_checkout(info, variant, 1)
        checkout.shipping_address = address.get_copy()
        checkout.billing_address = address.get_copy()
        checkout.assigned_delivery = checkout_delivery(checkout)
        checkout.save()
        pay_checkout(checkout, transaction_item_generator)
        return checkout

    timings: dict[bool, list[float]] = {True: [], False: []}
    queries: dict[bool, list[int]] = {True: [], False: []}
    for i in range(ROUNDS * 2 + 2):
        active = i % 2 == 0
        aftersales.active = active
        aftersales.save(update_fields=["active"])
        checkout = new_checkout()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            payload = complete_checkout(user_api_client, checkout)
            elapsed = time.perf_counter() - start
        assert payload["errors"] == [], payload
        if i >= 2:  # first pair warms caches
            timings[active].append(elapsed)
            queries[active].append(len(ctx.captured_queries))
    published = broker.llen("celery")
    broker.delete("celery")
    assert published >= ROUNDS, f"only {published} task messages reached the broker"
    on, off = statistics.median(timings[True]), statistics.median(timings[False])
    q_on, q_off = statistics.median(queries[True]), statistics.median(queries[False])
    print(
        f"\ncheckoutComplete, {ROUNDS} rounds each, interleaved, Celery publishing to Redis\n"
        f"  median active   {on * 1000:8.1f} ms  ({q_on:.0f} SQL queries)\n"
        f"  median inactive {off * 1000:8.1f} ms  ({q_off:.0f} SQL queries)\n"
        f"  median ratio active/inactive: {on / off:.3f}  (target <= 1.05)\n"
        f"  SQL queries added by the plugin: {q_on - q_off:.0f}  (target <= 2)\n"
        f"  task messages published to the broker: {published}\n"
    )
