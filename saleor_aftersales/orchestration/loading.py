"""Load an order for an event: the host's view, the channel configuration and our own row."""

from __future__ import annotations

import logging

from django.utils import timezone

from ..hosts import get_host
from ..hosts.base import Host, OrderView
from ..hosts.context import Context
from ..models import TrackedOrder

logger = logging.getLogger(__name__)


def load(order_id: str, host: Host | None = None) -> Context | None:
    """Load the order and config; ``None`` if the order is unknown or the plugin inactive."""
    host = host or get_host()
    order = host.get_order(order_id)
    if order is None:
        logger.info("aftersales: order %s not found", order_id)
        return None
    config = host.get_config(order.channel_slug)
    if config is None or not config.active:
        return None
    tracked = sync_tracked_order(order)
    return Context(order=order, config=config, tracked=tracked, host=host)


def sync_tracked_order(order: OrderView, event: str = "") -> TrackedOrder:
    """Create or update the order's own row from the host view (idempotent)."""
    now = timezone.now()
    tracked, _ = TrackedOrder.objects.get_or_create(
        order_id=order.id,
        defaults={
            "channel_slug": order.channel_slug,
            "language_code": order.language_code or "en",
            "placed_at": order.created_at,
        },
    )
    changed: list[str] = []
    if order.is_paid and tracked.paid_at is None:
        tracked.paid_at = now
        changed.append("paid_at")
    if order.is_cancelled and tracked.cancelled_at is None:
        tracked.cancelled_at = now
        changed.append("cancelled_at")
    if event == "order_refunded" and tracked.refunded_at is None:
        tracked.refunded_at = now
        changed.append("refunded_at")
    if (order.language_code or "en") != tracked.language_code:
        tracked.language_code = order.language_code or "en"
        changed.append("language_code")
    if changed:
        tracked.save(update_fields=[*changed, "updated_at"])
    return tracked
