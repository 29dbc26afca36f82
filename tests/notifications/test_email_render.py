"""Rendering: the inlined-template cache equals premailer after rendering, for every email."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import lxml.html
import pytest
from django.template import Context
from django.utils.translation import override

from saleor_aftersales.config import EMAIL_EVENTS, parse_config, validate_config
from saleor_aftersales.notifications import email
from saleor_aftersales.notifications.samples import sample_context


def canonical(html: str) -> bytes:
    """The document serialised one way: entity spelling and the whitespace-only text that
    libxml2 puts between block elements when it re-serialises do not count."""
    root = lxml.html.document_fromstring(html)
    for element in root.iter():
        if element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    return lxml.html.tostring(root, encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("event", EMAIL_EVENTS)
def test_cached_inlined_template_equals_inlining_after_rendering(event, language):
    source = email.html_source(None, event)
    context = sample_context(event)
    with override(language):
        cached = email.inlined_template(source).render(Context(context))
        reference = email.inline_after_render(source, context)
    assert canonical(cached) == canonical(reference)
    assert 'style="' in cached and cached.startswith("<!DOCTYPE html>")  # inlined, whole


def test_each_template_is_inlined_once_per_version(db):
    source = email.html_source(None, "shipped")
    before = email.stats["inlined"]
    email.clear_cache()
    from django.core.cache import cache

    cache.delete(email.CACHE_PREFIX + email.source_hash(source))
    for n in range(5):
        email.inlined_template(source).render(Context(sample_context("shipped", n)))
    assert email.stats["inlined"] == before + 1
    edited = source.replace("<h1", "<h1 data-edited")  # a new template version
    email.inlined_template(edited)
    assert email.stats["inlined"] == before + 2


def test_german_and_english_text(db):
    en = email.render_email("delay", sample_context("delay"), language="en")
    de = email.render_email("delay", sample_context("delay"), language="de")
    assert en.subject == "Your order 1001 is delayed. We are sorry."
    assert de.subject == "Ihre Bestellung 1001 verzögert sich. Das tut uns leid."
    assert "SORRY-3F9A1C22B0" in de.html and "SORRY-3F9A1C22B0" in de.text
    assert "10 % Rabatt" in de.text and "Freitag, 14. März 2025" in de.text
    assert "Erika &amp; Co &lt;Test&gt;" not in en.text  # text part is not HTML-escaped


class _CssHandler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        _CssHandler.hits.append(self.path)
        body = b".remote { color: #ff0000; }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_remote_stylesheets_are_never_fetched(db):
    server = HTTPServer(("127.0.0.1", 0), _CssHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/brand.css"
        config = parse_config({"shipped_template": (
            f'<html><head><link rel="stylesheet" href="{url}">'
            "<style>.local { color: #00ff00; }</style></head>"
            '<body><p class="remote local">{{ order.number }}</p></body></html>'
        )})
        message = email.render_email("shipped", sample_context("shipped"), language="en",
                                     config=config)
    finally:
        server.shutdown()
    assert _CssHandler.hits == []
    assert "color:#00ff00" in message.html and "#ff0000" not in message.html
    assert "1001" in message.html


def test_owner_subject_and_template_settings():
    config = parse_config({
        "email_subjects": "shipped = {{ shop.name }}: order {{ order.number }} has left us",
        "delivered_template": "",
    })
    message = email.render_email("shipped", sample_context("shipped"), language="en",
                                 config=config)
    assert message.subject == "Nordwind Outfitters: order 1001 has left us"
    assert email.render_email("delivered", sample_context("delivered"), language="en",
                              config=config) is None
    errors = validate_config({
        "email_subjects": "shiped = Hi",
        "delay_template": "<p>{% if %}</p>",
        "review_request_template": '{% extends "base.html" %}',
    })
    assert "unknown trigger 'shiped'" in errors["email_subjects"]
    assert "does not compile" in errors["delay_template"]
    assert "{% include %}" in errors["review_request_template"]
