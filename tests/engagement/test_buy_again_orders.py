"""Buy again → order: an order placed from a checkout that buy again created is counted once,
in the KPIs and on the insights page; other orders are not."""

from __future__ import annotations

import uuid

import pytest

from saleor_aftersales.dashboard.insights import buy_again, charts
from saleor_aftersales.models import EngagementEvent
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.orchestration.analytics import channel_kpis
from sandbox.models import Checkout
from tests.web.conftest import csrf_of, page_url

pytestmark = pytest.mark.django_db


def placed_from(make_order, checkout_token: str):
    """The shopper completes the checkout: the shop's order names it, then the hook runs."""
    order = make_order(lines=1)
    order.checkout_token = checkout_token
    order.save(update_fields=["checkout_token"])
    lifecycle.handle_order_event(str(order.pk), "order_created")
    return order


def test_an_order_from_a_buy_again_checkout_counts_once(client, make_order, channel):
    first = make_order(lines=2, parcels=1, tracking_numbers=["00340434161094042557"])
    lifecycle.handle_order_event(str(first.pk), "order_created")
    url = page_url(first)
    assert client.post(f"{url}/buy-again", {"csrf_token": csrf_of(client, url)}).status_code == 303
    checkout = Checkout.objects.get()
    assert channel_kpis(channel.slug).buy_again_orders == 0

    again = placed_from(make_order, str(checkout.token))
    lifecycle.handle_order_event(str(again.pk), "order_created")  # a repeated hook
    lifecycle.handle_order_event(str(again.pk), "order_paid")

    kpis = channel_kpis(channel.slug)
    assert (kpis.buy_again_checkouts, kpis.buy_again_orders) == (1, 1)
    rows = {row.label: row.count for row in buy_again([channel.slug], kpis.since).rows}
    assert rows == {"Checkouts": 1, "Orders": 1}
    event = EngagementEvent.objects.get(kind="buy_again_checkout")
    assert (str(event.order_id), event.target) == (str(first.pk), str(again.pk))
    assert any(c.key == "buy_again" for c in charts([channel.slug], 30))


def test_other_orders_are_not_counted(make_order, channel):
    placed_from(make_order, str(uuid.uuid4()))  # a checkout of the storefront's own
    placed_from(make_order, "")  # no checkout (staff, draft)
    assert channel_kpis(channel.slug).buy_again_orders == 0
    assert not EngagementEvent.objects.filter(kind="buy_again_checkout").exists()
