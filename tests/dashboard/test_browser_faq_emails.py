"""The FAQ and Emails tabs in headless Chromium, framed by the stand-in dashboard that
performs the AppBridge handshake (fixtures of ``test_browser.py``): reorder and edit with the
keyboard and see the shopper's status page follow; preview an email; send a test to a
loopback SMTP server; axe-clean in English and German at 390 and 1280 px.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from saleor_aftersales.models import FaqEntry
from sandbox import factories
from tests.notifications.conftest import SmtpServer, mail_config
from tests.web.conftest import page_url

from . import test_browser
from .test_browser import _axe, _fits, _shot

dashboard = test_browser.dashboard  # the stand-in dashboard's fixtures
standin = test_browser.standin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _entries() -> tuple[FaqEntry, FaqEntry]:
    first = FaqEntry.objects.create(
        channel_slug="default-channel",
        question="Where is my parcel?",
        position=0,
        answer="<p>Follow it on this page.</p>",
    )
    second = FaqEntry.objects.create(
        channel_slug="default-channel",
        question="Can I return it?",
        position=1,
        answer="Yes, within <strong>30 days</strong>.",
    )
    return first, second


def _questions(page) -> list[str]:
    return [s.strip() for s in page.locator("#faq summary").all_text_contents()]


def test_faq_reordered_and_edited_by_keyboard_reaches_the_status_page(
    dashboard,
    order_with_problem,
    token,
    live_server,
):
    first, second = _entries()
    page, frame, raw = dashboard("/problems", token())
    frame.get_by_role("link", name="FAQ").click()
    frame.get_by_role("heading", name="Aftersales: questions and answers").wait_for()
    preview = frame.frame_locator("iframe.as-dash__preview")
    preview.locator("#faq summary").first.wait_for()
    assert preview.locator("#faq summary").all_text_contents() == [
        "Where is my parcel?",
        "Can I return it?",
    ]

    move = frame.get_by_role("button", name=re.compile(r"^Move down\W+Where is my parcel"))
    move.focus()
    page.keyboard.press("Enter")
    frame.locator("#as-view").get_by_text("Moved down.").wait_for()
    # at the bottom its "move down" is off: focus stays on the moved question
    assert raw.evaluate("document.activeElement.id") == f"as-faq-{first.pk}"
    assert list(FaqEntry.objects.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    preview.locator("#faq summary").first.wait_for()
    assert preview.locator("#faq summary").first.text_content() == "Can I return it?"

    frame.locator("summary", has_text="Can I return it?").click()
    form = frame.locator(f"form[action$='/api/faq/{second.pk}/edit']")
    form.get_by_label("Question").fill("Can I send it back?")
    form.get_by_role("button", name="Save").click()
    frame.locator("#as-view").get_by_text("Question saved.").wait_for()
    assert _axe(raw) == []

    shopper = page.context.new_page()
    shopper.goto(live_server.url + page_url(order_with_problem))
    assert _questions(shopper) == ["Can I send it back?", "Where is my parcel?"]
    assert shopper.locator("#faq strong").first.text_content() == "30 days"


def test_faq_add_refuses_an_empty_answer_beside_the_field(dashboard, channel, token):
    _page, frame, raw = dashboard("/problems", token())
    frame.get_by_role("link", name="FAQ").click()
    new = frame.locator("form[action$='/api/faq/new']")
    new.get_by_label("Question").fill("Gift wrapping?")
    new.get_by_label("Answer").evaluate("el => el.removeAttribute('required')")
    new.get_by_role("button", name="Add question").click()
    frame.locator("#as-view").get_by_text("Enter the answer.").wait_for()
    assert raw.evaluate("document.activeElement.id") == "as-faq-new-answer"
    assert new.get_by_label("Question").input_value() == "Gift wrapping?"
    new.get_by_label("Answer").fill("Yes, for 3 euros.")
    new.get_by_role("button", name="Add question").click()
    frame.locator("#as-view").get_by_text("Question added.").wait_for()
    assert FaqEntry.objects.get().question == "Gift wrapping?"


def test_preview_an_email_and_send_a_test_to_the_staff_member(dashboard, channel, token):
    smtp = SmtpServer().start()
    try:
        factories.make_channel("default-channel", **mail_config(smtp.url), shop_name="Fjord & Fell")
        _page, frame, raw = dashboard("/problems", token())
        frame.get_by_role("link", name="Emails").click()
        frame.get_by_label("Which email").select_option("delay")
        frame.get_by_label("Language").select_option("de")
        frame.get_by_role("button", name="Show").click()
        frame.get_by_role("heading", name="Delay").wait_for()
        preview = frame.frame_locator("iframe.as-dash__preview")
        preview.get_by_text("SORRY-3F9A1C22B0").first.wait_for()
        assert "Fjord & Fell" in preview.locator("body").text_content()
        subject = frame.locator(".as-dash__facts dd").text_content()
        frame.get_by_role("button", name="Send me a test").click()
        frame.locator("#as-view").get_by_text("Test sent to staff@example.com.").wait_for()
        assert [to for _sender, to in smtp.inbox.envelopes] == [["staff@example.com"]]
        assert smtp.inbox.messages[0]["Subject"].strip() == subject.strip()
        assert _axe(raw) == []
    finally:
        smtp.stop()


def test_faq_and_emails_tabs_in_german_and_on_phones(dashboard, channel, token):
    _entries()
    for lang, faq_tab, emails_tab in (("en", "FAQ", "Emails"), ("de", "FAQ", "E-Mails")):
        for width in (390, 1280):
            page, frame, raw = dashboard("/problems", token(), width=width, locale=lang)
            if lang == "de":
                frame.get_by_role("heading", name="Aftersales: Probleme").wait_for()
            frame.get_by_role("link", name=faq_tab, exact=True).click()
            frame.locator(".as-dash__faq").wait_for()
            shown = frame.frame_locator("iframe.as-dash__preview").locator("#faq")
            shown.wait_for()
            # Chromium paints a nested frame once it has been in view
            frame.locator("iframe.as-dash__preview").scroll_into_view_if_needed()
            _fits(raw, width)
            assert _axe(raw) == []
            _shot(page, f"faq-{lang}-{width}")
            frame.get_by_role("link", name=emails_tab, exact=True).click()
            frame.locator(".as-dash__emails").wait_for()
            email = frame.frame_locator("iframe.as-dash__preview").locator("body")
            email.wait_for()
            frame.locator("iframe.as-dash__preview").scroll_into_view_if_needed()
            _fits(raw, width)
            assert _axe(raw) == []
            _shot(page, f"emails-{lang}-{width}")


def test_settings_tab_checks_a_value_beside_its_field_in_both_languages(dashboard, channel, token):
    admin = token(("MANAGE_ORDERS", "MANAGE_PLUGINS"))
    for lang, tab in (("en", "Settings"), ("de", "Einstellungen")):
        for width in (390, 1280):
            page, frame, raw = dashboard("/problems", admin, width=width, locale=lang)
            if lang == "de":
                frame.get_by_role("heading", name="Aftersales: Probleme").wait_for()
            frame.get_by_role("link", name=tab, exact=True).click()
            frame.locator(".as-dash__settings").wait_for()
            _fits(raw, width)
            assert _axe(raw) == []
            _shot(page, f"settings-{lang}-{width}")
    frame.locator("#as-s-brand_color").fill("red")
    frame.get_by_role("button", name="Einstellungen speichern").click()
    frame.locator("#as-s-brand_color-error").wait_for()
    assert raw.evaluate("document.activeElement.id") == "as-s-brand_color"
    assert _axe(raw) == []


def test_brand_preview_follows_the_typed_name_and_colour_without_a_save(dashboard, channel, token):
    factories.make_channel("default-channel", shop_name="Fjord & Fell", brand_color="#0b6e4f")
    page, frame, raw = dashboard("/problems", token(("MANAGE_ORDERS", "MANAGE_PLUGINS")))
    frame.get_by_role("link", name="Settings", exact=True).click()
    preview = frame.frame_locator("iframe[data-as-brand-preview]")
    preview.get_by_text("Fjord & Fell").wait_for()
    frame.locator("#as-s-shop_name").fill("Nordlicht Läden")
    frame.locator("#as-s-brand_color").fill("#ffcc00")
    preview.get_by_text("Nordlicht Läden").wait_for()
    header = preview.locator(".as-header")
    colour = "getComputedStyle(document.documentElement).getPropertyValue('--as-brand').trim()"
    assert header.evaluate(f"() => {colour}") == "#ffcc00"
    from saleor_aftersales.hosts import get_host

    assert get_host().get_config("default-channel").shop_name == "Fjord & Fell"  # not saved
    assert _axe(raw) == []
    folder = os.environ.get("AFTERSALES_BROWSER_SHOTS")
    if folder:
        src = frame.locator("iframe[data-as-brand-preview]").get_attribute("src")
        alone = page.context.new_page()
        alone.set_viewport_size({"width": 800, "height": 170})
        alone.goto(urljoin(raw.url, src))
        alone.screenshot(path=str(Path(folder) / "settings-brand-preview.png"))
