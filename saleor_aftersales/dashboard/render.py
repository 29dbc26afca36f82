"""Fragments: server-rendered HTML our script puts into the frame, in the frame's language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from ..core import formatting
from ..core.templating import render_to_string
from ..hosts import get_host
from ..orchestration.status_view import pick_language

TEMPLATES = "saleor_aftersales/dashboard/"


def language(request: HttpRequest) -> str:
    """``en`` or ``de``: the frame's ``?lang`` (our script) or ``?locale`` (the dashboard)."""
    return pick_language(request.GET.get("lang") or request.GET.get("locale") or "en")


def fragment(
    request: HttpRequest, name: str, context: dict, status: int = 200, *, zone: str | None = None
) -> HttpResponse:
    """Render ``templates/saleor_aftersales/dashboard/<name>`` for the frame; dates and times
    in ``zone`` (a channel's ``time_zone``) when given, else in the server's."""
    lang = language(request)
    with formatting.rendering(lang, zone) if zone else translation.override(lang):
        body = render_to_string(TEMPLATES + name, {**context, "lang": lang})
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def shared_zone(channel_slugs: list[str]) -> str | None:
    """The time zone the listed channels all keep (their ``time_zone``), else ``None``: a
    list of one shop's rows reads in the shop's time, a list across zones in the server's."""
    zones = set()
    for slug in dict.fromkeys(channel_slugs):
        config = get_host().get_config(slug)
        zones.add(config.time_zone if config else "")
    zone = zones.pop() if len(zones) == 1 else ""
    return zone or None


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
