"""Fragments: server-rendered HTML our script puts into the frame, in the frame's language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from ..core.templating import render_to_string
from ..orchestration.status_view import pick_language

TEMPLATES = "saleor_aftersales/dashboard/"


def language(request: HttpRequest) -> str:
    """``en`` or ``de``: the frame's ``?lang`` (our script) or ``?locale`` (the dashboard)."""
    return pick_language(request.GET.get("lang") or request.GET.get("locale") or "en")


def fragment(request: HttpRequest, name: str, context: dict, status: int = 200) -> HttpResponse:
    """Render ``templates/saleor_aftersales/dashboard/<name>`` for the frame."""
    lang = language(request)
    with translation.override(lang):
        body = render_to_string(TEMPLATES + name, {**context, "lang": lang})
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def notice(request: HttpRequest, status: int, text_of) -> HttpResponse:
    """A one-line fragment (``text_of()`` is evaluated in the frame's language)."""
    with translation.override(language(request)):
        text = str(text_of())
    return fragment(request, "_notice.html", {"text": text, "kind": "error"}, status)


def refused(request: HttpRequest, status: int) -> HttpResponse:
    """401: no valid token; 403: no permission for the order's channel."""
    if status == 401:
        return notice(
            request,
            401,
            lambda: _("Your session with the dashboard has expired. Reload the page to continue."),
        )
    return notice(
        request, 403, lambda: _("You need the permission to manage orders in this channel.")
    )
