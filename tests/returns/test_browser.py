"""A return in headless Chromium: the shopper asks on the status page, staff approve and
receive it through the staff API, the page shows the refund; then an exchange of the kept
parcel's item for another size."""

from __future__ import annotations

import re

import pytest

from sandbox import factories
from sandbox import models as shop
from sandbox.factories import make_api_token
from tests.web.conftest import page_url

from .conftest import deliver, sized_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

API = "/plugins/channel/default-channel/io.github.saleor-aftersales/graphql/"
STAFF = """
mutation($id: ID!) {
  a: aftersalesReturnApprove(id: $id) { errors { code } }
  r: aftersalesReturnMarkReceived(id: $id) { returnRequest { state } errors { code } }
}
"""
LIST = "{ aftersalesReturns(state: REQUESTED) { items { id } } }"


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _staff(page, token, query, variables=None):
    response = page.request.post(
        API,
        data={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.ok, response.text()
    return response.json()["data"]


def _approve_and_receive(page, token):
    items = _staff(page, token, LIST)["aftersalesReturns"]["items"]
    assert len(items) == 1
    return _staff(page, token, STAFF, {"id": items[0]["id"]})["r"]["returnRequest"]["state"]


def test_split_order_refund_of_one_parcel_then_exchange_of_the_other(
    page, returns_channel, screenshot_dir
):
    small, medium, _large = sized_product("Merino Wool Sweater")
    jacket = factories.make_product("Rain Jacket")
    order = deliver(
        factories.make_order(lines=2, parcels=2, channel=returns_channel, variants=[jacket, small])
    )
    staff = make_api_token("staff", ("MANAGE_ORDERS",))
    url = page_url(order)  # the unlock cookie belongs to this link
    page.goto(url)
    page.get_by_label("Delivery postcode or email address").fill("51147")
    page.get_by_role("button", name="Show my details").click()
    page.get_by_role("link", name="Return items").click()

    # parcel 1: the jacket goes back for a refund; parcel 2 is kept for now
    page.get_by_label("Quantity to return").first.select_option("1")
    page.get_by_label("Reason").first.select_option(label="Not as described")
    page.get_by_label("Refund to the original payment").check()
    page.get_by_role("button", name="Send return request").click()
    assert page.get_by_role("status").inner_text() == "Thank you. We have your return request."
    assert page.locator("[data-return-state]").first.get_attribute("data-return-state") == (
        "requested"
    )

    assert _approve_and_receive(page, staff) == "REFUNDED"
    page.goto(url)
    section = page.locator("#returns")
    assert section.locator("[data-return-state]").first.get_attribute("data-return-state") == (
        "refunded"
    )
    done = section.locator(".as-return__step--done").all_inner_texts()
    assert [re.sub(r"\s+\S+$", "", t) if re.search(r"\d", t) else t for t in done][-1].startswith(
        "Refunded"
    )
    section.screenshot(path=str(screenshot_dir / "returns-refunded.png"))
    assert shop.ReturnFulfillment.objects.get(order=order).status == "refunded_and_returned"

    # the kept parcel's sweater: exchanged for size M, which is in stock
    page.get_by_role("link", name="Return items").click()
    sweater = page.locator(f"[data-line='{list(order.lines.all())[1].pk}']")
    sweater.get_by_label("Quantity to return").select_option("1")
    sweater.get_by_label("Reason").select_option(label="Too small")
    sweater.get_by_label("For an exchange").select_option(str(medium.pk))
    page.get_by_label("Exchange for another size or colour").check()
    page.get_by_role("button", name="Send return request").click()
    assert page.get_by_role("status").inner_text() == "Thank you. We have your return request."
    assert _approve_and_receive(page, staff) == "EXCHANGED"
    replacement = shop.Order.objects.get(original=order)
    assert [li.variant_id for li in replacement.lines.all()] == [medium.pk]
    page.goto(url)
    states = page.locator("#returns [data-return-state]").evaluate_all(
        "els => els.map(e => e.dataset.returnState)"
    )
    assert states == ["refunded", "exchanged"]
    page.screenshot(path=str(screenshot_dir / "returns-status-page.png"), full_page=True)

    # a reader without the check sees that there are returns, and where to unlock them
    page.context.clear_cookies()
    page.goto(page_url(order))
    assert page.locator("#returns [data-return-state]").count() == 0
    assert page.locator("#returns").get_by_role("link").inner_text() == (
        "Confirm your delivery details below to return items."
    )


def test_label_flow_request_approval_label_received_refund(
    page, label_channel, dhl_returns, screenshot_dir
):
    from saleor_aftersales.returns.models import ReturnRequest

    from .dhl_returns_server import PDF

    factories.make_channel("default-channel", return_approval="manual")
    order = deliver(factories.make_order(lines=1, parcels=1, channel=label_channel))
    staff = make_api_token("staff", ("MANAGE_ORDERS",))
    url = page_url(order)
    page.goto(url)
    page.get_by_label("Delivery postcode or email address").fill("51147")
    page.get_by_role("button", name="Show my details").click()
    page.get_by_role("link", name="Return items").click()
    page.get_by_label("Quantity to return").select_option("1")
    page.get_by_label("Reason").select_option(label="Arrived damaged")
    page.get_by_role("button", name="Send return request").click()
    assert page.get_by_role("status").inner_text() == "Thank you. We have your return request."

    request_id = _staff(page, staff, LIST)["aftersalesReturns"]["items"][0]["id"]
    approve = "mutation($id: ID!) { aftersalesReturnApprove(id: $id) { returnRequest { state } } }"
    assert _staff(page, staff, approve, {"id": request_id})["aftersalesReturnApprove"] == {
        "returnRequest": {"state": "LABEL_CREATED"}
    }
    page.goto(url)
    section = page.locator("#returns")
    assert "Shipment number 999990000000001" in section.inner_text()
    qr = section.get_by_role("img", name="QR code of the return label")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    with page.expect_download() as download:
        section.get_by_role("link", name="Download the return label (PDF)").click()
    assert open(download.value.path(), "rb").read() == PDF
    section.screenshot(path=str(screenshot_dir / "returns-label.png"))

    received = (
        "mutation($id: ID!) { aftersalesReturnMarkReceived(id: $id) { returnRequest { state } } }"
    )
    assert _staff(page, staff, received, {"id": request_id})["aftersalesReturnMarkReceived"] == {
        "returnRequest": {"state": "REFUNDED"}
    }
    page.goto(url)
    assert page.locator("#returns [data-return-state]").get_attribute("data-return-state") == (
        "refunded"
    )
    assert ReturnRequest.objects.get().host_refund_id


@pytest.mark.parametrize("width", [390, 1280])
def test_return_form_and_timeline_pass_axe_in_both_languages(
    browser, live_server, returns_channel, width
):
    from tests.browser.audit import AXE, AXE_RUN, AXE_TAGS, BROKEN_WORDS, axe_source

    if not AXE.exists():
        pytest.skip("axe-core missing: run `make browser` (npm ci)")
    small, _medium, _large = sized_product("Merino Wool Sweater")
    order = deliver(
        factories.make_order(
            lines=2,
            parcels=2,
            channel=returns_channel,
            variants=[factories.make_product("Rain Jacket"), small],
        )
    )
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    try:
        url = page_url(order)
        page.goto(url)
        page.get_by_label("Delivery postcode or email address").fill("51147")
        page.get_by_role("button", name="Show my details").click()
        page.get_by_role("link", name="Return items").click()
        page.get_by_label("Quantity to return").first.select_option("1")
        page.get_by_role("button", name="Send return request").click()  # no reason: refused
        assert page.get_by_role("alert").inner_text() == "Choose a reason for each item."
        for path in (f"{url}/returns?lang=en", f"{url}/returns?lang=de", f"{url}?lang=de"):
            page.goto(path)
            page.evaluate(axe_source())
            violations = page.evaluate(AXE_RUN, AXE_TAGS)
            assert violations == [], (path, violations)
            assert page.evaluate(BROKEN_WORDS) == [], path
    finally:
        context.close()
