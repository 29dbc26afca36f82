"""The status page and the widget in headless Chromium: what a shopper sees and does."""

from __future__ import annotations

import pytest

from saleor_aftersales.models import Parcel, Review, TrackingEvent
from sandbox import factories
from sandbox.models import Checkout
from tests.web.conftest import page_url, process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XSS = "<img src=x onerror=window.__xss=1>"
CHECKOUT = "https://shop.example.com/checkout"
REVIEW = "https://g.page/r/nordwind/review"


@pytest.fixture
def two_parcel_order(channel):
    channel.configuration.update(review_platform_url=REVIEW, brand_color="#0b6e4f")
    channel.save()
    variants = [
        factories.make_product("Merino Wool Sweater"),
        factories.make_product(XSS),
        factories.make_product("Rain Jacket"),
    ]
    order = factories.make_order(
        lines=3, parcels=2, channel=channel, variants=variants,
        tracking_numbers=["00340434161094042557", "1Z999AA10123456784"],
    )
    process(order)
    parcel = Parcel.objects.filter(order_id=order.pk).order_by("id").first()
    TrackingEvent.objects.create(
        parcel=parcel, occurred_at=parcel.shipped_at, status="in_transit",
        description=f"Arrived at hub {XSS}", location="Köln", source="dhl", source_id="xss-1",
    )
    return order


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # the storefront and review platform are not reachable here: answer for them
    page.route("https://shop.example.com/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<h1>Checkout</h1>"))
    page.route("https://g.page/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<h1>Review us</h1>"))
    yield page
    context.close()


def _assert_no_xss(page):
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_timeline_parcels_and_postcode_gate(page, two_parcel_order, screenshot_dir):
    page.goto(page_url(two_parcel_order))
    assert page.locator(".as-stepper").first.is_visible()
    assert page.get_by_role("heading", name="Parcel 1 of 2").is_visible()
    assert page.get_by_role("heading", name="Parcel 2 of 2").is_visible()
    assert page.get_by_role("link", name="00340434161094042557").is_visible()
    # the XSS payloads are shown as text, not executed (the product name here; the carrier's
    # own text only after verification, below)
    assert XSS in page.locator("main").inner_text()
    _assert_no_xss(page)
    # every event fits into "Latest news": no "show all" toggle for nothing
    assert page.locator("details.as-all-events").count() == 0
    page.screenshot(path=str(screenshot_dir / "status-desktop.png"), full_page=True)

    assert "Mustermann" not in page.content()
    page.get_by_label("Delivery postcode or email address").fill("99999")
    page.get_by_role("button", name="Show my details").click()
    assert page.get_by_role("alert").inner_text().startswith("That did not match")
    assert "Mustermann" not in page.content()
    page.get_by_label("Delivery postcode or email address").fill("51147")
    page.get_by_role("button", name="Show my details").click()
    assert page.locator(".as-name").inner_text() == "Erika Mustermann"
    assert "Heidestraße 17" in page.locator(".as-address").inner_text()
    assert page.get_by_text(f"Arrived at hub {XSS}").first.is_visible()
    _assert_no_xss(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page_url(two_parcel_order))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on mobile ({width}px)"
    page.screenshot(path=str(screenshot_dir / "status-mobile.png"), full_page=True)


def test_buy_again_leads_to_a_checkout(page, two_parcel_order):
    page.goto(page_url(two_parcel_order))
    page.get_by_role("button", name="Put available items in a new cart").click()
    page.wait_for_url(f"{CHECKOUT}**")
    checkout = Checkout.objects.get()
    assert page.url == f"{CHECKOUT}?checkout={checkout.token}"
    expected = sorted([str(li.variant_id), li.quantity] for li in two_parcel_order.lines.all())
    assert sorted(checkout.lines) == expected


def test_review_is_stored_and_forwarded(page, two_parcel_order, screenshot_dir):
    Parcel.objects.filter(order_id=two_parcel_order.pk).update(status="delivered")
    page.goto(page_url(two_parcel_order) + "?lang=en")
    page.screenshot(path=str(screenshot_dir / "status-delivered-desktop.png"), full_page=True)
    page.locator("label[for=star-4]").click()
    page.get_by_label("Comment (optional)").fill(f"Quick delivery {XSS}")
    page.get_by_role("button", name="Send rating").click()
    page.wait_for_url(f"{REVIEW}**")
    review = Review.objects.get(order_id=two_parcel_order.pk)
    assert (review.rating, review.comment) == (4, f"Quick delivery {XSS}")
    page.goto(page_url(two_parcel_order))
    assert "You rated this order 4 stars." in page.locator("#review").inner_text()
    _assert_no_xss(page)


def test_page_works_without_javascript(browser, live_server, two_parcel_order):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(page_url(two_parcel_order))
    page.get_by_label("Delivery postcode or email address").fill("erika@example.com")
    page.get_by_role("button", name="Show my details").click()
    assert page.locator(".as-name").inner_text() == "Erika Mustermann"
    context.close()


def test_widget_renders_status_on_thank_you_page(page, two_parcel_order, screenshot_dir):
    page.goto(
        f"/plugins/channel/default-channel/io.github.saleor-aftersales/widget-demo"
        f"?order={two_parcel_order.pk}&email=erika@example.com"
    )
    widget = page.locator("aftersales-status")
    box = widget.locator(".box")  # inside the shadow root
    box.wait_for()
    text = box.inner_text()
    assert f"Order {two_parcel_order.number}" in text
    assert "Parcel 1 of 2" in text and "00340434161094042557" in text
    assert XSS in text  # the product name / carrier event are text, not markup
    _assert_no_xss(page)
    page.screenshot(path=str(screenshot_dir / "widget-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshot_dir / "widget-mobile.png"), full_page=True)
    widget.get_by_role("button", name="Put available items in a new cart").click()
    page.wait_for_url(f"{CHECKOUT}**")
    assert Checkout.objects.count() == 1


def test_widget_speaks_the_thank_you_pages_language(page, two_parcel_order):
    page.goto(
        f"/plugins/channel/default-channel/io.github.saleor-aftersales/widget-demo"
        f"?order={two_parcel_order.pk}&email=erika@example.com&lang=de"
    )
    assert page.locator("h1").inner_text() == "Vielen Dank für Ihre Bestellung!"
    box = page.locator("aftersales-status").locator(".box")
    box.wait_for()
    assert f"Bestellung {two_parcel_order.number}" in box.inner_text()
    assert box.get_attribute("lang") == "de"


def test_widget_falls_back_to_plain_link(page, two_parcel_order):
    with page.expect_response(lambda r: "/api/token" in r.url) as token_response:
        page.goto(
            f"/plugins/channel/default-channel/io.github.saleor-aftersales/widget-demo"
            f"?order={two_parcel_order.pk}&email=wrong@example.com"
        )
    assert token_response.value.status == 404
    page.locator("aftersales-status:not([aria-busy])").wait_for(state="attached")
    assert page.locator("aftersales-status .box").count() == 0
    assert page.get_by_role("link", name="Track your order").is_visible()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_rich_page_reads_well_on_phone_and_desktop(browser, live_server, channel, lang,
                                                   screenshot_dir):
    """Split parcels with German and English carrier texts, at 390 and 1280 px."""
    from playwright.sync_api import expect

    from tests.browser.rich_order import rich_order

    order = rich_order(channel, lang)
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(base_url=live_server.url,
                                      viewport={"width": width, "height": height})
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, seen=errors: seen.append(m.text) if m.type == "error"
                else None)
        page.goto(page_url(order))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # the first card breathes under the header
        header = page.locator("header").bounding_box()
        hero = page.locator(".as-hero").bounding_box()
        assert hero["y"] - (header["y"] + header["height"]) >= 12
        # stepper: one row on a wide screen, one column on a phone
        tops = [box["y"] for box in (s.bounding_box() for s in
                page.locator(".as-hero .as-stepper__step").all())]
        xs = [box["x"] for box in (s.bounding_box() for s in
              page.locator(".as-hero .as-stepper__step").all())]
        if width > 640:
            assert len(set(tops)) == 1 and xs == sorted(xs) and len(set(xs)) == 5
        else:
            assert tops == sorted(tops) and len(set(tops)) == 5 and len(set(xs)) == 1
        # the tracking number never breaks in the middle, and can be copied
        number = page.locator(".as-tracking").first
        line = float(number.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
        assert number.bounding_box()["height"] <= line * 1.5
        page.locator(".as-copy").first.click()
        assert page.evaluate("navigator.clipboard.readText()") == "00340434161094042557"
        expect(page.locator("#as-live")).to_have_text(
            "Tracking number copied" if lang == "en" else "Sendungsnummer kopiert")
        # prices stay inside their card
        for price in page.locator(".as-item__price").all():
            box = price.bounding_box()
            card = price.locator("xpath=ancestor::section[1]").bounding_box()
            assert box["x"] + box["width"] <= card["x"] + card["width"]
        page.screenshot(path=str(screenshot_dir / f"status-rich-{lang}-{width}.png"),
                        full_page=True)
        assert errors == []
        context.close()
