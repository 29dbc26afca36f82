"""Conditional requests for the status page and the widget's JSON (``ETag``, ``304``).

A repeat view is decided before any view is built, from two small cache keys
(:func:`status_cache.current_stamp`): a shopper whose copy is current gets ``304 Not
Modified`` at the cost of reading those keys and checking the link.

The validator (:func:`etag`) names everything the reader is shown: the status cache's stamp
(the channel's generation, the order's version, the configuration, the order's window of
:data:`status_cache.TTL` seconds), the order, the URL asked for (link, ``?lang``, message),
the host its links point to, whether the reader is verified, and for the page the form token
of the reader's CSRF cookie. It is an HMAC under ``SECRET_KEY``: it reveals nothing of its
inputs, and no reader can derive another's (a verified reader's from an unverified one's, or
another order's). It is weak (``W/``): every page carries a fresh CSP nonce.

Storage is private: an anonymous view may be kept by the reader's browser and is revalidated
on every use (``private, no-cache``); a verified view holds personal data and is never stored
(``private, no-store``), though the server still answers its validator. A ``304`` carries
``ETag``, ``Cache-Control`` and ``Vary`` only, never a CSP header: a new nonce would replace
the stored page's and block its inline stylesheet.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.http import parse_etags

from ..config import AftersalesConfig
from ..status import access
from ..status import cache as status_cache

_SALT = "saleor_aftersales.etag"
#: What a page response varies with besides its URL: the unlock and CSRF cookies, and gzip.
PAGE_VARY = ("Cookie", "Accept-Encoding")
#: The widget's JSON: the unlock header (and the unlock cookie, which ``is_unlocked`` reads).
WIDGET_VARY = ("X-Aftersales-Unlock", "Cookie")


def current(
    request: HttpRequest, order_id: str, config: AftersalesConfig, form_token: str = ""
) -> tuple[str | None, bool, tuple | None]:
    """``(validator, verified, stamp)`` of what the reader would be shown now, decided
    without building the view; pass ``stamp`` on to the build (the same version)."""
    verified = access.is_unlocked(request, order_id)
    stamp = status_cache.current_stamp(order_id, config)
    return etag(request, order_id, stamp, verified=verified, form_token=form_token), verified, stamp


def etag(
    request: HttpRequest,
    order_id: str,
    stamp: tuple | None,
    *,
    verified: bool,
    form_token: str = "",
) -> str | None:
    """The weak validator of what ``request`` is shown, or ``None`` without a stamp (cache
    unavailable: nothing is vouched for, so no ``304`` either)."""
    if stamp is None:
        return None
    value = "\n".join(
        [
            order_id,
            repr(stamp),
            request.get_full_path(),
            f"{request.scheme}://{request.get_host()}",
            "verified" if verified else "anonymous",
            form_token,
        ]
    )
    return f'W/"{salted_hmac(_SALT, value, algorithm="sha256").hexdigest()[:32]}"'


def not_modified(request: HttpRequest, tag: str | None) -> bool:
    """Whether a GET/HEAD holds ``tag`` in ``If-None-Match`` (weak comparison; ``*`` never
    matches: only a copy we served can be confirmed)."""
    if tag is None or request.method not in ("GET", "HEAD"):
        return False
    sent = parse_etags(request.headers.get("If-None-Match", ""))
    return tag.removeprefix("W/") in {t.removeprefix("W/") for t in sent}


def mark(
    response: HttpResponse, tag: str | None, *, verified: bool, vary: Sequence[str]
) -> HttpResponse:
    """Give a 200 or 304 its validator and private caching headers (none without a tag)."""
    if tag is None:
        return response
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-store" if verified else "private, no-cache"
    patch_vary_headers(response, vary)
    return response


def unchanged(tag: str, *, verified: bool, vary: Sequence[str]) -> HttpResponse:
    """``304 Not Modified`` for a reader whose copy is current."""
    return mark(HttpResponseNotModified(), tag, verified=verified, vary=vary)
