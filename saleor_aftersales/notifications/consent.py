"""Who may get what: marketing consent, engagement tracking and unsubscribes.

Order confirmation and ready-for-pickup are *essential* (the shopper needs them to get the
goods) and ignore unsubscribes; every other shopper email is non-essential: it carries an
unsubscribe link and ``List-Unsubscribe`` headers and is not sent after an unsubscribe.
"""

from __future__ import annotations

from ..config import RETURN_EMAIL_EVENTS, AftersalesConfig
from ..engagement.consent import has_marketing_consent
from ..hosts.base import OrderView
from ..models import Unsubscribe

ESSENTIAL_EVENTS: frozenset[str] = frozenset(
    {"order_confirmation", "ready_for_pickup", *RETURN_EMAIL_EVENTS}  # returns: asked for
)
STAFF_EVENTS: frozenset[str] = frozenset({"staff_digest"})


def is_essential(event: str) -> bool:
    return event in ESSENTIAL_EVENTS or event in STAFF_EVENTS


def may_track(config: AftersalesConfig, order: OrderView | None) -> bool:
    """Open pixel and click redirects only with the owner's switch and marketing consent."""
    return bool(
        order is not None
        and config.tracking_pixel_enabled
        and has_marketing_consent(order, config)
    )


def may_cross_sell(config: AftersalesConfig, order: OrderView) -> bool:
    """The cross-sell block needs the feature switch and marketing consent."""
    return config.cross_sell_enabled and has_marketing_consent(order, config)


def is_unsubscribed(channel_slug: str, email: str) -> bool:
    return Unsubscribe.objects.filter(channel_slug=channel_slug, email=email.lower()).exists()


def unsubscribe(channel_slug: str, email: str) -> bool:
    """Record the opt-out; returns whether it is new."""
    _, created = Unsubscribe.objects.get_or_create(channel_slug=channel_slug, email=email.lower())
    return created
