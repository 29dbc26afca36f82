"""Two rendered emails in headless Chromium: screenshots, brand colour and layout visible."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from saleor_aftersales.management.commands.aftersales_render_emails import render_all

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def emails(tmp_path_factory) -> Path:
    """Rendered before the browser starts (Playwright's loop makes Django refuse sync I/O)."""
    folder = tmp_path_factory.mktemp("emails")
    render_all(folder)
    return folder


@pytest.mark.parametrize("name", ["shipped.de.html", "delay.en.html"])
def test_email_screenshot(emails, browser, name, screenshot_dir):
    out = Path(os.environ.get("AFTERSALES_SCREENSHOTS", screenshot_dir))
    page = browser.new_page(viewport={"width": 640, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.route("http*://**/*", lambda route: route.abort())  # offline, like a mail client
    page.goto((emails / name).as_uri())
    button = page.locator("a.button").first
    assert button.is_visible()
    # the inlined brand colour reaches the reader
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 122, 117)"
    card = page.locator(".card").first.bounding_box()
    assert card and 300 < card["width"] <= 600  # the 600 px column
    if name.startswith("shipped.de"):
        assert page.locator("h1").inner_text() == "Ihr Paket ist unterwegs"
    else:
        assert page.locator(".voucher").inner_text() == "SORRY-3F9A1C22B0"
    shot = out / f"email-{name.replace('.html', '')}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()
