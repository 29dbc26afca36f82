"""Fixtures for the status page: processed sandbox orders and their signed links."""

from __future__ import annotations

import pytest

from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.core.links import make_token
from saleor_aftersales.hosts import get_host
from saleor_aftersales.orchestration import lifecycle

BASE = f"/plugins/channel/default-channel/{PLUGIN_ID}"


def process(order) -> None:
    """Run the order and its fulfillments through the lifecycle (creates parcels)."""
    lifecycle.handle_order_event(str(order.pk), "order_created")
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")


def page_url(order, channel_slug: str = "default-channel") -> str:
    return f"{BASE}/status/{make_token(str(order.pk), channel_slug)}"


@pytest.fixture
def config(channel):
    return get_host().get_config(channel.slug)


@pytest.fixture
def shipped_order(make_order):
    order = make_order(lines=3, parcels=2, tracking_numbers=["00340434161094042557", ""])
    process(order)
    return order


def csrf_of(client, url: str) -> str:
    """GET the page and return its form token (the client keeps the cookie)."""
    import re

    html = client.get(url).content.decode()
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)
