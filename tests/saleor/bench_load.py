"""Benchmark body for ``bench/load.py --saleor`` (not collected as a test: no ``test_``).

Saleor's ``order_with_lines`` and copies of it (``BENCH_LOAD_ORDERS``, default 50), told to
the plugin, are committed (``transactional_db``) so that a real Saleor server in other
processes sees them: ``saleor.asgi:application`` under uvicorn with two workers, Saleor's
production settings with a bounded connection pool per worker (``bench/load_settings.py``;
needs ``psycopg[pool]`` in Saleor's environment), Redis as the cache, our plugin installed
through its entry point and configured for channel "main". One run drives, level by level,
our status page (through Saleor's plugin routing) and our widget JSON, each plain and
revalidated by browsers (``If-None-Match``), and Saleor's own ``order(id)`` query for an app
with MANAGE_ORDERS, on the same orders and the same server.
"""

from __future__ import annotations

import json
import os
import uuid

import graphene
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from saleor.app.models import AppToken
from saleor.order.models import Order

from bench.load import Server, Target, print_table, run_levels, workloads
from saleor_aftersales import tasks
from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.core.links import make_token

ORDERS = int(os.environ.get("BENCH_LOAD_ORDERS", "50"))
LEVELS = [int(x) for x in os.environ.get("BENCH_LOAD_LEVELS", "10,50,200").split(",")]
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "10"))
REDIS = os.environ.get("BENCH_LOAD_REDIS", "redis://127.0.0.1:6379/15")

ORDER_QUERY = (
    "query order($id: ID!) { order(id: $id) { id number created status userEmail"
    " lines { id productName variantName quantity quantityFulfilled variant { id }"
    " thumbnail(size: 256) { url } }"
    " fulfillments { id status trackingNumber created lines { quantity orderLine { id } } }"
    " shippingAddress { firstName lastName companyName streetAddress1 streetAddress2"
    " postalCode city country { code } phone }"
    " total { gross { amount currency } } } }"
)


def _copy(order: Order) -> Order:
    """A new order with the same lines (new ids and number), as a shop has many."""
    lines = list(order.lines.all())
    copy = Order.objects.get(pk=order.pk)
    copy.id = uuid.uuid4()
    copy.number = (Order.objects.order_by("-number").values_list("number", flat=True)[0]) + 1
    copy._state.adding = True
    copy.save(force_insert=True)
    for line in lines:
        line.id = uuid.uuid4()
        line.old_id = None
        line.order = copy
        line._state.adding = True
        line.save(force_insert=True)
    return copy


def _check_order_query(port: int, target: Target, order: Order) -> None:
    """Saleor's ``order(id)`` answers with the order for the app's token (not an error)."""
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{target.path}", data=target.body,
        headers={"Content-Type": "application/json", **dict(target.headers)},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        data = json.loads(response.read())
    assert data.get("data", {}).get("order", {}).get("number") == str(order.number), data


def _private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def bench_load_our_page_against_saleor_order_query(
    transactional_db, aftersales, order_with_lines, app, permission_manage_orders
):
    import pytest

    pytest.importorskip("psycopg_pool", reason="pip install 'psycopg[pool]' into Saleor's env")
    orders = [order_with_lines] + [_copy(order_with_lines) for _ in range(ORDERS - 1)]
    for order in orders:  # committed at once (no surrounding transaction): hooks' work
        tasks.handle_order_event_task.delay(str(order.pk), "order_created")
    app.permissions.add(permission_manage_orders)
    token, app_token = AppToken.objects.create(app=app, name="load")
    # Saleor's test settings hash with a dummy hasher the server does not know: a token
    # hashed so would fail there, after a decoy PBKDF2 run on every request. Hash it as a
    # deployment does (the server checks it once, then caches the check).
    hasher = PBKDF2PasswordHasher()
    token.auth_token = hasher.encode(app_token, hasher.salt())
    token.save(update_fields=["auth_token"])

    base = f"/plugins/channel/main/{PLUGIN_ID}"
    tokens = [(order, make_token(str(order.pk), "main")) for order in orders]
    page = [Target(f"{base}/status/{t}", f"page-{o.pk}") for o, t in tokens]
    widget = [Target(f"{base}/api/status/{t}", f"widget-{o.pk}") for o, t in tokens]
    auth = (("Authorization", f"Bearer {app_token}"),)
    saleor = [
        Target(
            "/graphql/",
            f"saleor-{o.pk}",
            body=json.dumps(
                {"query": ORDER_QUERY,
                 "variables": {"id": graphene.Node.to_global_id("Order", o.pk)}}
            ).encode(),
            headers=auth,
        )
        for o in orders
    ]
    db = connection.settings_dict
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "LOAD_BASE_SETTINGS": "saleor.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CACHE_URL": REDIS,
        "SECRET_KEY": settings.SECRET_KEY,  # our signed links verify in the server
        "RSA_PRIVATE_KEY": _private_key(),
        "DEBUG": "False",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ALLOWED_CLIENT_HOSTS": "127.0.0.1,localhost",
        "CELERY_BROKER_URL": "memory://",
    }
    with Server("saleor.asgi:application", env, health=page[0].path) as server:
        def warm() -> None:  # each worker checks the app token once (PBKDF2), then caches it
            for port in server.ports:
                _check_order_query(port, saleor[0], orders[0])

        warm()
        every = {**workloads(page, widget), "Saleor order(id)": saleor,
                 # the floor of any plugin route: Saleor's routing and our smallest view
                 "plugin route /health": [Target(f"{base}/health", "health")]}
        # e.g. "our page" (with LOAD_PROFILE), or "our page,Saleor order(id)"
        only = {n.strip() for n in os.environ.get("BENCH_LOAD_ONLY", "").split(",") if n.strip()}
        results = run_levels(
            server.ports,
            {name: targets for name, targets in every.items() if not only or name in only},
            LEVELS,
            SECONDS,
            REDIS,
            warm,
            pids=server.pids,
        )
    print_table(
        results,
        f"Saleor 3.23 (saleor.asgi under uvicorn, 2 workers, connection pool of "
        f"{os.environ.get('LOAD_POOL_SIZE', '8')} per worker and alias, Redis cache), "
        f"{len(orders)} orders, {SECONDS:.0f} s per level; our routes "
        + ("answered by the ChannelRoutes middleware"
           if os.environ.get("LOAD_CHANNEL_ROUTES") == "1" else "through Saleor's plugin routing"),
    )
    by = {(r.workload, r.shoppers): r for r in results}
    for shoppers in LEVELS:
        theirs = by.get(("Saleor order(id)", shoppers))
        if theirs and theirs.rps:
            ratios = ", ".join(
                f"{name} {by[(name, shoppers)].rps / theirs.rps:.1f}x"
                for name in ("our page", "our page, If-None-Match", "our widget JSON",
                             "plugin route /health")
                if (name, shoppers) in by
            )
            print(f"{shoppers:>4} shoppers, requests per second against Saleor's order(id): "
                  f"{ratios}")
