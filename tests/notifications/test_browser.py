"""The three key emails in headless Chromium at phone and desktop width: the configured brand,
thumbnails that load offline, nothing wider than the screen, screenshots for review."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from saleor_aftersales.config import AftersalesConfig
from saleor_aftersales.management.commands.aftersales_render_emails import KEY_EMAILS, render_all

pytestmark = pytest.mark.browser

BRAND = "#0b7a75"


@pytest.fixture(scope="module")
def emails(tmp_path_factory) -> Path:
    """Rendered before the browser starts (Playwright's loop makes Django refuse sync I/O)."""
    folder = tmp_path_factory.mktemp("emails")
    config = replace(AftersalesConfig(), shop_name="Nordwind Outfitters", brand_color=BRAND,
                     time_zone="Europe/Berlin")
    render_all(folder, events=KEY_EMAILS, config=config)
    return folder


@pytest.mark.parametrize("width", [390, 640])
@pytest.mark.parametrize("name", [f"{e}.{lang}" for e in KEY_EMAILS for lang in ("en", "de")])
def test_email_in_a_browser(emails, browser, name, width, screenshot_dir):
    out = Path(os.environ.get("AFTERSALES_SCREENSHOTS", screenshot_dir))
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.route("http*://**/*", lambda route: route.abort())  # offline, like a mail client
    page.goto((emails / f"{name}.html").as_uri())
    cell = page.locator("td.button-cell").first
    assert cell.is_visible() and page.locator("td.button-cell a").first.is_visible()
    # the configured brand colour reaches the reader
    assert cell.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 122, 117)"
    card = page.locator("td.card").first.bounding_box()
    assert card and card["width"] <= min(600, width)  # the 600 px column, narrower on phones
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    broken = page.evaluate(
        "[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).length"
    )
    assert broken == 0
    if name == "shipped.de":
        assert page.locator("h1").inner_text() == "Ihr Paket ist unterwegs"
        assert "Freitag, 14. März 2025" in page.locator("td.facts-cell").inner_text()
    if name.startswith("delay"):
        assert page.locator("td.voucher-cell").inner_text() == "SORRY-3F9A1C22B0"
    if name.startswith("order_confirmation"):
        assert page.locator("img.thumb").count() == 4  # two lines, two suggestions
    shot = out / f"email-{name}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()


def test_no_email_is_wider_than_a_phone(tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("all-emails")
    files = render_all(folder)
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.route("http*://**/*", lambda route: route.abort())
    wide = {}
    for path in files:
        page.goto(path.as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path.name] = width
    page.close()
    assert wide == {}
