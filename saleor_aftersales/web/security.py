"""Headers and CSRF protection for the plugin's pages (Saleor adds neither on plugin routes).

* :func:`page_headers` sets CSP (with a per-response nonce for the inline brand style),
  ``frame-ancestors`` (the storefront may embed the page), ``Referrer-Policy: no-referrer``
  (status links carry a token), ``nosniff`` and ``Cache-Control: no-store``.
* CSRF: a signed double-submit token. The browser holds a random value in the
  :data:`CSRF_COOKIE` cookie (HttpOnly, SameSite=Lax); forms carry an HMAC of it. A POST is
  accepted only when the form value matches the cookie's HMAC and, where the browser sends an
  ``Origin`` header, the origin is this host's.
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from urllib.parse import urlparse

from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from ..config import AftersalesConfig
from ..core import bodies

CSRF_COOKIE = "aftersales_csrf"
CSRF_FIELD = "csrf_token"
CSRF_SALT = "saleor_aftersales.csrf"


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, or "" when it is not an absolute http(s) URL."""
    parsed = urlparse(url or "")
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return ""
    return f"{parsed.scheme}://{parsed.netloc}"


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def content_security_policy(config: AftersalesConfig, nonce: str) -> str:
    """The page's CSP: own assets only, images over https, forms to us, checkout, review."""
    targets = " ".join(
        sorted(
            {
                o
                for o in (
                    origin_of(config.checkout_url),
                    origin_of(config.storefront_url),
                    origin_of(config.review_platform_url),
                )
                if o
            }
        )
    )
    ancestors = origin_of(config.storefront_url)
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' https: data:",
            "connect-src 'self'",
            f"form-action 'self' {targets}".strip(),
            f"frame-ancestors 'self' {ancestors}".strip(),
            "base-uri 'none'",
        ]
    )


def page_headers(response: HttpResponse, config: AftersalesConfig, nonce: str) -> HttpResponse:
    """Security and caching headers for every HTML page of the plugin."""
    response["Content-Security-Policy"] = content_security_policy(config, nonce)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    return response


def json_headers(response: HttpResponse, request: HttpRequest, config: AftersalesConfig):
    """No-store, nosniff and CORS for the storefront's origin (widget API)."""
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    origin = request.headers.get("Origin", "")
    if origin and origin in allowed_origins(request, config):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type, X-Aftersales-Unlock"
        response["Access-Control-Max-Age"] = "600"
        response["Vary"] = "Origin"
    return response


def allowed_origins(request: HttpRequest, config: AftersalesConfig) -> set[str]:
    """Origins allowed to call the widget API: this host and the configured storefront."""
    own = f"{request.scheme}://{request.get_host()}"
    return {o for o in (own, origin_of(config.storefront_url)) if o}


def _expected(nonce: str) -> str:
    return salted_hmac(CSRF_SALT, nonce, algorithm="sha256").hexdigest()


def csrf_token(request: HttpRequest) -> tuple[str, str | None]:
    """``(form token, cookie value to set or None)`` for the request's browser."""
    nonce = request.COOKIES.get(CSRF_COOKIE, "")
    if len(nonce) < 16 or len(nonce) > 64:
        nonce = secrets.token_urlsafe(24)
        return _expected(nonce), nonce
    return _expected(nonce), None


def set_csrf_cookie(response: HttpResponse, request: HttpRequest, value: str | None) -> None:
    if value:
        response.set_cookie(
            CSRF_COOKIE, value, max_age=7 * 24 * 3600, httponly=True, samesite="Lax",
            secure=request.is_secure(),
        )


def csrf_ok(request: HttpRequest) -> bool:
    """Whether a POST carries a form token matching its cookie, from our own origin."""
    origin = request.headers.get("Origin", "")
    if origin and origin != "null" and origin != f"{request.scheme}://{request.get_host()}":
        return False
    nonce = request.COOKIES.get(CSRF_COOKIE, "")
    sent = request.POST.get(CSRF_FIELD, "")
    if not nonce or not sent:
        return False
    return hmac.compare_digest(_expected(nonce), sent)


def rejects_bad_bodies(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a widget API view: ``core.bodies.BadBody`` becomes its JSON 400/413 (with CORS)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, config: AftersalesConfig, **kwargs: str) -> HttpResponse:
        try:
            return view(request, config, **kwargs)
        except bodies.BadBody as exc:
            return json_headers(exc.response(), request, config)

    return wrapped
