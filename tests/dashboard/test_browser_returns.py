"""The Returns tab in headless Chromium, framed by the stand-in dashboard that performs the
AppBridge handshake (fixtures of ``test_browser.py``): a return approved, then received with
an inspection note, is refunded in the shop once; the tab and the order widget's returns
are axe-clean in English and German at 390 and 1280 px."""

from __future__ import annotations

import re

import pytest
from graphql_relay import to_global_id

from saleor_aftersales.returns.models import ReturnRequest
from sandbox import models as shop
from tests.returns.conftest import delivered_order, returns_channel  # noqa: F401

from . import test_browser
from .test_browser import _axe, _fits, _shot
from .test_returns_tab import submit

dashboard = test_browser.dashboard  # the stand-in dashboard's fixtures
standin = test_browser.standin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_approve_then_receive_with_a_note_refunds_once(dashboard, delivered_order, token):  # noqa: F811
    request = submit(delivered_order)
    line = list(delivered_order.lines.all())[1]
    _page, frame, raw = dashboard("/problems", token())
    frame.get_by_role("link", name="Returns", exact=True).click()
    frame.get_by_role("heading", name="Aftersales: returns").wait_for()
    frame.get_by_label("State").select_option("requested")
    frame.get_by_role("button", name="Filter").click()
    frame.locator("#as-view").get_by_text("1 return", exact=True).wait_for()
    assert _axe(raw) == []

    frame.get_by_role("button", name=re.compile(rf"^Approve\W+Return {request.pk}$")).click()
    frame.locator("#as-view").get_by_text("Return approved.").wait_for()
    request.refresh_from_db()
    assert request.state == "approved"
    # the filter kept "requested": the approved return left the list
    assert frame.locator("#as-view").get_by_text("0 returns").is_visible()
    frame.get_by_label("State").select_option("approved")
    frame.get_by_role("button", name="Filter").click()
    note = frame.get_by_label(f"Inspection note: {line.product_name}")
    note.fill("Unworn, tags on")
    frame.get_by_role("button", name=re.compile(rf"^Mark received\W+Return {request.pk}$")).click()
    frame.locator("#as-view").get_by_text("Return marked received.").wait_for()
    assert _axe(raw) == []
    request.refresh_from_db()
    assert request.state == "refunded"
    assert request.lines.get().inspection_note == "Unworn, tags on"
    assert shop.ReturnFulfillment.objects.count() == 1
    assert ReturnRequest.objects.count() == 1


def test_returns_tab_and_widget_in_german_and_on_phones(dashboard, delivered_order, token):  # noqa: F811
    submit(delivered_order)
    gid = to_global_id("Order", str(delivered_order.pk))
    for lang, tab in (("en", "Returns"), ("de", "Rücksendungen")):
        for width in (390, 1280):
            page, frame, raw = dashboard("/problems", token(), width=width, locale=lang)
            if lang == "de":
                frame.get_by_role("heading", name="Aftersales: Probleme").wait_for()
            frame.get_by_role("link", name=tab, exact=True).click()
            frame.locator(".as-dash__returns").wait_for()
            _fits(raw, width)
            assert _axe(raw) == []
            _shot(page, f"returns-{lang}-{width}")
            page, frame, raw = dashboard(
                f"/order-widget?orderId={gid}", token(), width=width, locale=lang
            )
            frame.locator("#as-returns").wait_for()
            _fits(raw, width)
            assert _axe(raw) == []
            _shot(page, f"widget-returns-{lang}-{width}")
