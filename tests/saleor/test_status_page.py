"""The shopper's status page for a real Saleor order, and buy again into a real checkout."""

from __future__ import annotations

import re

import pytest
from flows import fulfill
from saleor.checkout.models import Checkout

from saleor_aftersales import tasks
from saleor_aftersales.hosts import get_host
from saleor_aftersales.links import status_url

ROOT = "/plugins/channel/main/io.github.saleor-aftersales"


@pytest.fixture
def shipped(
    aftersales,
    staff_api_client,
    permission_group_manage_orders,
    order_with_lines,
    warehouse,
    django_capture_on_commit_callbacks,
):
    """A real order, announced to the plugin and fulfilled with a tracking number."""
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.handle_order_event_task.delay(str(order_with_lines.pk), "order_created")
    assert (
        fulfill(staff_api_client, order_with_lines, warehouse, "1Z999AA10123456784")["errors"] == []
    )
    return order_with_lines


def _page(order) -> str:
    url = status_url(str(order.pk), get_host().get_config("main"))
    return url[url.index(ROOT) :]


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, "the page has no form token"
    return match.group(1)


def test_page_renders_a_real_order_and_hides_personal_data_until_verified(shipped, client):
    path = _page(shipped)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Order {shipped.number}" in html
    for line in shipped.lines.all():
        assert line.product_name in html
    assert "1Z999AA10123456784" in html
    address = shipped.shipping_address
    assert address.street_address_1 not in html and shipped.user_email not in html
    assert "no-store" in response["Cache-Control"]

    answer = client.post(
        f"{path}/verify", {"csrf_token": _csrf(html), "answer": address.postal_code}
    )
    assert answer.status_code in (302, 303)
    unlocked = client.get(path).content.decode()
    assert address.street_address_1 in unlocked


def test_bare_order_uuid_shows_nothing(shipped, client):
    response = client.get(f"{ROOT}/status/{shipped.pk}")
    assert response.status_code in (403, 404)
    assert str(shipped.number) not in response.content.decode()


def test_buy_again_creates_a_real_saleor_checkout(shipped, client):
    from saleor.warehouse.models import Stock

    Stock.objects.update(quantity=100, quantity_allocated=0)  # restocked since the order
    path = _page(shipped)
    response = client.post(
        f"{path}/buy-again", {"csrf_token": _csrf(client.get(path).content.decode())}
    )
    assert response.status_code == 303
    checkout = Checkout.objects.get()
    assert checkout.channel.slug == "main"
    assert response["Location"].startswith("https://shop.example.com/checkout?checkout=")
    got = sorted((line.variant_id, line.quantity) for line in checkout.lines.all())
    want = sorted((line.variant_id, line.quantity) for line in shipped.lines.all())
    assert got == want
