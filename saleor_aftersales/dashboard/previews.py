"""Previews shown in a sandboxed frame: an email as sent, the FAQ as the shopper sees it, the
brand as the status page's header shows it (with the values being typed: ``?name``,
``?color``, ``?logo``, checked as the saved ones would be).

An ``<iframe>`` cannot send the dashboard token, so the page that shows a preview signs its
link (ten minutes, the caller's channel already checked), as the insights' CSV links are.
A preview is a document of its own with a strict CSP of its own: no scripts at all
(``sandbox`` without ``allow-scripts``), inline styles only (emails carry them inlined),
images from ``data:`` and https (a shop's logo), no forms, no base.
"""

from __future__ import annotations

import dataclasses

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from ..config import EMAIL_EVENTS, RETURN_EMAIL_EVENTS, AftersalesConfig, safe_color
from ..core.colours import readable_brand, text_color_on
from ..core.templating import render_to_string
from ..engagement import faq
from ..hosts import get_host
from ..models import FaqEntry
from ..notifications.samples import preview_email
from ..status.types import FaqItem
from .render import notice
from .routes import frame_ancestors, route
from .views import STATIC_DIR, root_path

SALT = "saleor_aftersales.dashboard.preview"
SECONDS = 10 * 60
#: A shopper's order state for each FAQ context (what the preview pretends the order is).
STATE_OF_CONTEXT = {
    FaqEntry.Context.ANY: "in_transit",
    FaqEntry.Context.PROCESSING: "preparing",
    FaqEntry.Context.SHIPPED: "in_transit",
    FaqEntry.Context.DELIVERED: "delivered",
    FaqEntry.Context.PROBLEM: "delayed",
    FaqEntry.Context.CANCELLED: "cancelled",
}


def link(request: HttpRequest, kind: str, **scope: str) -> str:
    """A signed URL of the ``kind`` (``faq`` or ``email``) preview of ``scope``."""
    token = signing.dumps(scope, salt=f"{SALT}.{kind}", compress=True)
    return f"{root_path(request)}/preview/{kind}?s={token}"


def _sandboxed(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = "; ".join(
        [
            "default-src 'none'",
            "style-src 'unsafe-inline'",
            "img-src data: https:",
            "form-action 'none'",
            "base-uri 'none'",
            f"frame-ancestors {frame_ancestors()}",
            "sandbox",
        ]
    )
    return response


@route(r"/preview/(?P<kind>faq|email|brand)")
def preview(request: HttpRequest, kind: str) -> HttpResponse:
    """The signed preview document, or 403 when the link is forged or expired."""
    try:
        scope = signing.loads(request.GET.get("s", ""), salt=f"{SALT}.{kind}", max_age=SECONDS)
    except signing.BadSignature:
        return notice(request, 403, lambda: _("This preview has expired. Reload the page."))
    if kind == "brand":
        body = _brand_document(scope, request)
    else:
        body = _faq_document(scope) if kind == "faq" else _email_document(scope)
    return _sandboxed(HttpResponse(body, content_type="text/html; charset=utf-8"))


def faq_items(channel_slug: str, language: str, context: str) -> list[FaqItem]:
    """What the status page shows an order in ``context``: the same choice and sanitising."""
    state = STATE_OF_CONTEXT.get(context, "in_transit")
    return [FaqItem(*row) for row in faq.entries_for(channel_slug, language, state)]


def _faq_document(scope: dict) -> str:
    language = scope.get("l", "en")
    items = faq_items(scope.get("c", ""), language, scope.get("x", ""))
    with translation.override(language):
        return render_to_string(
            "saleor_aftersales/dashboard/preview_faq.html",
            {
                "faq": items,
                "lang": language,
                "page_css": (STATIC_DIR.parent / "status.css").read_text(encoding="utf-8"),
            },
        )


def _email_document(scope: dict) -> str:
    config = get_host().get_config(scope.get("c", ""))
    language = scope.get("l", "en")
    if scope.get("e") not in EMAIL_EVENTS + RETURN_EMAIL_EVENTS:
        return "<!doctype html><title>-</title>"
    message = preview_email(scope["e"], language, config=config)
    if message is None:
        with translation.override(language):
            text = escape(_("This email is switched off in this channel."))
            return f"<!doctype html><title>{text}</title><p>{text}</p>"
    return message.html


def _brand_document(scope: dict, request: HttpRequest) -> str:
    """The status page's header and a button in the channel's brand, with the typed values
    (``name``, ``color``, ``logo``) in place of the saved ones; a colour that is not hex and
    a logo that is not an https URL fall back as on the page (the default colour, the name)."""
    config = get_host().get_config(scope.get("c", "")) or AftersalesConfig()
    typed = {"name": "shop_name", "color": "brand_color", "logo": "logo_url"}
    changes = {field: request.GET[key][:500] for key, field in typed.items() if key in request.GET}
    config = dataclasses.replace(config, **changes)
    logo = (config.logo_url or "").strip()
    config = dataclasses.replace(config, logo_url=logo if logo.startswith("https://") else "")
    color = safe_color(config.brand_color)
    language = scope.get("l", "en")
    with translation.override(language):
        return render_to_string(
            "saleor_aftersales/dashboard/preview_brand.html",
            {
                "config": config,
                "shop_name": config.display_name,
                "brand_color": color,
                "brand_text": text_color_on(color),
                "brand_ink": readable_brand(color),
                "lang": language,
                "page_css": (STATIC_DIR.parent / "status.css").read_text(encoding="utf-8"),
            },
        )
