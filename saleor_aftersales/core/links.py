"""Signed, expiring links and tokens: every link we send is signed and expires.

A status token names an order and a channel; it is signed with Django's ``SECRET_KEY``
(salted per purpose) and carries its issue time. ``read_token`` raises
:class:`~saleor_aftersales.core.exceptions.InvalidToken` for anything forged, malformed or old.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core import signing

from ..config import AftersalesConfig
from .exceptions import InvalidToken
from .ids import PLUGIN_ID

STATUS_SALT = "saleor_aftersales.status"
DAY = 24 * 3600


def make_token(
    order_id: str, channel_slug: str, *, purpose: str = STATUS_SALT, **extra: str
) -> str:
    """A compact signed token for ``order_id`` in ``channel_slug``."""
    payload = {"o": str(order_id), "c": channel_slug, **extra}
    return signing.dumps(payload, salt=purpose, compress=True)


def read_token(
    token: str, *, max_age_days: float, channel_slug: str | None = None, purpose: str = STATUS_SALT
) -> dict[str, str]:
    """Verify and decode a token; check its channel when ``channel_slug`` is given."""
    if not token or len(token) > 2048:
        raise InvalidToken("missing or oversized token")
    if not token.isascii():  # signed tokens are base64url and ":"; a lone surrogate cannot
        raise InvalidToken("this link is not valid")  # even be hashed (it would be a 500)
    try:
        payload = signing.loads(token, salt=purpose, max_age=max_age_days * DAY)
    except signing.SignatureExpired as exc:
        raise InvalidToken("this link has expired", expired=True) from exc
    except signing.BadSignature as exc:
        raise InvalidToken("this link is not valid") from exc
    if not isinstance(payload, dict) or "o" not in payload or "c" not in payload:
        raise InvalidToken("this link is not valid")
    if channel_slug is not None and payload["c"] != channel_slug:
        raise InvalidToken("this link belongs to another channel")
    return payload


def plugin_base_url(config: AftersalesConfig, request_base: str = "") -> str:
    """Public base URL of the plugin's channel route (no trailing slash)."""
    if config.status_page_url:
        return config.status_page_url.rstrip("/")
    return f"{request_base.rstrip('/')}/plugins/channel/{config.channel_slug}/{PLUGIN_ID}"


def status_url(
    order_id: str, config: AftersalesConfig, request_base: str = "", **query: str
) -> str:
    """Absolute, signed link to the order's status page."""
    token = make_token(order_id, config.channel_slug)
    qs = ("?" + urlencode(query)) if query else ""
    return f"{plugin_base_url(config, request_base)}/status/{token}{qs}"
