"""The status page served by the ``ChannelRoutes`` middleware in Chromium under Saleor 3.23.

A real Saleor order, fulfilled through ``orderFulfill``; Saleor's WSGI handler on loopback
with our middleware last in ``MIDDLEWARE``. On a phone and a desktop, in English and German,
the page shows the order and its parcel, its script and styles run under the page's CSP (no
console error, no blocked resource), and the postcode form unlocks the address.
``AFTERSALES_SCREENSHOTS=<dir>`` keeps a screenshot of each.
"""

from __future__ import annotations

import os
from pathlib import Path

import loopback
import pytest
from flows import status_path
from test_channel_routes_middleware import TRACKING, shipped  # noqa: F401
from test_dashboard_browser import CHROMIUM, chromium  # noqa: F401

from tests.channel_routes import list_last

HEADINGS = {"en": "Order {number}", "de": "Bestellung {number}"}


@pytest.fixture
def routed_server(settings, db, monkeypatch):
    """Saleor's handler on a loopback port, built after our middleware was listed."""
    list_last(settings)
    with loopback.serve(monkeypatch, loopback.SerialServer) as url:
        yield url


@pytest.mark.parametrize("lang", ["en", "de"])
def test_page_through_channel_routes_in_chromium(
    shipped,  # noqa: F811
    routed_server,
    chromium,  # noqa: F811
    lang,
):
    url = f"{routed_server}{status_path(shipped)}?lang={lang}"
    address = shipped.shipping_address
    keep = os.environ.get("AFTERSALES_SCREENSHOTS")
    with chromium() as playwright:  # no database access in here (see the fixture)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for width, height in ((390, 844), (1280, 900)):
            page = browser.new_page(viewport={"width": width, "height": height})
            problems: list[str] = []
            page.on("console", lambda m, seen=problems: m.type == "error" and seen.append(m.text))
            page.on("requestfailed", lambda r, seen=problems: seen.append(f"failed: {r.url}"))
            response = page.goto(url)
            assert response is not None and response.status == 200
            heading = HEADINGS[lang].format(number=shipped.number)
            page.get_by_role("heading", name=heading, exact=False).first.wait_for()
            assert TRACKING in page.inner_text("body")
            # the stylesheet applied (inline, by nonce): the brand bar is not unstyled
            assert page.evaluate(
                "getComputedStyle(document.body).fontFamily !== 'Times New Roman'"
            )
            assert address.street_address_1 not in page.inner_text("body")
            if width == 1280:  # the postcode form posts through the middleware too
                page.fill("#verify-answer", address.postal_code)
                page.locator("form:has(#verify-answer) button[type=submit]").click()
                page.get_by_text(address.street_address_1).first.wait_for()
            if keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{keep}/channel-routes-{lang}-{width}.png", full_page=True)
            assert problems == []
            page.close()
        browser.close()
