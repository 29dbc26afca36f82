"""Returns in the storefront widget: its JSON lists each return's state, items and small
timeline in the order's language, as the status page does; a change shows on the next
conditional request (no stale 304); in Chromium the component renders them."""

from __future__ import annotations

import pytest

from saleor_aftersales.hosts import get_host
from saleor_aftersales.returns import service

from ..dashboard.test_returns_tab import submit
from ..web.conftest import BASE

pytestmark = pytest.mark.django_db


def _token(client, order) -> str:
    response = client.post(
        f"{BASE}/api/token",
        {"order_id": str(order.pk), "email": order.user_email},
        content_type="application/json",
    )
    return response.json()["token"]


def test_the_widget_json_lists_returns_and_follows_their_changes(
    client, delivered_order, django_capture_on_commit_callbacks
):
    token = _token(client, delivered_order)
    first = client.get(f"{BASE}/api/status/{token}")
    assert first.json()["returns"] == []
    with django_capture_on_commit_callbacks(execute=True):  # the cached view is dropped
        request = submit(delivered_order)
    second = client.get(f"{BASE}/api/status/{token}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    (shown,) = second.json()["returns"]
    line = list(delivered_order.lines.all())[1]
    assert shown["state"] == "requested"
    assert shown["lines"] == [{"product_name": line.product_name, "quantity": 1}]
    assert [s["key"] for s in shown["steps"] if s["done"]] == ["requested"]
    assert shown["steps"][0]["at_text"]  # formatted by the server, as the page does

    with django_capture_on_commit_callbacks(execute=True):
        service.approve(request.pk, get_host())
    third = client.get(f"{BASE}/api/status/{token}", HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200 and third.json()["returns"][0]["state"] == "approved"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_component_renders_a_return_in_german(browser, live_server, delivered_order):
    from sandbox import models as shop

    shop.Order.objects.filter(pk=delivered_order.pk).update(language_code="de")
    submit(delivered_order)
    page = browser.new_page(base_url=live_server.url)
    try:
        page.goto(
            f"{BASE}/widget-demo?order={delivered_order.pk}&email={delivered_order.user_email}"
        )
        box = page.locator("aftersales-status .box")
        box.wait_for()
        text = box.inner_text()
        line = list(delivered_order.lines.all())[1]
        assert "Rücksendung: " in text and f"1 × {line.product_name}" in text
        assert "Rücksendung angefragt · " in text and "noch nicht" in text
    finally:
        page.close()
