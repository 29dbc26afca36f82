"""Cross-sell: products bought together with the order's, only with marketing consent."""

from __future__ import annotations

import logging

from ..config import AftersalesConfig
from ..hosts.base import Host, OrderView
from ..status.types import Recommendation
from .consent import has_marketing_consent

logger = logging.getLogger(__name__)


def product_url(config: AftersalesConfig, slug: str) -> str:
    """The product page from ``config.product_url_template`` ("" without template or slug)."""
    if not config.product_url_template or not slug:
        return ""
    return config.product_url_template.replace("{slug}", slug)


def for_order(
    order: OrderView, config: AftersalesConfig, host: Host, limit: int = 4
) -> tuple[Recommendation, ...]:
    """Up to ``limit`` published, available products for the order's shopper.

    Empty when cross-selling is off or the shopper has no marketing consent. The host returns
    products bought together with the order's products in its channel, else best-sellers;
    products of the order itself are never recommended. A failing host call logs and yields
    nothing, so the page still renders.
    """
    if not config.cross_sell_enabled or not has_marketing_consent(order, config):
        return ()
    bought = sorted({line.product_id for line in order.lines if line.product_id})
    try:
        cards = host.recommendations(order.channel_slug, bought, limit=limit)
    except Exception:
        logger.exception("aftersales: recommendations failed for order %s", order.id)
        return ()
    return tuple(
        Recommendation(
            product_id=c.product_id,
            name=c.name,
            slug=c.slug,
            url=product_url(config, c.slug),
            thumbnail_url=c.thumbnail_url,
            price=c.price,
            currency=c.currency,
        )
        for c in cards
        if c.product_id not in bought
    )[:limit]
