"""Cross-site scripting in every field a shop owner, carrier or shopper controls, checked in
a real browser (headless Chromium): a ``window.__xss`` sentinel set by every payload must stay
undefined, and no payload element may appear in the DOM.

- shop owner: shop name, logo URL, brand colour (stored as is, as if validation were
  bypassed), FAQ question and answer, product names;
- carrier: event text and location;
- shopper: review comment (shown to the verified reader).
Surfaces: the status page (before and after verification), the thank-you widget, the
unsubscribe page.
"""

from __future__ import annotations

import pytest

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import FaqEntry, Parcel, Review, TrackingEvent
from saleor_aftersales.notifications import links
from sandbox import factories
from tests.browser.test_status_page_browser import page  # noqa: F401
from tests.web.conftest import page_url, process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XSS = "<img src=x onerror=window.__xss=1>"
ATTR = '"><img src=x onerror=window.__xss=1>'
STYLE = "red;}</style><script>window.__xss=1</script><style>"
SCRIPT_URL = "javascript:window.__xss=1"


@pytest.fixture
def hostile_order(channel):
    factories.make_channel(
        "default-channel", shop_name=f"Nordwind {XSS}", logo_url=f"https://cdn.example/{ATTR}",
        brand_color=STYLE, help_url=SCRIPT_URL, reviews_enabled=True,
    )
    FaqEntry.objects.create(channel_slug="default-channel", question=f"Where? {XSS}",
                            answer=f'<a href="{SCRIPT_URL}">Help</a> {XSS}<script>'
                                   "window.__xss=1</script>")
    variants = [factories.make_product(f"Sweater {XSS}"), factories.make_product(ATTR)]
    order = factories.make_order(lines=2, parcels=1, channel=channel, variants=variants,
                                 tracking_numbers=["00340434161094042557"])
    process(order)
    parcel = Parcel.objects.get(order_id=order.pk)
    TrackingEvent.objects.create(parcel=parcel, occurred_at=parcel.shipped_at,
                                 status="delivered", description=f"Delivered {XSS}",
                                 location=f"Köln {ATTR}", source="dhl", source_id="xss-1")
    Parcel.objects.filter(pk=parcel.pk).update(status="delivered",
                                               delivered_at=parcel.shipped_at)
    Review.objects.create(order_id=order.pk, channel_slug="default-channel", rating=5,
                          comment=f"Great {XSS} {ATTR}")
    from django.core.cache import cache

    cache.clear()  # bulk updates above bypass the view cache's signals
    return order


def _clean(tab) -> None:
    assert tab.evaluate("typeof window.__xss") == "undefined"
    assert tab.locator("img[src='x']").count() == 0
    assert tab.locator("a[href^='javascript:']").count() == 0


def test_status_page_before_and_after_verification(page, hostile_order,  # noqa: F811
                                                     screenshot_dir):
    page.goto(page_url(hostile_order))
    _clean(page)
    text = page.locator("body").text_content()  # collapsed event lists included
    assert f"Nordwind {XSS}" in text and f"Sweater {XSS}" in text
    assert f"Delivered {XSS}" not in text  # carrier text only once verified (privacy.py)
    page.get_by_label("Delivery postcode or email address").fill("51147")
    page.get_by_role("button", name="Show my details").click()
    page.locator(".as-name").wait_for()
    _clean(page)
    text = page.locator("body").text_content()
    assert f"Great {XSS}" in text and f"Delivered {XSS}" in text and f"Köln {ATTR}" in text
    page.screenshot(path=str(screenshot_dir / "xss-status-page.png"), full_page=True)


def test_widget(page, hostile_order):  # noqa: F811
    page.goto("/plugins/channel/default-channel/io.github.saleor-aftersales/widget-demo"
              f"?order={hostile_order.pk}&email=erika@example.com")
    box = page.locator("aftersales-status").locator(".box")
    box.wait_for()
    assert f"Sweater {XSS}" in box.inner_text()
    _clean(page)


def test_unsubscribe_page(page, hostile_order):  # noqa: F811
    url = links.unsubscribe_url(get_host().get_config("default-channel"), "erika@example.com")
    page.goto(url[url.index("/plugins/channel/"):])
    assert XSS in page.locator("body").inner_text()
    _clean(page)
