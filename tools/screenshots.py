"""`make screenshots`: the status page (en, de; phone 390 px, desktop 1280 px), three emails and
two dashboard pages from a running demo, as PNG files in ``docs/`` (shown in the README).

The page is the demo's split-shipment order, unlocked with the answer the index shows (the
view a shopper has after entering their postcode). The emails come from the demo's outbox,
as the pipeline sent them. Run: ``python -m tools.screenshots [--out docs]``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urljoin

from tools.demo_server import ROOT, index_links, running_demo, showcase, unlock, with_lang

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTHS = {"phone": 390, "desktop": 1280}
#: (file name, outbox trigger): the first message, the journey's middle, its end
EMAILS = [("email-order-confirmation", "order_confirmation"),
          ("email-out-for-delivery", "out_for_delivery"),
          ("email-review-request", "review_request")]
EMAIL_WIDTH = 640

OUTBOX_JS = """() => Array.from(document.querySelectorAll('tbody tr')).map(tr => ({
  trigger: (tr.querySelector('code') || {}).textContent || '',
  href: (tr.querySelector('a[href$=".html"]') || {}).href || ''}))"""


def page_shots(browser, links, out: Path) -> list[Path]:
    link = showcase(links)
    written = []
    for device, width in WIDTHS.items():
        phone = width < 600
        context = browser.new_context(
            viewport={"width": width, "height": 844 if phone else 900},
            is_mobile=phone, has_touch=phone, device_scale_factor=1,
        )
        page = context.new_page()
        page.goto(link.url)
        if not unlock(page, link.unlock):
            raise SystemExit(f"could not unlock {link.label} with {link.unlock!r}")
        for lang in ("en", "de"):
            page.goto(with_lang(link.url, lang))
            page.wait_for_load_state("networkidle")
            path = out / f"status-{lang}-{device}.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
        context.close()
    return written


def email_shots(browser, index_url: str, out: Path) -> list[Path]:
    context = browser.new_context(viewport={"width": EMAIL_WIDTH, "height": 900})
    page = context.new_page()
    page.goto(urljoin(index_url, "/outbox/"))
    rows = page.evaluate(OUTBOX_JS)
    written = []
    for name, trigger in EMAILS:
        href = next((r["href"] for r in rows if r["trigger"].strip() == trigger and r["href"]), "")
        if not href:
            raise SystemExit(f"the demo outbox has no {trigger} email")
        page.goto(href)
        page.wait_for_load_state("networkidle")
        path = out / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        written.append(path)
    context.close()
    return written


def dashboard_shots(browser, index_url: str, out: Path) -> list[Path]:
    """The order widget (split shipment) and the Aftersales page's Insights tab, framed by the
    demo's stand-in dashboard after its handshake, at the dashboard's desktop width.

    Headless Chromium paints a frame only inside the viewport, so the frame is scrolled a
    screen at a time and the pieces are stacked into one picture (Pillow)."""
    from io import BytesIO

    from PIL import Image

    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    page.goto(index_url)
    widget = page.locator('a[href*="dashboard-standin/?page=widget"]').first.get_attribute("href")
    written = []
    for name, url, tab in (
        ("dashboard-order-widget", urljoin(index_url, widget), None),
        ("dashboard-insights", urljoin(index_url, "/dashboard-standin/?page=page"), "Insights"),
    ):
        page.goto(url)
        if tab:
            page.frame_locator("#frame").get_by_role("link", name=tab).click()
        page.wait_for_timeout(1500)  # the frame's content loads after the handshake
        frame = page.locator("#frame")
        inner = page.frames[1]
        view = int(frame.bounding_box()["height"])
        total = int(inner.evaluate("document.documentElement.scrollHeight"))
        picture = Image.new("RGB", (1280, total), "white")
        for top in range(0, total, view):
            inner.evaluate(f"window.scrollTo(0, {top})")
            page.wait_for_timeout(150)
            shown = int(inner.evaluate("window.scrollY"))
            piece = Image.open(BytesIO(frame.screenshot()))
            picture.paste(piece, (0, shown))
        path = out / f"{name}.png"
        picture.save(path)
        written.append(path)
    context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with running_demo() as index_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()
        links = index_links(page, index_url)
        page.close()
        written = (
            page_shots(browser, links, out)
            + email_shots(browser, index_url, out)
            + dashboard_shots(browser, index_url, out)
        )
        browser.close()
    for path in written:
        print(os.path.relpath(path, Path.cwd()))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
