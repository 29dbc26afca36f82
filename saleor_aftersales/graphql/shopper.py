"""Shopper access by status token: rate-limited per IP, then the order and its channel.

A status token (``core.links.make_token``) names an order and its channel; the channel's own
settings (link validity, features) apply, whichever channel's route serves the API. Every
resolution of a token counts against the caller's IP (:data:`TOKEN_LIMIT` per
:data:`TOKEN_WINDOW` seconds), so guessing tokens is slow. Personal data is unlocked by an
unlock token from ``verifyOrderAccess`` (argument ``unlockToken`` or the
``X-Aftersales-Unlock`` header), exactly as on the status page (``access.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import AftersalesConfig
from ..core import ratelimit
from ..core.exceptions import InvalidToken
from ..core.links import read_token
from ..hosts import get_host
from ..hosts.base import OrderView
from ..status import access

TOKEN_LIMIT, TOKEN_WINDOW = 120, 60


class TokenProblem(Exception):
    """The token cannot be used; ``code`` is an ``AftersalesErrorCode`` value."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ShopperOrder:
    token: str
    order: OrderView
    config: AftersalesConfig


def open_token(request, token: str) -> ShopperOrder:
    """The order a status token names; raise :class:`TokenProblem` (rate limit included)."""
    if not ratelimit.hit(
        "gql-token", ratelimit.client_ip(request), limit=TOKEN_LIMIT, window=TOKEN_WINDOW
    ):
        raise TokenProblem("Too many requests; try again in a minute.", "rate_limited")
    host = get_host()
    try:
        # the signature is checked first; validity days come from the token's channel
        payload = read_token(token, max_age_days=3650)
    except InvalidToken as exc:
        code = "expired_token" if exc.expired else "invalid_token"
        raise TokenProblem(str(exc), code) from exc
    config = host.get_config(payload["c"])
    if config is None or not config.active:
        raise TokenProblem("this link is not valid", "invalid_token")
    try:
        read_token(token, max_age_days=config.link_validity_days, channel_slug=config.channel_slug)
    except InvalidToken as exc:
        raise TokenProblem(str(exc), "expired_token" if exc.expired else "invalid_token") from exc
    order = host.get_order(payload["o"])
    if order is None or order.channel_slug != config.channel_slug:
        raise TokenProblem("this link is not valid", "invalid_token")
    return ShopperOrder(token=token, order=order, config=config)


def is_verified(request, order_id: str, unlock_token: str | None = None) -> bool:
    """Whether the caller proved access (unlock token argument or header)."""
    return access.is_unlocked_token(unlock_token or "", order_id) or access.is_unlocked(
        request, order_id
    )
