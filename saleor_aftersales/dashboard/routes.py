"""Path → view for the dashboard pages under the plugin's global route.

Saleor routes ``/plugins/<PLUGIN_ID>/…`` (without a channel) to the plugin's ``webhook``;
``plugin.py`` hands paths under ``/dashboard`` to :func:`dispatch`. The sandbox's URLconf
does the same. Every response carries the dashboard pages' headers (:func:`headers`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]
ROUTES: list[tuple[re.Pattern[str], View, tuple[str, ...]]] = []
MODULES = (
    "saleor_aftersales.dashboard.views",
    "saleor_aftersales.dashboard.order",
    "saleor_aftersales.dashboard.problems",
    "saleor_aftersales.dashboard.insights_views",
    "saleor_aftersales.dashboard.faq",
    "saleor_aftersales.dashboard.emails",
    "saleor_aftersales.dashboard.previews",
    "saleor_aftersales.dashboard.settings_page",
    "saleor_aftersales.dashboard.returns_tab",
)


def route(regex: str, method: str = "GET") -> Callable[[View], View]:
    """Register a view for paths (after ``/dashboard``) matching ``regex``; any other HTTP
    method than ``method`` gets 405 (pages are GET or HEAD, actions POST)."""

    def decorate(view: View) -> View:
        methods = ("GET", "HEAD") if method == "GET" else (method,)
        ROUTES.append((re.compile(rf"^{regex}$"), view, methods))
        return view

    return decorate


def frame_ancestors() -> str:
    """Who may frame the pages: ``AFTERSALES_DASHBOARD_ORIGINS`` (space-separated origins of
    the Saleor dashboard), else any https origin and this host. Data loads only after the
    dashboard's handshake, so a stranger's frame shows an empty shell."""
    configured = getattr(settings, "AFTERSALES_DASHBOARD_ORIGINS", "")
    return f"'self' {configured}".strip() if configured else "'self' https:"


def headers(response: HttpResponse) -> HttpResponse:
    """Strict CSP (own scripts, styles, images and preview frames only), no caching, no
    referrer."""
    response.setdefault(
        "Content-Security-Policy",
        "; ".join(
            [
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self' data:",
                "connect-src 'self'",
                "frame-src 'self'",  # previews (``previews.py``: sandboxed, no scripts)
                "form-action 'self'",
                f"frame-ancestors {frame_ancestors()}",
                "base-uri 'none'",
            ]
        ),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response.setdefault("Cache-Control", "no-store, private")
    return response


def dispatch(request: HttpRequest, path: str) -> HttpResponse:
    """Serve ``path`` (relative to the plugin root, starting ``/dashboard``) or 404."""
    from importlib import import_module

    for module in MODULES:
        import_module(module)
    rest = "/" + (path or "").removeprefix("/dashboard").lstrip("/")
    for pattern, view, methods in ROUTES:
        match = pattern.match(rest)
        if match and request.method not in methods:
            refused = HttpResponse("Method not allowed", status=405, content_type="text/plain")
            refused["Allow"] = ", ".join(methods)
            return headers(refused)
        if match:
            from .auth import Refused
            from .render import refused

            try:
                return headers(view(request, **match.groupdict()))
            except Refused as exc:  # no valid token (401) or not for this channel (403)
                return headers(refused(request, exc.status))
    return headers(HttpResponse("Not found", status=404, content_type="text/plain"))
