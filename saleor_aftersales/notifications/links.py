"""Signed links inside emails: click redirect, open pixel and unsubscribe.

Every token is signed with ``SECRET_KEY`` under its own salt. Click and pixel tokens expire
with ``link_validity_days``; unsubscribe tokens never expire (an old email must still let
the shopper opt out). The click redirect also checks the target against allowed hosts, so a
leaked signing key alone does not make it an open redirect.
"""

from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings
from django.core import signing

from ..config import AftersalesConfig
from ..core.exceptions import InvalidToken
from ..core.links import DAY, plugin_base_url

CLICK_SALT = "saleor_aftersales.mail.click"
OPEN_SALT = "saleor_aftersales.mail.open"
UNSUBSCRIBE_SALT = "saleor_aftersales.mail.unsubscribe"


def public_base() -> str:
    """Where the API is reachable when no request is at hand (tasks)."""
    return (
        getattr(settings, "AFTERSALES_PUBLIC_URL", "")
        or getattr(settings, "PUBLIC_URL", "")
        or "http://localhost:8000"
    )


def base_url(config: AftersalesConfig) -> str:
    return plugin_base_url(config, public_base())


def _dumps(payload: dict, salt: str) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def _loads(token: str, salt: str, max_age_days: float | None) -> dict:
    if not token or len(token) > 4096:
        raise InvalidToken("missing or oversized token")
    if not token.isascii():  # signed tokens are ASCII; a lone surrogate cannot be hashed
        raise InvalidToken("this link is not valid")
    try:
        payload = signing.loads(
            token, salt=salt, max_age=None if max_age_days is None else max_age_days * DAY
        )
    except signing.SignatureExpired as exc:
        raise InvalidToken("this link has expired", expired=True) from exc
    except signing.BadSignature as exc:
        raise InvalidToken("this link is not valid") from exc
    if not isinstance(payload, dict):
        raise InvalidToken("this link is not valid")
    return payload


def click_url(config: AftersalesConfig, notification_id: int, target: str) -> str:
    """A signed redirect to ``target`` that records the click for the notification."""
    token = _dumps({"n": notification_id, "u": target, "c": config.channel_slug}, CLICK_SALT)
    return f"{base_url(config)}/mail/click/{token}"


def read_click(token: str, config: AftersalesConfig) -> tuple[int, str]:
    payload = _loads(token, CLICK_SALT, config.link_validity_days)
    if payload.get("c") != config.channel_slug or not isinstance(payload.get("u"), str):
        raise InvalidToken("this link belongs to another channel")
    return int(payload["n"]), payload["u"]


def pixel_url(config: AftersalesConfig, notification_id: int) -> str:
    token = _dumps({"n": notification_id, "c": config.channel_slug}, OPEN_SALT)
    return f"{base_url(config)}/mail/open/{token}.gif"


def read_pixel(token: str, config: AftersalesConfig) -> int:
    payload = _loads(token, OPEN_SALT, config.link_validity_days)
    if payload.get("c") != config.channel_slug:
        raise InvalidToken("this link belongs to another channel")
    return int(payload["n"])


def unsubscribe_url(
    config: AftersalesConfig, email: str, *, language: str = "", notification_id: int | None = None
) -> str:
    payload = {"e": email.lower(), "c": config.channel_slug, "l": language, "n": notification_id}
    return f"{base_url(config)}/mail/unsubscribe/{_dumps(payload, UNSUBSCRIBE_SALT)}"


def read_unsubscribe(token: str, config: AftersalesConfig) -> dict:
    payload = _loads(token, UNSUBSCRIBE_SALT, None)
    if payload.get("c") != config.channel_slug or not payload.get("e"):
        raise InvalidToken("this link belongs to another channel")
    return payload


def _host(url: str) -> str:
    return (urlparse(url).hostname or "").lower()


def carrier_hosts() -> frozenset[str]:
    """Hosts of the carriers' public tracking pages."""
    try:
        from ..tracking.numbers import _URLS
    except ImportError:  # pragma: no cover - tracking is part of the package
        return frozenset()
    return frozenset(_host(u.replace("{", "").replace("}", "")) for u in _URLS.values())


def allowed_hosts(config: AftersalesConfig, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """Hosts a click may lead to: shop, status page, review platform, carriers, ``extra``."""
    urls = (
        config.storefront_url,
        config.checkout_url,
        config.product_url_template,
        config.review_platform_url,
        base_url(config),
        *extra,
    )
    hosts = {_host(u.replace("{", "").replace("}", "")) for u in urls if u}
    return frozenset(h for h in hosts if h) | carrier_hosts()


def is_allowed(target: str, config: AftersalesConfig, extra: tuple[str, ...] = ()) -> bool:
    """Whether a click may redirect to ``target``: http(s) to an allowed host, and nothing
    browsers read differently from ``urlparse`` (backslashes, whitespace, controls)."""
    if any(c == "\\" or c.isspace() or ord(c) < 32 for c in target):
        return False
    parsed = urlparse(target)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return False
    return parsed.hostname.lower() in allowed_hosts(config, extra)
