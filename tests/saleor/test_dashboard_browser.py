"""The widget in Chromium under Saleor 3.23: a stand-in dashboard on another origin frames the
installed app's widget URL (as ``appExtensions`` lists it) and hands it the token Saleor
issued for the extension; the test sets a tracking number and resolves a problem through the
page, and axe-core finds nothing inside the frame."""

from __future__ import annotations

import os
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import graphene
import pytest
from test_dashboard_app import _extensions, installed, shared_server, shipped  # noqa: F401

from saleor_aftersales.models import Parcel, Problem

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
STANDIN = ROOT / "tests" / "dashboard"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_RUN = """async () => (await axe.run(document, {runOnly: {type: 'tag', values:
  ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})).violations
  .map(v => v.id)"""


@pytest.fixture
def chromium():
    """Playwright's sync API, started by the test once its database work is done: inside it,
    Django would see another connection (outside this test's transaction)."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip("Chromium not found")
    return pytest.importorskip("playwright.sync_api").sync_playwright


@pytest.fixture
def standin(settings):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(STANDIN)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    settings.AFTERSALES_DASHBOARD_ORIGINS = origin
    yield origin
    server.shutdown()


def test_widget_in_chromium_with_saleors_token(
    installed,  # noqa: F811
    shipped,  # noqa: F811
    staff_api_client,
    permission_group_manage_orders,
    chromium,
    standin,
):
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    widget = _extensions(staff_api_client)["ORDER_DETAILS_WIDGETS"]
    gid = graphene.Node.to_global_id("Order", shipped.pk)
    src = f"{widget['url']}?orderId={gid}&theme=light"
    parcel = Parcel.objects.get(order_id=shipped.pk)
    query = urlencode({"src": src, "token": widget["accessToken"]})
    with chromium() as playwright:  # no database access in here (see the fixture)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        if AXE.exists():
            context.add_init_script(AXE.read_text())
        page = context.new_page()
        page.goto(f"{standin}/standin_dashboard.html?{query}")
        frame = page.frame_locator("#frame")
        frame.get_by_role("heading", name=f"Aftersales of order {shipped.number}").wait_for()
        violations = page.frames[1].evaluate(AXE_RUN) if AXE.exists() else []
        form = frame.locator(f"form[action$='/parcels/{parcel.pk}/tracking']")
        form.get_by_label("Carrier").select_option("dhl")
        form.get_by_label("Tracking number").fill("00340434161094042557")
        form.get_by_role("button", name="Save tracking").click()
        frame.locator("#as-view").get_by_text("Tracking saved.").wait_for()
        frame.get_by_role("button", name="Resolve Late").click()
        frame.locator("#as-view").get_by_text("Problem resolved.").wait_for()
        browser.close()
    assert violations == []
    assert shipped.fulfillments.get().tracking_number == "00340434161094042557"
    assert Problem.objects.get(order_id=shipped.pk).resolved_at is not None
