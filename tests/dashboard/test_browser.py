"""The dashboard pages in headless Chromium, framed by a stand-in Saleor dashboard on another
origin that performs the AppBridge handshake (``standin_dashboard.html``), as the real
dashboard does. The tests click through the actions, check the database, and run axe-core
inside the frame. Screenshots go to ``$AFTERSALES_BROWSER_SHOTS`` when it is set.
"""

from __future__ import annotations

import os
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest
from graphql_relay import to_global_id

from saleor_aftersales.models import Parcel, Problem
from tests.browser import audit

from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def standin():
    """The stand-in dashboard's origin (a static server on its own port)."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(HERE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def dashboard(browser, live_server, standin, settings):
    """``open(path, token, width=1280, locale="")`` → (page, frame) once the frame loaded."""
    settings.AFTERSALES_DASHBOARD_ORIGINS = standin
    contexts = []

    def open_(path: str, token: str, width: int = 1280, locale: str = "", wait: str = "h1"):
        context = browser.new_context(viewport={"width": width, "height": 900})
        if audit.AXE.exists():
            context.add_init_script(audit.axe_source())
        contexts.append(context)
        page = context.new_page()
        src = f"{live_server.url}{ROOT}{path}"
        query = urlencode({"src": src, "token": token, "locale": locale})
        page.goto(f"{standin}/standin_dashboard.html?{query}")
        frame = page.frame_locator("#frame")
        frame.locator(wait).first.wait_for()
        return page, frame, page.frames[1]

    yield open_
    for context in contexts:
        context.close()


def _axe(frame) -> list:
    if not audit.AXE.exists():
        pytest.skip("axe-core missing: run `make browser`")
    return frame.evaluate(audit.AXE_RUN, audit.AXE_TAGS)


WIDER = """(width) => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > width + 0.5)
  .filter(el => !(el.parentElement && el.parentElement.closest('.as-dash__scroll')))
  .map(el => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.trim().slice(0, 30)}`)
  .slice(0, 5)"""


def _fits(frame, width: int) -> None:
    """Nothing in the frame reaches past ``width`` (no sideways scrolling on a phone)."""
    assert frame.evaluate(WIDER, width) == []


def _shot(page, name: str) -> None:
    folder = os.environ.get("AFTERSALES_BROWSER_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        height = page.frames[1].evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": page.viewport_size["width"], "height": height + 40})
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_widget_actions_through_the_handshake(dashboard, order_with_problem, token):
    gid = to_global_id("Order", str(order_with_problem.pk))
    page, frame, raw = dashboard(f"/order-widget?orderId={gid}&theme=light", token())
    frame.get_by_role("heading", name=f"Aftersales of order {order_with_problem.number}").wait_for()
    assert _axe(raw) == []
    kinds = [m["type"] for m in page.evaluate("window.received")]
    assert "notifyReady" in kinds

    parcel = Parcel.objects.filter(order_id=order_with_problem.pk).order_by("pk").last()
    form = frame.locator(f"form[action$='/parcels/{parcel.pk}/tracking']")
    form.get_by_label("Carrier").select_option("ups")
    form.get_by_label("Tracking number").fill("1Z999AA10123456784")
    form.get_by_role("button", name="Save tracking").click()
    frame.locator("#as-view").get_by_text("Tracking saved.").wait_for()
    parcel.refresh_from_db()
    assert (parcel.carrier, parcel.tracking_number) == ("ups", "1Z999AA10123456784")
    kinds = [m["type"] for m in page.evaluate("window.received")]
    assert "widgetResize" in kinds and "refreshEntity" in kinds  # the order page refreshes

    frame.get_by_role("button", name="Resolve Late").click()
    frame.locator("#as-view").get_by_text("Problem resolved.").wait_for()
    assert Problem.objects.get(order_id=order_with_problem.pk).resolved_at is not None
    notes = [m for m in page.evaluate("window.received") if m["type"] == "notification"]
    assert [n["payload"]["title"] for n in notes][-1] == "Problem resolved."

    frame.get_by_role("button", name="Copy link").click()
    assert frame.locator("#as-live").text_content() == "Link copied."
    assert _axe(raw) == []


def test_widget_and_page_in_german_and_on_phones(dashboard, order_with_problem, token):
    gid = to_global_id("Order", str(order_with_problem.pk))
    for lang in ("en", "de"):
        for width in (390, 1280):
            page, frame, raw = dashboard(
                f"/order-widget?orderId={gid}", token(), width=width, locale=lang
            )
            if lang == "de":
                frame.get_by_role("heading", name="Offene Probleme").wait_for()
            _fits(raw, width)
            assert _axe(raw) == []
            _shot(page, f"widget-{lang}-{width}")
            page, frame, raw = dashboard("/problems", token(), width=width, locale=lang)
            if lang == "de":
                frame.get_by_role("heading", name="Aftersales: Probleme").wait_for()
            _fits(raw, width)
            assert _axe(raw) == []
            _shot(page, f"page-{lang}-{width}")


def test_problem_queue_resolves_in_bulk(dashboard, order_with_problem, token):
    page, frame, _raw = dashboard("/problems", token())
    frame.get_by_text("1 open problem").wait_for()
    frame.get_by_role("link", name=f"#{order_with_problem.number}").click()
    redirects = [m for m in page.evaluate("window.received") if m["type"] == "redirect"]
    gid = to_global_id("Order", str(order_with_problem.pk))
    assert redirects[-1]["payload"]["to"] == f"/orders/{gid}"  # the dashboard opens the order
    frame.get_by_label("Kind").select_option("exception")
    frame.get_by_role("button", name="Filter").click()
    frame.get_by_text("0 open problems").wait_for()
    frame.get_by_label("Kind").select_option("")
    frame.get_by_role("button", name="Filter").click()
    frame.get_by_text("1 open problem").wait_for()
    frame.get_by_label("Select all").check()
    frame.get_by_role("button", name="Resolve selected").click()
    frame.locator("#as-view").get_by_text("1 problem resolved.").wait_for()
    assert Problem.objects.get(order_id=order_with_problem.pk).resolved_at is not None
    assert frame.get_by_role("link", name=f"#{order_with_problem.number}").count() == 0


def test_a_stale_token_shows_how_to_recover_and_no_data(dashboard, order_with_problem):
    gid = to_global_id("Order", str(order_with_problem.pk))
    _page, frame, _raw = dashboard(
        f"/order-widget?orderId={gid}", "expired-token", wait="[role=alert]"
    )
    text = frame.locator("main").text_content()
    assert "session with the dashboard has expired" in text
    assert str(order_with_problem.number) not in text


def test_insights_and_health_tabs(dashboard, order_with_problem, token):
    from .test_insights import _deliver

    _deliver(order_with_problem, days=3, promised_in=5)
    for lang, insights, health in (("en", "Insights", "Health"), ("de", "Auswertungen", "Zustand")):
        for width in (390, 1280):
            page, frame, raw = dashboard("/problems", token(), width=width, locale=lang)
            if lang == "de":
                frame.get_by_role("heading", name="Aftersales: Probleme").wait_for()
            frame.get_by_role("link", name=insights).click()
            frame.locator("svg[role=img]").first.wait_for()
            assert frame.locator("svg[role=img]").count() == 10
            _fits(raw, width)
            assert _axe(raw) == []
            _shot(page, f"insights-{lang}-{width}")
            frame.get_by_role("link", name=health).click()
            frame.locator(".as-dash__health").wait_for()
            assert _axe(raw) == []
            if width == 1280:
                _shot(page, f"health-{lang}-{width}")


@pytest.mark.parametrize(("width", "locale"), [(390, "de"), (1280, "en")])
def test_the_more_actions_popup_shows_the_order_and_acts(
    dashboard, order_with_problem, token, width, locale
):
    """The order page's "more actions" popup (ORDER_DETAILS_MORE_ACTIONS): the same order, its
    problem resolved from there, in the dashboard's language, axe-clean and no sideways scroll."""
    gid = to_global_id("Order", str(order_with_problem.pk))
    _page, frame, raw = dashboard(f"/order-popup?orderId={gid}", token(), width, locale)
    heading = {"de": "Aftersales der Bestellung", "en": "Aftersales of order"}[locale]
    frame.get_by_role("heading", name=f"{heading} {order_with_problem.number}").wait_for()
    assert _axe(raw) == []
    _fits(raw, width)
    resolve = {"de": "Erledigt Verspätet", "en": "Resolve Late"}[locale]
    frame.get_by_role("button", name=resolve).click()
    frame.get_by_role("button", name=resolve).wait_for(state="detached")
    assert Problem.objects.get(order_id=order_with_problem.pk).resolved_at is not None
