"""Our pages as responses: the shop's branding, the CSP nonce, the form token, headers.

:func:`render` is a template to a response in one step. :func:`page_html` and :func:`respond`
are its two halves, for a view that keeps rendered HTML (:mod:`.memo`): it renders with the
memo's placeholders once and fills in each response's nonce and form token.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse

from ..config import AftersalesConfig
from ..core import formatting
from ..core.colours import readable_brand, text_color_on
from ..core.ids import PLUGIN_ID
from ..core.templating import render_to_string
from . import conditional, security

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "saleor_aftersales"
ASSETS = {
    "aftersales-status.js": "text/javascript; charset=utf-8",
    "status-page.js": "text/javascript; charset=utf-8",
    "status.css": "text/css; charset=utf-8",
}
BRAND_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def plugin_root(request: HttpRequest) -> str:
    """The path of the plugin's channel route this request came through (no trailing /)."""
    path = request.path
    index = path.find(f"/{PLUGIN_ID}")
    return path[: index + len(PLUGIN_ID) + 1] if index >= 0 else ""


@cache
def page_css() -> str:
    """The page's stylesheet, inlined under the CSP nonce: no render-blocking request."""
    return (STATIC_DIR / "status.css").read_text(encoding="utf-8")


def page_html(
    request: HttpRequest,
    config: AftersalesConfig,
    template: str,
    context: dict,
    *,
    language: str,
    nonce: str,
    form_token: str,
) -> str:
    """``page/<template>`` rendered in ``language`` with the shop's branding."""
    color = config.brand_color if BRAND_HEX.match(config.brand_color or "") else "#1f6feb"
    root = plugin_root(request)
    with formatting.rendering(language, config.time_zone):
        return render_to_string(
            f"saleor_aftersales/page/{template}",
            {
                **context,
                "config": config,
                "shop_name": config.display_name,
                "brand_color": color,
                "brand_text": text_color_on(color),
                "brand_ink": readable_brand(color),
                "page_css": page_css(),
                "root": root,
                "nonce": nonce,
                "csrf_token": form_token,
                "csrf_field": security.CSRF_FIELD,
                "assets": f"{root}/assets",
                "lang": language,
            },
        )


def respond(
    request: HttpRequest,
    config: AftersalesConfig,
    html: str,
    *,
    nonce: str,
    new_cookie: str | None,
    status: int = 200,
    language: str = "en",
    etag: str | None = None,
    verified: bool = False,
) -> HttpResponse:
    """The page's response: CSP for ``nonce``, the CSRF cookie if new, validator, gzip."""
    response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    response["Content-Language"] = language
    security.page_headers(response, config, nonce)
    security.set_csrf_cookie(response, request, new_cookie)
    conditional.mark(response, etag, verified=verified, vary=conditional.PAGE_VARY)
    return compressed(request, response)


def render(
    request: HttpRequest,
    config: AftersalesConfig,
    template: str,
    context: dict,
    *,
    status: int = 200,
    language: str = "en",
    csrf: tuple[str, str | None] | None = None,
    etag: str | None = None,
    verified: bool = False,
) -> HttpResponse:
    """The page ``template`` with the shop's branding; ``csrf`` as from
    :func:`security.csrf_token` (read here if not given); ``etag``: the page's validator
    (:mod:`conditional`), else the response is not stored at all."""
    nonce = security.new_nonce()
    form_token, new_cookie = csrf or security.csrf_token(request)
    html = page_html(
        request, config, template, context, language=language, nonce=nonce, form_token=form_token
    )
    return respond(
        request,
        config,
        html,
        nonce=nonce,
        new_cookie=new_cookie,
        status=status,
        language=language,
        etag=etag,
        verified=verified,
    )


def compressed(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """gzip for clients that accept it (Saleor compresses nothing on plugin routes), with
    Django's BREACH mitigation (random bytes in the gzip header)."""
    from django.middleware.gzip import GZipMiddleware

    return GZipMiddleware(lambda _request: response).process_response(request, response)
