"""Marketing consent: whether an order's shopper may be shown marketing (cross-sell, pixels)."""

from __future__ import annotations

from ..config import AftersalesConfig
from ..hosts.base import OrderView

CONSENT_KEY = "marketing_consent"


def has_marketing_consent(order: OrderView, config: AftersalesConfig) -> bool:
    """Apply ``config.marketing_consent_rule``: 'always', 'never' or 'metadata' (default).

    With 'metadata' the order's public metadata key ``marketing_consent`` must be ``"true"``
    (case-insensitive); anything else, including a missing key, means no consent.
    """
    rule = config.marketing_consent_rule
    if rule == "always":
        return True
    if rule == "never":
        return False
    return str(order.metadata.get(CONSENT_KEY, "")).strip().lower() == "true"
