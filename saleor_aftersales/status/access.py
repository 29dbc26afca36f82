"""Who may see what of an order: signed status tokens and the postcode/email gate.

A signed status token (``core.links.make_token``) shows the order's progress but no personal data.
Proving the delivery postcode or the order's email unlocks name, address and email for
:data:`UNLOCK_SECONDS`. The proof is a signed *unlock token* bound to the order: the page keeps
it in an HttpOnly cookie, the widget sends it back in the ``X-Aftersales-Unlock`` header.

Attempts are rate-limited per status link and per IP; every failure (wrong value, limit hit)
looks the same to the caller except for the limit message, so a wrong attempt reveals nothing
about the order.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass

from django.core import signing
from django.http import HttpRequest

from ..core import ratelimit
from ..hosts.base import OrderView

UNLOCK_SALT = "saleor_aftersales.unlock"
UNLOCK_SECONDS = 30 * 60
UNLOCK_COOKIE = "aftersales_unlock"
UNLOCK_HEADER = "HTTP_X_AFTERSALES_UNLOCK"

#: Verification attempts: per status link, and per client IP (across links).
LINK_LIMIT, LINK_WINDOW = 5, 15 * 60
IP_LIMIT, IP_WINDOW = 20, 60 * 60
#: Widget token requests: per client IP (a whole office or mobile network may share one
#: address, and each thank-you page asks once per session), and per order, which is what a
#: guesser of the order's email would have to repeat.
TOKEN_LIMIT, TOKEN_WINDOW = 300, 10 * 60
ORDER_TOKEN_LIMIT = 10


@dataclass(frozen=True)
class Attempt:
    """The outcome of a verification attempt."""

    ok: bool
    limited: bool = False
    unlock_token: str = ""
    retry_after: int = 0  # seconds until a limited caller may try again


def _normalise_postcode(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in value if ch.isalnum()).upper()


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


def matches(order: OrderView, answer: str) -> bool:
    """Whether ``answer`` is the delivery postcode or the order's email (constant time)."""
    answer = (answer or "").strip()
    if not answer or len(answer) > 254:
        return False
    postcode = order.shipping_address.postal_code if order.shipping_address else ""
    email = (order.customer_email or "").strip().casefold()
    ok_postcode = bool(postcode) and hmac.compare_digest(
        _digest(_normalise_postcode(answer)), _digest(_normalise_postcode(postcode))
    )
    ok_email = bool(email) and hmac.compare_digest(
        _digest(answer.casefold()), _digest(email)
    )
    return ok_postcode or ok_email


def link_key(status_token: str) -> str:
    """Rate-limit identity of a status link."""
    return hashlib.sha256(status_token.encode()).hexdigest()


def verify(request: HttpRequest, order: OrderView, status_token: str, answer: str) -> Attempt:
    """Check one attempt; only wrong answers count against the link's and the IP's limits.

    Every attempt is counted *before* it is checked (parallel guesses cannot slip past the
    limit), and a right answer gives its count back, so a shopper who unlocks the page
    again and again is never locked out.
    """
    ip, link = ratelimit.client_ip(request), link_key(status_token)
    link_ok = ratelimit.hit("verify-link", link, limit=LINK_LIMIT, window=LINK_WINDOW)
    ip_ok = ratelimit.hit("verify-ip", ip, limit=IP_LIMIT, window=IP_WINDOW)
    if not (link_ok and ip_ok):
        wait = max(ratelimit.retry_after(window) for ok, window in
                   ((link_ok, LINK_WINDOW), (ip_ok, IP_WINDOW)) if not ok)
        return Attempt(ok=False, limited=True, retry_after=wait)
    if not matches(order, answer):
        return Attempt(ok=False)
    ratelimit.release("verify-link", link, window=LINK_WINDOW)
    ratelimit.release("verify-ip", ip, window=IP_WINDOW)
    return Attempt(ok=True, unlock_token=make_unlock_token(order.id))


def make_unlock_token(order_id: str) -> str:
    """A signed proof that the holder verified for ``order_id`` (valid UNLOCK_SECONDS)."""
    return signing.dumps({"o": str(order_id)}, salt=UNLOCK_SALT, compress=True)


def is_unlocked_token(token: str, order_id: str) -> bool:
    """Whether ``token`` is a fresh unlock token for ``order_id``."""
    if not token or len(token) > 1024:
        return False
    try:
        payload = signing.loads(token, salt=UNLOCK_SALT, max_age=UNLOCK_SECONDS)
    except signing.BadSignature:
        return False
    return isinstance(payload, dict) and payload.get("o") == str(order_id)


def is_unlocked(request: HttpRequest, order_id: str) -> bool:
    """Whether the request carries a fresh unlock (cookie from the page or widget header)."""
    return is_unlocked_token(request.COOKIES.get(UNLOCK_COOKIE, ""), order_id) or (
        is_unlocked_token(request.META.get(UNLOCK_HEADER, ""), order_id)
    )


def token_request_allowed(request: HttpRequest, order_id: str = "") -> bool:
    """Count one widget token request for the caller's IP and the order it names;
    ``False`` once either is over its limit (retry after :data:`TOKEN_WINDOW`)."""
    ip_ok = ratelimit.hit(
        "widget-token", ratelimit.client_ip(request), limit=TOKEN_LIMIT, window=TOKEN_WINDOW
    )
    order_ok = not order_id or ratelimit.hit(
        "widget-token-order", order_id, limit=ORDER_TOKEN_LIMIT, window=TOKEN_WINDOW
    )
    return ip_ok and order_ok
