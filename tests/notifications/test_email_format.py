"""What a reader sees in every email: localised prices and dates, the shop's time zone, a real
preheader, the configured brand and thumbnails that load in previews."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import lxml.html
import pytest

from saleor_aftersales.config import EMAIL_EVENTS, AftersalesConfig
from saleor_aftersales.core import formatting
from saleor_aftersales.management.commands.aftersales_render_emails import KEY_EMAILS, render_all
from saleor_aftersales.notifications import email
from saleor_aftersales.notifications.samples import preview_shop, sample_context

MONTHS_DE = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"


def render(event: str, language: str, **context):
    return email.render_email(event, {**sample_context(event), **context}, language=language)


def preheader(html: str) -> str:
    """The preheader's words, without the filler that keeps body text out of the preview."""
    root = lxml.html.document_fromstring(html)
    (element,) = root.find_class("preheader")
    return re.sub(r"[\u034f\u200c\xa0\s]+", " ", element.text_content()).strip()


def root_language(html: str) -> str:
    return lxml.html.document_fromstring(html).get("lang")


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_email_has_its_own_preheader_first_in_the_body(language):
    seen = {}
    for event in EMAIL_EVENTS:
        html = render(event, language).html
        text = preheader(html)
        assert 20 < len(text) < 140, (event, text)
        body = lxml.html.document_fromstring(html).body
        first = next(e for e in body.iter() if isinstance(e.tag, str) and e is not body)
        assert "preheader" in (first.get("class") or ""), event  # what the inbox preview shows
        assert root_language(html) == language
        seen[event] = text
    assert len(set(seen.values())) == len(EMAIL_EVENTS)  # one summary per trigger
    if language == "de":
        english = {e: preheader(render(e, "en").html) for e in EMAIL_EVENTS}
        assert all(seen[e] != english[e] for e in EMAIL_EVENTS)  # translated
        assert seen["shipped"] == (
            "Ihr Paket ist unterwegs. Voraussichtliche Zustellung: Freitag, 14. März 2025."
        )
        assert seen["delay"].startswith("Es tut uns leid. Als Entschuldigung erhalten Sie 10 %")


@pytest.mark.parametrize("event", EMAIL_EVENTS)
def test_german_emails_use_german_prices_and_dates(event):
    message = render(event, "de")
    for part in (message.html, message.text):
        assert "EUR" not in part and not re.search(r"\d+\.\d\d\b", part)  # never "19.90 EUR"
        assert not re.search(rf"\b\d{{1,2}} ({MONTHS_DE})", part)  # never "14 März"
    if event in ("order_confirmation", "shipped", "out_for_delivery", "delivered",
                 "review_request"):
        assert "2 × 24,90\xa0€" in message.html
    if event in ("order_confirmation", "shipped"):
        assert "24,90\xa0€" in message.text
    if event in ("shipped", "out_for_delivery", "ready_for_pickup", "delay"):  # parcel facts
        assert "Freitag, 14. März 2025" in message.html
        assert "Freitag, 14. März 2025" in message.text
    if event == "order_confirmation":
        assert "138,80\xa0€" in message.html and "Summe: 138,80\xa0€" in message.text
    if event == "delay":
        assert "gültig bis 13. April 2025" in message.text  # the voucher's date
        # the parcel is late: its date is when it was expected, not an estimate any more
        assert "Ursprünglich erwartet: Freitag, 14. März 2025" in message.text
        assert "Voraussichtliche Zustellung" not in message.text + message.html
    if sample_context(event)["products"]:
        assert "19,90\xa0€" in message.html


def test_english_emails_use_english_prices_and_dates():
    shipped = render("shipped", "en")
    assert "2 × €24.90" in shipped.html and "Friday, March 14, 2025" in shipped.text
    assert "€19.90" in shipped.html and "EUR" not in shipped.html
    assert "Total: €138.80" in render("order_confirmation", "en").text


def test_dates_and_times_are_the_shops_zone():
    """23:30 UTC on 13 April is 14 April in Berlin, still 13 April in New York."""
    voucher = {"code": "SORRY-1", "percent": 10,
               "valid_until": datetime(2025, 4, 13, 23, 30, tzinfo=UTC)}
    shop = {**preview_shop(), "time_zone": ""}
    for zone, expected in (("Europe/Berlin", "14. April 2025"),
                           ("America/New_York", "13. April 2025")):
        config = replace(AftersalesConfig(), time_zone=zone)
        context = {**sample_context("delay"), "shop": shop, "voucher": voucher}
        message = email.render_email("delay", context, language="de", config=config)
        assert f"gültig bis {expected}" in message.text, zone
    digest = render("staff_digest", "de")  # 09:00 UTC, sample shop in Europe/Berlin
    assert "10. März 2025, 10:00 MEZ" in digest.text


def test_previews_have_the_configured_brand_and_thumbnails_that_load(tmp_path):
    config = replace(AftersalesConfig(), shop_name="Kaffeehaus Süd", brand_color="#8a2be2",
                     time_zone="Europe/Vienna")
    files = render_all(tmp_path, events=KEY_EMAILS, config=config)
    assert sorted(p.name for p in files) == sorted(
        f"{e}.{lang}.html" for e in KEY_EMAILS for lang in ("en", "de"))
    for path in files:
        html = path.read_text(encoding="utf-8")
        assert "Kaffeehaus Süd" in html
        root = lxml.html.document_fromstring(html)
        cells = root.find_class("button-cell")
        assert cells and all(c.get("bgcolor") == "#8a2be2" for c in cells)
        images = [img.get("src") for img in root.iter("img")]
        assert images or path.name.startswith("delay")
        assert all(src.startswith(("data:image/", "https://")) for src in images), images


def test_a_hostile_brand_colour_never_reaches_the_email_css():
    from saleor_aftersales.notifications.context import shop_context

    hostile = replace(AftersalesConfig(), brand_color="red;}</style><script>alert(1)</script>")
    shop = shop_context(hostile, lambda url: url)
    assert shop["brand_color"] == "#1f6feb"
    message = email.render_email("shipped", {**sample_context("shipped"), "shop": shop},
                                 language="en")
    assert "red;" not in message.html and "<script" not in message.html
    assert 'bgcolor="#1f6feb"' in message.html


@pytest.mark.django_db
def test_a_real_german_confirmation_shows_euro_prices_and_the_total(channel, make_order, smtp):
    """Through the pipeline: order view → context → template → SMTP, nothing pre-formatted."""
    from saleor_aftersales.hosts import get_host
    from saleor_aftersales.notifications import delivery
    from sandbox import factories

    from .conftest import mail_config, parts

    factories.make_channel("default-channel", **mail_config(smtp.url, time_zone="Europe/Berlin"))
    order = make_order(lines=2, language_code="de")
    config = get_host().get_config("default-channel")
    log = delivery.queue(config, "order_confirmation", order_id=str(order.id))
    assert delivery.deliver(log.pk) == "sent"
    text, html = parts(smtp.inbox.messages[0])
    view = get_host().get_order(str(order.id))
    total = formatting.money(view.total_gross, view.currency, "de")
    assert re.fullmatch(r"[\d.]+,\d\d\xa0€", total)
    assert f"Summe: {total}" in text and total in html
    assert "EUR" not in text and "EUR" not in html
    assert 'lang="de"' in html and preheader(html).startswith("Wir haben Ihre Bestellung")
