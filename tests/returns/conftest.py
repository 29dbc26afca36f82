"""Returns fixtures: a channel with returns on, and orders whose parcels were delivered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.returns import service
from saleor_aftersales.tracking import http
from sandbox import factories
from sandbox import models as shop

from ..graphql.conftest import gql  # noqa: F401  (the GraphQL client fixture)
from .dhl_returns_server import FakeDhlReturns


@pytest.fixture
def returns_channel(channel):
    return factories.make_channel(
        "default-channel",
        returns_enabled="true",
        return_window_days="30",
        return_approval="manual",
        return_resolutions="refund,exchange,store_credit",
        return_non_returnable="Gift voucher",
    )


def deliver(order, *, days_ago: int = 1, parcels=None):
    """Process the order as Saleor's hooks would, then mark its parcels delivered."""
    lifecycle.handle_order_event(str(order.pk), "order_created")
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    rows = Parcel.objects.filter(order_id=order.pk).order_by("pk")
    if parcels is not None:
        rows = rows.filter(pk__in=[p.pk for p in list(rows)[:parcels]])
    Parcel.objects.filter(pk__in=[p.pk for p in rows]).update(
        status="delivered", delivered_at=timezone.now() - timedelta(days=days_ago)
    )
    return order


def return_line(order, n=0, quantity=1, reason="too_small", exchange=""):
    """The shopper's ask for ``quantity`` of the order's line ``n``."""
    line = list(order.lines.all())[n]
    return service.LineRequest(str(line.pk), quantity, reason, exchange)


def submit_return(order, lines, resolution="refund", **kwargs):
    """Send a return of ``lines`` (``return_line``) for the order, as the status page does."""
    host = get_host()
    view = host.get_order(str(order.pk))
    return service.submit(
        view, host.get_config(view.channel_slug), host, lines, resolution=resolution, **kwargs
    )


def sized_product(name="Merino Wool Sweater", sizes=("S", "M", "L"), stock=5):
    """A product with one variant per size; returns the variants."""
    first = factories.make_product(name, stock=stock)
    first.name = sizes[0]
    first.save(update_fields=["name"])
    variants = [first]
    for size in sizes[1:]:
        variants.append(
            shop.Variant.objects.create(
                product=first.product,
                name=size,
                sku=f"{first.sku}-{size}",
                price=first.price,
                stock=stock,
            )
        )
    return variants


@pytest.fixture
def delivered_order(returns_channel):
    """Two lines (quantities 1 and 2), each in its own delivered parcel."""
    order = factories.make_order(lines=2, parcels=2, channel=returns_channel)
    return deliver(order)


@pytest.fixture
def dhl_returns(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(http, "DEADLINE", 1.0)  # a hanging API fails fast in tests
    with FakeDhlReturns() as server:
        server.hang_seconds = 2.0
        yield server


@pytest.fixture
def label_channel(returns_channel, dhl_returns):
    return factories.make_channel(
        "default-channel",
        dhl_api_key="app-key",
        dhl_returns_api_url=dhl_returns.url,
        dhl_returns_receiver_id="deu",
        dhl_returns_username="shop-user",
        dhl_returns_password="shop-pass",
        return_approval="auto",
    )
