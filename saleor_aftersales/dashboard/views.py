"""The manifest, the extension shells and their assets.

A shell is static HTML: a heading, a live region and our script. The script waits for the
dashboard's ``handshake`` and loads the fragment for the frame (``order.py``,
``problems.py``). Shells carry no data, so they need no token.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from ..core.templating import render_to_string
from .manifest import PREFIX, manifest
from .render import language
from .routes import route

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "saleor_aftersales" / "dashboard"
ASSETS = {
    "dashboard.js": "text/javascript; charset=utf-8",
    "dashboard.css": "text/css; charset=utf-8",
}
SHELLS = {
    "": "page",
    "/": "page",
    "/problems": "page",
    "/order-widget": "widget",
    "/order-popup": "popup",
}


def root_path(request: HttpRequest) -> str:
    """The path of the dashboard root this request came through (``…/<id>/dashboard``)."""
    index = request.path.find(PREFIX + "/")
    return request.path[: index + len(PREFIX)] if index >= 0 else request.path.rstrip("/")


@route(r"/manifest\.json")
def manifest_view(request: HttpRequest) -> HttpResponse:
    """The app manifest for Saleor's "Install from manifest URL" and ``appInstall``."""
    base = request.build_absolute_uri(root_path(request))
    response = JsonResponse(manifest(base))
    response["Access-Control-Allow-Origin"] = "*"  # the dashboard may read it before install
    response["Cache-Control"] = "no-cache"
    return response


@route(r"(?P<shell>|/|/problems|/order-widget|/order-popup)")
def shell(request: HttpRequest, shell: str) -> HttpResponse:
    """The frame's page: it loads its content once the dashboard has sent the token."""
    kind = SHELLS[shell]
    lang = language(request)
    root = root_path(request)
    with translation.override(lang):
        body = render_to_string(
            "saleor_aftersales/dashboard/shell.html",
            {
                "kind": kind,
                "root": root,
                "lang": lang,
                "script": f"{root}/assets/dashboard.js?v={_asset('dashboard.js')[1][1:9]}",
                "style": f"{root}/assets/dashboard.css?v={_asset('dashboard.css')[1][1:9]}",
            },
        )
    return HttpResponse(body, content_type="text/html; charset=utf-8")


@cache
def _asset(name: str) -> tuple[bytes, str]:
    body = (STATIC_DIR / name).read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@route(r"/assets/(?P<name>[a-z]+\.(?:js|css))")
def asset(request: HttpRequest, name: str) -> HttpResponse:
    """Our script and stylesheet (versioned URLs: cached for a day)."""
    if name not in ASSETS:
        return HttpResponse("Not found", status=404, content_type="text/plain")
    body, etag = _asset(name)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=ASSETS[name])
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=86400"
    return response
