"""The thank-you widget's JSON API (``<aftersales-status>``, see ``aftersales-status.js``).

What proves the storefront holds the order: right after ``checkoutComplete`` the storefront
knows the order's id **and** the email it was placed with. ``POST /api/token`` with both
returns the same signed status token as the email links. A wrong id and a wrong email get the
same answer (404 ``{"error": "not_found"}``), and requests are rate-limited per IP.

All other calls name the order only by that token. Personal data comes only with a fresh
unlock token in the ``X-Aftersales-Unlock`` header (from ``…/verify``). The API uses no
cookies, so cross-site requests gain nothing (no CSRF); CORS admits the storefront's origin.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hmac
import uuid
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse

from ..config import AftersalesConfig
from ..core import bodies, formatting, ratelimit
from ..core.exceptions import AftersalesError
from ..core.links import make_token, status_url
from ..engagement import buy_again, events, reviews
from ..hosts import get_host
from ..returns.views import widget_returns
from ..status import access
from ..status.types import StatusView
from . import conditional, memo, security
from .render import plugin_root
from .routes import route
from .views import (
    BUY_AGAIN_LIMIT,
    BUY_AGAIN_WINDOW,
    LINK_RE,
    order_id_from,
    shopper_view,
)


def _json(data: Any, request: HttpRequest, config: AftersalesConfig, status: int = 200):
    response = JsonResponse(data, status=status, json_dumps_params={"default": _default})
    return security.json_headers(response, request, config)


def _limited(request: HttpRequest, config: AftersalesConfig, window: int, **body: Any):
    """429 with ``Retry-After``: when the caller's current rate-limit window ends."""
    response = _json({"error": "rate_limited", **body}, request, config, 429)
    response["Retry-After"] = str(ratelimit.retry_after(window))
    return response


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _body(request: HttpRequest) -> dict[str, Any]:
    """The posted fields; a JSON body that is too large, too deep or not an object raises
    ``bodies.BadBody`` (the view's ``@security.rejects_bad_bodies`` answers 400/413)."""
    if request.content_type == "application/json":
        return bodies.json_object(request)
    return request.POST.dict()


def _preflight(request: HttpRequest, config: AftersalesConfig) -> HttpResponse | None:
    if request.method == "OPTIONS":
        return security.json_headers(HttpResponse(status=204), request, config)
    return None


def parse_order_id(value: str) -> str | None:
    """A UUID string from a UUID or a Saleor global id (base64 of ``Order:<uuid>``)."""
    value = (value or "").strip()
    if not value or len(value) > 200:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        pass
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    kind, _, raw = decoded.partition(":")
    if kind != "Order":
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def status_json(view: StatusView, zone: str = "") -> dict[str, Any]:
    """The view as JSON-ready data (dates ISO, decimals as strings).

    Next to each date, time and amount a ``*_text`` field carries it formatted for the
    shopper as the page shows it (Babel/CLDR in the view's language, times in the shop's
    ``zone`` with the zone named), so the widget never formats on its own.
    """
    lang = view.language_code
    day = partial(formatting.local_date, language=lang, zone=zone, weekday=True)
    when = partial(formatting.local_datetime, language=lang, zone=zone)

    def money(amount, currency) -> str:
        return formatting.money(amount, currency, lang)

    def event(item) -> dict[str, Any]:
        return {**dataclasses.asdict(item), "occurred_at_text": when(item.occurred_at)}

    data = dataclasses.asdict(view)
    data.pop("order_id", None)
    data["created_at_text"] = formatting.local_date(view.created_at, lang, zone)
    data["estimated_delivery_text"] = day(view.estimated_delivery)
    for parcel, item in zip(data["parcels"], view.parcels, strict=True):
        parcel["events"] = [event(e) for e in item.events]
        parcel["relevant_events"] = [event(e) for e in item.relevant_events]
        parcel["latest_events"] = [event(e) for e in item.latest_events]
        parcel["estimated_delivery_text"] = day(item.estimated_delivery)
        parcel["delivered_at_text"] = when(item.delivered_at)
    for step, item in zip(data["progress"], view.progress, strict=True):
        step["at_text"] = when(item.at)
    for line, item in zip(data["summary"]["lines"], view.summary.lines, strict=True):
        line["unit_price_text"] = money(item.unit_price, item.currency)
        line["total_text"] = money(item.total, item.currency)
    for key in ("subtotal", "shipping", "total"):
        data["summary"][f"{key}_text"] = money(getattr(view.summary, key), view.summary.currency)
    for entries, items in (
        (data["buy_again"], view.buy_again),
        (data["recommendations"], view.recommendations),
    ):
        for entry, item in zip(entries, items, strict=True):
            entry["price_text"] = money(item.price, item.currency)
            if hasattr(item, "total"):  # buy again: what the quantity costs today
                entry["total_text"] = money(item.total, item.currency)
    data["can_buy_again"] = view.can_buy_again
    return data


@route(r"/api/token", "widget_token")
@security.rejects_bad_bodies
def widget_token(request: HttpRequest, config: AftersalesConfig) -> HttpResponse:
    """POST ``{order_id, email}`` → ``{token, status_url, expires_in_days}`` or 404."""
    early = _preflight(request, config)
    if early:
        return early
    if request.method != "POST":
        return _json({"error": "method_not_allowed"}, request, config, 405)
    data = _body(request)
    order_id = parse_order_id(str(data.get("order_id", "")))
    if not access.token_request_allowed(request, order_id or ""):
        return _limited(request, config, access.TOKEN_WINDOW)
    email = str(data.get("email", "")).strip().casefold()
    order = get_host().get_order(order_id) if order_id else None
    known = (
        order is not None
        and order.channel_slug == config.channel_slug
        and bool(email)
        and hmac.compare_digest(
            (order.customer_email or "").strip().casefold().encode(), email.encode()
        )
    )
    if not known:
        return _json({"error": "not_found"}, request, config, 404)
    root = plugin_root(request)
    base = f"{request.scheme}://{request.get_host()}{root[: max(root.find('/plugins/'), 0)]}"
    return _json(
        {
            "token": make_token(order.id, config.channel_slug),
            "status_url": status_url(order.id, config, base),
            "expires_in_days": config.link_validity_days,
        },
        request,
        config,
    )


def _linked_order_id(request: HttpRequest, config: AftersalesConfig, token: str):
    """``(order id, None)`` for a valid link, else ``(None, 403/410 response)``."""
    order_id, problem = order_id_from(token, config)
    if order_id is None:
        status = 410 if problem == "expired" else 403
        return None, _json({"error": problem}, request, config, status)
    return order_id, None


def _load(request: HttpRequest, config: AftersalesConfig, token: str):
    order_id, error = _linked_order_id(request, config, token)
    if error:
        return None, error
    order = get_host().get_order(order_id)
    if order is None or order.channel_slug != config.channel_slug:
        return None, _json({"error": "invalid"}, request, config, 403)
    return order, None


@route(rf"/api/status/{LINK_RE}", "widget_status")
def widget_status(request: HttpRequest, config: AftersalesConfig, token: str) -> HttpResponse:
    """GET the status view as JSON (personal data only with a fresh unlock header); a
    repeat whose copy is current gets ``304 Not Modified`` (:mod:`.conditional`)."""
    early = _preflight(request, config)
    if early:
        return early
    if request.method != "GET":
        return _json({"error": "method_not_allowed"}, request, config, 405)
    order_id, error = _linked_order_id(request, config, token)
    if error:
        return error
    tag, verified, stamp = conditional.current(request, order_id, config)
    if conditional.not_modified(request, tag):
        events.record(events.Kind.WIDGET_VIEW, order_id=order_id, channel_slug=config.channel_slug)
        response = security.json_headers(HttpResponseNotModified(), request, config)
        return conditional.mark(response, tag, verified=verified, vary=conditional.WIDGET_VARY)
    # an anonymous body whose stamp is known is built once per process (:mod:`.memo`)
    key = memo.key_for(request, order_id, stamp, verified=verified)
    body = memo.widget_bodies.get(key) if key else None
    if body is None:
        view = shopper_view(request, order_id, config, verified=verified, stamp=stamp)
        if view is None:
            return _json({"error": "invalid"}, request, config, 403)
        response = _json(_widget_data(request, config, token, view), request, config)
        if key:
            memo.widget_bodies.put(key, response.content)
    else:
        response = security.json_headers(
            HttpResponse(body, content_type="application/json"), request, config
        )
    events.record(events.Kind.WIDGET_VIEW, order_id=order_id, channel_slug=config.channel_slug)
    return conditional.mark(response, tag, verified=verified, vary=conditional.WIDGET_VARY)


def _widget_data(
    request: HttpRequest, config: AftersalesConfig, token: str, view: StatusView
) -> dict[str, Any]:
    data = status_json(view, config.time_zone)
    if config.returns_enabled:  # the returns' timelines, as on the status page
        when = partial(
            formatting.local_datetime, language=view.language_code, zone=config.time_zone
        )
        data["returns"] = widget_returns(view.order_id, get_host(), view.language_code, when)
    base = f"{request.scheme}://{request.get_host()}{plugin_root(request)}"
    data["status_url"] = f"{base}/status/{token}"
    return data


@route(rf"/api/status/{LINK_RE}/verify", "widget_verify")
@security.rejects_bad_bodies
def widget_verify(request: HttpRequest, config: AftersalesConfig, token: str) -> HttpResponse:
    """POST ``{answer}`` (postcode or email) → ``{ok, unlock}``; same failure for any mistake."""
    order, error = _posted_order(request, config, token)
    if error:
        return error
    attempt = access.verify(request, order, token, str(_body(request).get("answer", "")))
    if attempt.limited:
        response = _limited(request, config, access.LINK_WINDOW, ok=False)
        response["Retry-After"] = str(attempt.retry_after)
        return response
    if not attempt.ok:
        return _json({"ok": False, "error": "no_match"}, request, config, 400)
    return _json(
        {"ok": True, "unlock": attempt.unlock_token, "expires_in": access.UNLOCK_SECONDS},
        request,
        config,
    )


def _posted_order(request: HttpRequest, config: AftersalesConfig, token: str):
    """CORS preflight, POST only, a valid link → ``(order, None)``, else ``(None, response)``."""
    early = _preflight(request, config)
    if early:
        return None, early
    if request.method != "POST":
        return None, _json({"error": "method_not_allowed"}, request, config, 405)
    return _load(request, config, token)


@route(rf"/api/status/{LINK_RE}/buy-again", "widget_buy_again")
def widget_buy_again(request: HttpRequest, config: AftersalesConfig, token: str) -> HttpResponse:
    """POST → ``{checkout_url, unavailable}`` with a new checkout of the available items."""
    order, error = _posted_order(request, config, token)
    if error:
        return error
    if not config.buy_again_enabled:
        return _json({"error": "disabled"}, request, config, 404)
    if not ratelimit.hit(
        "buy-again", access.link_key(token), limit=BUY_AGAIN_LIMIT, window=BUY_AGAIN_WINDOW
    ):
        return _limited(request, config, BUY_AGAIN_WINDOW)
    try:
        result = buy_again.start_checkout(order, config, get_host())
    except AftersalesError:
        return _json({"error": "nothing_available"}, request, config, 409)
    events.record(
        events.Kind.BUY_AGAIN,
        order_id=order.id,
        channel_slug=config.channel_slug,
        target=result.checkout.id,
    )
    return _json(
        {"checkout_url": result.redirect_url, "unavailable": list(result.unavailable)},
        request,
        config,
    )


@route(rf"/api/status/{LINK_RE}/review", "widget_review")
@security.rejects_bad_bodies
def widget_review(request: HttpRequest, config: AftersalesConfig, token: str) -> HttpResponse:
    """POST ``{rating, comment}`` → ``{ok, redirect_url}`` (the review platform, if any)."""
    order, error = _posted_order(request, config, token)
    if error:
        return error
    data = _body(request)
    try:
        reviews.submit_review(
            order.id,
            config,
            data.get("rating"),
            str(data.get("comment", "")),
            delivered=reviews.is_delivered(order),
            verified=access.is_unlocked(request, order.id),
        )
    except reviews.InvalidReview as exc:
        return _json({"ok": False, "error": str(exc)}, request, config, 400)
    events.record(
        events.Kind.REVIEW,
        order_id=order.id,
        channel_slug=config.channel_slug,
        target=str(data.get("rating")),
    )
    return _json({"ok": True, "redirect_url": config.review_platform_url}, request, config)
