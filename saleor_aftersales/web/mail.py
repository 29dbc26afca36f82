"""Email endpoints: open pixel, signed click redirect and unsubscribe (RFC 8058 one-click).

- ``GET /mail/open/<token>.gif`` records the first open of a message, answers a 1x1 GIF.
- ``GET /mail/click/<token>`` records a click and redirects, only to allowed hosts.
- ``GET /mail/unsubscribe/<token>`` shows a confirmation page (link scanners change
  nothing); ``POST`` to the same URL unsubscribes, both from that page's button and as the
  one-click ``List-Unsubscribe=One-Click`` POST of mail clients. The page has a strict CSP
  (no scripts, its one style by nonce, forms to itself, never framed) and the brand colour
  only through ``config.safe_color``.
"""

from __future__ import annotations

import base64

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.utils.translation import override

from ..config import AftersalesConfig, safe_color
from ..core.exceptions import InvalidToken
from ..core.templating import render_to_string
from ..engagement import events
from ..models import EngagementEvent, NotificationLog
from ..notifications import consent, links
from ..notifications.context import resolve_language
from . import security
from .routes import route

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NO_STORE = "no-store, no-cache, must-revalidate, max-age=0"


def _record(kind: str, log: NotificationLog | None, config: AftersalesConfig, target: str = ""):
    events.record(
        kind,
        order_id=log.order_id if log else None,
        channel_slug=config.channel_slug,
        target=target,
        notification=log,
        variant=log.variant if log else "",
    )


def _log(notification_id: int | None, config: AftersalesConfig) -> NotificationLog | None:
    if not notification_id:
        return None
    return (
        NotificationLog.objects.select_related("parcel")
        .filter(pk=notification_id, channel_slug=config.channel_slug)
        .first()
    )


@route(r"/mail/open/(?P<token>[^/]+)\.gif", "mail-open")
def open_pixel(request: HttpRequest, config: AftersalesConfig, token: str) -> HttpResponse:
    """Record the first open of the message; always answer the GIF."""
    try:
        log = _log(links.read_pixel(token, config), config)
    except InvalidToken:
        log = None
    if log is not None and not log.engagement.filter(kind=EngagementEvent.Kind.OPEN).exists():
        _record(EngagementEvent.Kind.OPEN, log, config)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = NO_STORE
    return response


@route(r"/mail/click/(?P<token>[^/]+)", "mail-click")
def click(request: HttpRequest, config: AftersalesConfig, token: str) -> HttpResponse:
    """Redirect to the signed target if its host is allowed; record the click."""
    try:
        notification_id, target = links.read_click(token, config)
    except InvalidToken as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    log = _log(notification_id, config)
    parcel_url = log.parcel.tracking_url if log is not None and log.parcel else ""
    if not links.is_allowed(target, config, extra=(parcel_url,) if parcel_url else ()):
        return HttpResponseBadRequest("this link leads to a site we do not send you to",
                                      content_type="text/plain")
    _record(EngagementEvent.Kind.CLICK, log, config, target)
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = NO_STORE
    response["Referrer-Policy"] = "no-referrer"
    return response


@route(r"/mail/unsubscribe/(?P<token>[^/]+)", "mail-unsubscribe")
def unsubscribe(request: HttpRequest, config: AftersalesConfig, token: str) -> HttpResponse:
    """GET: confirmation page; POST (button or RFC 8058 one-click): unsubscribe."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        payload = links.read_unsubscribe(token, config)
    except InvalidToken as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    email = str(payload["e"])
    done = request.method == "POST"
    if done and consent.unsubscribe(config.channel_slug, email):
        _record(EngagementEvent.Kind.UNSUBSCRIBE, _log(payload.get("n"), config), config)
    language = resolve_language(payload.get("l"))
    nonce = security.new_nonce()
    color = safe_color(config.brand_color)
    with override(language):
        html = render_to_string(
            "saleor_aftersales/mail/unsubscribe.html",
            {"email": email, "done": done, "language": language, "nonce": nonce,
             "shop_name": config.display_name, "brand_color": color,
             "brand_text": _text_on(color)},
        )
    response = security.page_headers(HttpResponse(html), config, nonce)
    response["Content-Security-Policy"] = strict_csp(nonce)
    response["X-Frame-Options"] = "DENY"
    response["Cache-Control"] = NO_STORE
    response["X-Robots-Tag"] = "noindex"
    return response


def strict_csp(nonce: str) -> str:
    """The unsubscribe page's CSP: nothing but its own nonced style; posts to itself; unframed."""
    return "; ".join([
        "default-src 'none'",
        f"style-src 'nonce-{nonce}'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ])


def _text_on(color: str) -> str:
    from ..core.colours import text_color_on

    return text_color_on(color)
