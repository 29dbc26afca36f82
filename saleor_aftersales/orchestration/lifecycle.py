"""Order lifecycle: what happens when the host reports an order or fulfillment event.

Handlers decide, tasks do: ``tasks.py`` calls these with IDs; each reloads the order and the
channel configuration through the host (:mod:`.loading`), so they are safe to repeat
(idempotent).
"""

from __future__ import annotations

import logging

from django.db import transaction

from ..hosts import get_host
from ..hosts.base import Host
from ..hosts.context import Context
from ..status import cache as status_cache
from .loading import load, sync_tracked_order

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
