"""HTTP views of the plugin route: the shopper's status page, its forms, assets and health.

Pages are reached only through a signed status token (``core.links.status_url``). Forms post to
sub-paths of the page and answer with a redirect (post/redirect/get); messages are fixed codes
in the query string, never reflected text. The widget's JSON API lives in ``web/api.py``.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote, urlencode

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.utils import translation
from django.utils.translation import gettext as _

from .. import __version__
from ..config import AftersalesConfig
from ..core import formatting
from ..core.exceptions import AftersalesError, InvalidToken
from ..core.links import read_token
from ..engagement import buy_again, events, reviews
from ..hosts import get_host
from ..hosts.base import OrderView
from ..orchestration.status_view import build_status_view, pick_language
from ..status import access
from ..status import cache as status_cache
from . import conditional, memo, security
from .render import page_html, plugin_root, render, respond
from .routes import route

LINK_RE = r"(?P<token>[A-Za-z0-9_\-:.]{10,2048})"
#: Buy-again checkouts per status link and hour (each creates a checkout in the shop).
BUY_AGAIN_LIMIT, BUY_AGAIN_WINDOW = 10, 3600


class SeeOther(HttpResponseRedirect):
    """303 See Other: after a form POST, the browser follows with GET."""

    status_code = 303
    allowed_schemes = ["http", "https"]


@route(r"/health", "health")
def health(request: HttpRequest, config: AftersalesConfig) -> JsonResponse:
    """Liveness probe of the plugin route for a channel."""
    return JsonResponse({"ok": True, "version": __version__, "channel": config.channel_slug})


# --------------------------------------------------------------------------- helpers


def page_path(request: HttpRequest, token: str) -> str:
    return f"{plugin_root(request)}/status/{token}"


def order_id_from(token: str, config: AftersalesConfig) -> tuple[str | None, str]:
    """``(order id, "")`` for a valid token, else ``(None, "expired" | "invalid")``."""
    try:
        payload = read_token(
            token, max_age_days=config.link_validity_days, channel_slug=config.channel_slug
        )
    except InvalidToken as exc:
        return None, "expired" if exc.expired else "invalid"
    return payload["o"], ""


def asked_language(request: HttpRequest) -> str | None:
    """The language the reader chose with ``?lang=`` ("en"/"de"), else ``None``."""
    requested = request.GET.get("lang", "")
    return requested if requested in ("en", "de") else None


def _lang(request: HttpRequest, fallback: str) -> str:
    return pick_language(asked_language(request) or fallback)


def invalid_link(
    request: HttpRequest, config: AftersalesConfig, reason: str = "invalid"
) -> HttpResponse:
    """The page for a tampered, expired or unknown link: nothing of the order."""
    status = 410 if reason == "expired" else 403
    language = _lang(request, translation.get_language() or "en")
    return render(
        request, config, "invalid.html", {"reason": reason}, status=status, language=language
    )


#: Where a message is shown: next to the form it is about (the page opens there), else on top.
MESSAGE_PLACES = {
    "unlocked": "personal",
    "verify_failed": "personal",
    "verify_limited": "personal",
    "review_thanks": "review",
    "review_invalid": "review",
    "nothing_available": "buy-again",
    "buy_limited": "buy-again",
}


def _redirect_to_page(request: HttpRequest, token: str, message: str = "", lang: str = ""):
    query = {k: v for k, v in (("lang", lang), ("m", message)) if v}
    qs = ("?" + urlencode(query)) if query else ""
    place = MESSAGE_PLACES.get(message)
    return SeeOther(f"{page_path(request, token)}{qs}{'#' + place if place else ''}")


MESSAGES = {
    "unlocked": (
        "success",
        lambda: _("Thank you. Your details are shown for the next 30 minutes."),
    ),
    "verify_failed": ("error", lambda: _("That did not match. Please check and try again.")),
    "verify_limited": ("error", lambda: _("Too many attempts. Please try again later.")),
    "nothing_available": ("error", lambda: _("Sorry, none of these items are available now.")),
    "review_thanks": ("success", lambda: _("Thank you for your review!")),
    "review_invalid": ("error", lambda: _("Please choose between 1 and 5 stars.")),
    "form_expired": ("error", lambda: _("The form has expired. Please try again.")),
    "buy_limited": ("error", lambda: _("Too many attempts. Please try again later.")),
}


# --------------------------------------------------------------------------- the page


def shopper_view(
    request: HttpRequest,
    order_id: str,
    config: AftersalesConfig,
    *,
    verified: bool | None = None,
    stamp: tuple | None = None,
):
    """The reader's view of the order in the ``?lang`` asked for (else the order's own).

    Unlocked (page cookie or widget header; ``verified`` if the caller already checked):
    built fresh, with personal data. Otherwise the anonymous view, briefly cached
    (:mod:`status_cache`; ``stamp`` if the caller already read it). ``None`` for an unknown
    order or one of another channel.
    """
    asked = asked_language(request)
    if verified is None:
        verified = access.is_unlocked(request, order_id)
    if verified:
        return build_status_view(order_id, config, verified=True, language=asked)
    return status_cache.get_or_build(
        order_id,
        asked,
        config,
        lambda: build_status_view(order_id, config, language=asked),
        stamp,
    )


@route(rf"/status/{LINK_RE}", "status_page")
def status_page(request: HttpRequest, config: AftersalesConfig, token: str) -> HttpResponse:
    """The shopper's status page (GET); personal data only after verification. A repeat
    view whose copy is current gets ``304 Not Modified`` (:mod:`conditional`)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    order_id, problem = order_id_from(token, config)
    if order_id is None:
        return invalid_link(request, config, problem)
    csrf = security.csrf_token(request)  # a new cookie's token: the next visit's validator
    tag, verified, stamp = conditional.current(request, order_id, config, csrf[0])
    if conditional.not_modified(request, tag):
        events.record(events.Kind.PAGE_VIEW, order_id=order_id, channel_slug=config.channel_slug)
        return conditional.unchanged(tag, verified=verified, vary=conditional.PAGE_VARY)
    today = datetime.now(formatting.zone_for(config.time_zone)).date()
    # an anonymous page whose stamp is known is rendered once per process (:mod:`.memo`)
    key = memo.key_for(request, order_id, stamp, verified=verified, extra=today)
    kept = memo.pages.get(key) if key else None
    nonce = security.new_nonce()
    if kept is None:
        view = shopper_view(request, order_id, config, verified=verified, stamp=stamp)
        if view is None:
            return invalid_link(request, config)
        marks = (memo.NONCE, memo.FORM_TOKEN) if key else (nonce, csrf[0])
        kept = (_status_html(request, config, token, view, today, *marks), view.language_code)
        if key:
            memo.pages.put(key, kept)
    html, language = kept
    if key:
        html = memo.fill(html, nonce=nonce, form_token=csrf[0])
    events.record(events.Kind.PAGE_VIEW, order_id=order_id, channel_slug=config.channel_slug)
    return respond(
        request,
        config,
        html,
        nonce=nonce,
        new_cookie=csrf[1],
        language=language,
        etag=tag,
        verified=verified,
    )


def _status_html(
    request: HttpRequest,
    config: AftersalesConfig,
    token: str,
    view,
    today,
    nonce: str,
    form_token: str,
) -> str:
    """The status page's HTML for ``view`` (in its language)."""
    language = view.language_code
    message_code = request.GET.get("m", "")
    message = MESSAGES.get(message_code)
    with translation.override(language):
        message_text = message[1]() if message else ""
    return page_html(
        request,
        config,
        "status.html",
        {
            "view": view,
            "page": page_path(request, token),
            "message_kind": message[0] if message else "",
            "message": message_text,
            "message_place": MESSAGE_PLACES.get(message_code, "top") if message else "",
            "contact_url": contact_url(config, view.number, language),
            "support_tel": re.sub(r"[^0-9+]", "", config.support_phone),
            "today": today,
            "country_name": _country_name(view, language),
            "switch_lang": "de" if language == "en" else "en",
            "stars": range(5, 0, -1),
        },
        language=language,
        nonce=nonce,
        form_token=form_token,
    )


def _country_name(view, language: str) -> str:
    """The delivery country's name in the page's language (CLDR), "" before verification."""
    address = view.personal.shipping_address if view.personal else None
    code = (address.country if address else "") or ""
    return formatting.locale_for(language).territories.get(code.upper(), code)


def contact_url(config: AftersalesConfig, number: str, language: str) -> str:
    """``mailto:`` the shop's support with the order number in the subject ("" without an
    address)."""
    if not config.support_email:
        return ""
    with translation.override(language):
        subject = _("Question about order %(number)s") % {"number": number}
    return f"mailto:{quote(config.support_email, safe='@')}?subject={quote(subject)}"


def _post_guard(
    request: HttpRequest, config: AftersalesConfig, token: str
) -> tuple[HttpResponse | None, str | None]:
    """Common checks of the page's forms: POST, CSRF, valid token. Returns (error, order id)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"]), None
    order_id, problem = order_id_from(token, config)
    if order_id is None:
        return invalid_link(request, config, problem), None
    if not security.csrf_ok(request):
        return _redirect_to_page(request, token, "form_expired", request.POST.get("lang", "")), None
    return None, order_id


def _posted_order(
    request: HttpRequest, config: AftersalesConfig, token: str, *, enabled: bool = True
) -> tuple[HttpResponse | None, OrderView | None, str]:
    """``_post_guard``, then the order of this channel (form ``enabled``): (error, order, lang)."""
    error, order_id = _post_guard(request, config, token)
    if error:
        return error, None, ""
    order = get_host().get_order(order_id)
    if order is None or order.channel_slug != config.channel_slug or not enabled:
        return invalid_link(request, config), None, ""
    return None, order, request.POST.get("lang", "")


@route(rf"/status/{LINK_RE}/verify", "status_verify")
def verify(request: HttpRequest, config: AftersalesConfig, token: str) -> HttpResponse:
    """Postcode or email → unlock personal data for a while (cookie scoped to this link)."""
    error, order, lang = _posted_order(request, config, token)
    if error:
        return error
    attempt = access.verify(request, order, token, request.POST.get("answer", ""))
    if attempt.limited:
        return _redirect_to_page(request, token, "verify_limited", lang)
    if not attempt.ok:
        return _redirect_to_page(request, token, "verify_failed", lang)
    response = _redirect_to_page(request, token, "unlocked", lang)
    response.set_cookie(
        access.UNLOCK_COOKIE,
        attempt.unlock_token,
        max_age=access.UNLOCK_SECONDS,
        path=page_path(request, token),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@route(rf"/status/{LINK_RE}/buy-again", "status_buy_again")
def buy_again_view(request: HttpRequest, config: AftersalesConfig, token: str) -> HttpResponse:
    """Put the available items into a new checkout and send the shopper there."""
    from ..core import ratelimit

    error, order, lang = _posted_order(request, config, token, enabled=config.buy_again_enabled)
    if error:
        return error
    host = get_host()
    if not ratelimit.hit(
        "buy-again", access.link_key(token), limit=BUY_AGAIN_LIMIT, window=BUY_AGAIN_WINDOW
    ):
        return _redirect_to_page(request, token, "buy_limited", lang)
    try:
        result = buy_again.start_checkout(order, config, host)
    except AftersalesError:  # buy_again.NothingAvailable is one
        return _redirect_to_page(request, token, "nothing_available", lang)
    events.record(
        events.Kind.BUY_AGAIN,
        order_id=order.id,
        channel_slug=config.channel_slug,
        target=result.checkout.id,
    )
    return SeeOther(result.redirect_url)


@route(rf"/status/{LINK_RE}/review", "status_review")
def review_view(request: HttpRequest, config: AftersalesConfig, token: str) -> HttpResponse:
    """Store the shopper's rating and comment, then forward to the review platform."""
    error, order, lang = _posted_order(request, config, token)
    if error:
        return error
    try:
        reviews.submit_review(
            order.id,
            config,
            request.POST.get("rating"),
            request.POST.get("comment", ""),
            delivered=reviews.is_delivered(order),
            verified=access.is_unlocked(request, order.id),
        )
    except reviews.InvalidReview:
        return _redirect_to_page(request, token, "review_invalid", lang)
    events.record(
        events.Kind.REVIEW,
        order_id=order.id,
        channel_slug=config.channel_slug,
        target=str(request.POST.get("rating")),
    )
    if config.review_platform_url:
        return SeeOther(config.review_platform_url)
    return _redirect_to_page(request, token, "review_thanks", lang)


# registered last: every path below /status that no view above claims
@route(r"/status(?:/.*)?", "status_unknown")
def status_unknown(request: HttpRequest, config: AftersalesConfig) -> HttpResponse:
    """Any other path below ``/status``: a cut-off or mistyped link gets the branded page."""
    return invalid_link(request, config)
