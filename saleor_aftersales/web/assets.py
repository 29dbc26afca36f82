"""Static and generated assets of the plugin route: the widget script, the page's stylesheet
and script, the favicon, and the widget demo page (sandbox only).

Assets are served by the plugin itself (Saleor serves no static files for plugins), with an
ETag and an hour of caching; the widget's script may be loaded cross-origin.
"""

from __future__ import annotations

import hashlib
from functools import cache

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from ..config import AftersalesConfig
from ..core.colours import text_color_on
from ..hosts import get_host
from .render import ASSETS, STATIC_DIR, compressed, plugin_root
from .render import BRAND_HEX as _HEX
from .render import render as _render
from .routes import route
from .views import _lang, asked_language


@cache
def _asset(name: str) -> tuple[bytes, str]:
    body = (STATIC_DIR / name).read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@route(r"/assets/(?P<name>[a-z\-]+\.(?:js|css))", "asset")
def asset(request: HttpRequest, config: AftersalesConfig, name: str) -> HttpResponse:
    """The widget script and the page's stylesheet, cacheable for an hour, with ETag."""
    if name not in ASSETS:
        return HttpResponse("Not found", status=404, content_type="text/plain")
    body, etag = _asset(name)
    # gzip makes the ETag weak ("W/…"); the content is the same
    if request.headers.get("If-None-Match", "").removeprefix("W/") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=ASSETS[name])
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600, stale-while-revalidate=86400"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["X-Content-Type-Options"] = "nosniff"
    return compressed(request, response)


FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
    '<rect width="64" height="64" rx="14" fill="{bg}"/>'
    '<text x="32" y="44" font-family="system-ui,Arial,sans-serif" font-size="34" '
    'font-weight="700" text-anchor="middle" fill="{fg}">{initial}</text></svg>'
)


@route(r"/favicon\.svg", "favicon")
def favicon(request: HttpRequest, config: AftersalesConfig) -> HttpResponse:
    """The shop's initial on its brand colour: every page links it (no favicon 404)."""
    from django.utils.html import escape

    color = config.brand_color if _HEX.match(config.brand_color or "") else "#1f6feb"
    initial = escape((config.display_name.strip() or "S")[0].upper())
    body = FAVICON.format(bg=color, fg=text_color_on(color), initial=initial).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="image/svg+xml")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@route(r"/widget-demo", "widget_demo")
def widget_demo(request: HttpRequest, config: AftersalesConfig) -> HttpResponse:
    """A thank-you page with the widget, for the sandbox only (404 under Saleor).

    ``?order=<uuid>&email=<address>`` are what a storefront has after ``checkoutComplete``.
    """
    if get_host().name != "sandbox":
        return HttpResponse("Not found", status=404, content_type="text/plain")
    return _render(
        request,
        config,
        "widget_demo.html",
        {
            "order_id": request.GET.get("order", ""),
            "email": request.GET.get("email", ""),
            "api": f"{request.scheme}://{request.get_host()}{plugin_root(request)}",
            # the page's language asked for (?lang=): the widget speaks it too, as a
            # storefront passes its own; else the widget keeps the order's language
            "widget_lang": asked_language(request) or "",
        },
        language=_lang(request, "en"),
    )
