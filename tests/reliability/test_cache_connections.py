"""A page view costs no new connection to Redis.

Django's ``caches`` gives each request context its own backend instance, and with it a new
connection pool: served from threads (the live server) or ASGI (every request a new context),
each page view opened and handshook a TCP connection to Redis. ``core.shared_cache.cache``
keeps one instance per process.
"""

from __future__ import annotations

import urllib.request

import pytest
import redis
from django.conf import settings

from tests.web.conftest import page_url, process

pytestmark = pytest.mark.django_db(transaction=True)


def _connections_received() -> int:
    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]).info("stats")[
        "total_connections_received"
    ]


def test_page_views_reuse_the_processes_redis_connections(live_server, make_order):
    order = make_order(lines=2, parcels=1, tracking_numbers=["00340434161094042557"])
    process(order)
    url = f"{live_server.url}{page_url(order)}"
    with urllib.request.urlopen(url, timeout=30) as response:  # the first opens the pool
        assert response.status == 200
    before = _connections_received()
    for _ in range(12):  # each request is served on a thread of its own
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200 and b"Nordwind Outfitters" in response.read()
    assert _connections_received() - before <= 2  # our check's own connection, a spare
