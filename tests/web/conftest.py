"""Fixtures for the status page: processed sandbox orders and their signed links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.core.links import make_token
from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.tracking import service
from saleor_aftersales.tracking.carriers.base import CarrierEvent, TrackingResult

BASE = f"/plugins/channel/default-channel/{PLUGIN_ID}"
DHL = "00340434161094042557"  # shipped_order's first parcel


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
    order = make_order(lines=3, parcels=2, tracking_numbers=[DHL, ""])
    process(order)
    return order


def dhl_parcel(order) -> Parcel:
    return Parcel.objects.get(order_id=order.pk, tracking_number=DHL)


def out_for_delivery(source_id: str = "ev-ofd") -> TrackingResult:
    """DHL's news: out for delivery from a depot near Vienna, five minutes ago."""
    event = CarrierEvent(
        source_id=source_id,
        occurred_at=timezone.now() - timedelta(minutes=5),
        status="out_for_delivery",
        description="Out for delivery",
        location="Zustellbasis Wien-Ost, AT",
    )
    return TrackingResult(source="dhl", events=(event,))


def carrier_news(order, capture_on_commit) -> None:
    """``out_for_delivery`` stored for the order's DHL parcel as polling stores it, with the
    after-commit work run (``capture_on_commit``: ``django_capture_on_commit_callbacks``)."""
    config = get_host().get_config("default-channel")
    with capture_on_commit(execute=True):
        service.apply_result(dhl_parcel(order), out_for_delivery(), config)


def csrf_of(client, url: str) -> str:
    """GET the page and return its form token (the client keeps the cookie)."""
    import re

    html = client.get(url).content.decode()
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


@pytest.fixture(autouse=True)
def _long_cache_windows(monkeypatch):
    """Views are stamped with their order's 60-second window; two requests of a test that
    straddle a window's end see a new stamp, and a "served from cache" assertion then fails
    (a few times in a thousand tests). An hour's window makes that 60 times rarer; tests of
    the window itself read ``status_cache.TTL``."""
    from saleor_aftersales.status import cache as status_cache

    monkeypatch.setattr(status_cache, "TTL", 3600)
