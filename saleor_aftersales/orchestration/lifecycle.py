"""Order lifecycle: what happens when the host reports an order or fulfillment event.

Handlers decide, tasks do: ``tasks.py`` calls these with IDs; each reloads the order and the
channel configuration through the host, so they are safe to repeat (idempotent).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..config import AftersalesConfig
from ..hosts import get_host
from ..hosts.base import Host, OrderView
from ..models import TrackedOrder
from ..status import cache as status_cache

logger = logging.getLogger(__name__)

ORDER_EVENTS: frozenset[str] = frozenset(
    {
        "order_created",
        "order_confirmed",
        "order_paid",
        "order_fully_paid",
        "order_updated",
        "order_fulfilled",
        "order_cancelled",
        "order_refunded",
    }
)
FULFILLMENT_EVENTS: frozenset[str] = frozenset(
    {
        "fulfillment_created",
        "fulfillment_approved",
        "fulfillment_canceled",
        "tracking_number_updated",
    }
)


@dataclass(frozen=True)
class Context:
    """An order with its channel configuration, as loaded for one event."""

    order: OrderView
    config: AftersalesConfig
    tracked: TrackedOrder
    host: Host


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


def handle_order_event(order_id: str, event: str, host: Host | None = None) -> bool:
    """React to an order event; returns whether anything was processed."""
    if event not in ORDER_EVENTS:
        raise ValueError(f"unknown order event {event!r}")
    ctx = load(order_id, host)
    if ctx is None:
        return False
    if event == "order_refunded":
        sync_tracked_order(ctx.order, event)
    if event == "order_created":
        from ..engagement.buy_again import record_order

        record_order(ctx.order)
    _react(ctx, event, fulfillment_id=None)
    return True


def handle_fulfillment_event(
    fulfillment_id: str, event: str, order_id: str | None = None, host: Host | None = None
) -> bool:
    """React to a fulfillment event (parcel created, approved, cancelled, number changed)."""
    if event not in FULFILLMENT_EVENTS:
        raise ValueError(f"unknown fulfillment event {event!r}")
    host = host or get_host()
    order_id = order_id or host.get_fulfillment_order_id(fulfillment_id)
    if not order_id:
        logger.info("aftersales: fulfillment %s has no order", fulfillment_id)
        return False
    ctx = load(order_id, host)
    if ctx is None:
        return False
    _react(ctx, event, fulfillment_id=fulfillment_id)
    return True


def _react(ctx: Context, event: str, fulfillment_id: str | None) -> None:
    """Sync parcels, record milestones, then let notifications and metadata follow."""
    from ..notifications import rules
    from ..status.timeline import record_milestones
    from ..tracking.service import sync_parcels
    from .summary import write_order_summary

    with transaction.atomic():
        changed_parcels = sync_parcels(ctx, event=event, fulfillment_id=fulfillment_id)
        record_milestones(ctx)
        # Saleor changed the order (status, lines, fulfillments): cached views are stale
        status_cache.forget([ctx.order.id])
    rules.on_lifecycle_event(ctx, event, changed_parcels)
    write_order_summary(ctx)
