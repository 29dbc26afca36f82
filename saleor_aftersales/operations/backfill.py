"""Backfill: bring orders placed before the install under tracking, through the hook path.

Each order goes through ``lifecycle.handle_order_event(order_id, "order_created")``, the
path Saleor's ``order_created`` hook takes; it syncs one parcel per fulfillment (carrier
detection, tracking link, estimate, first check) as ``fulfillment_created`` does. One
transaction per order: a kill leaves every order either fully tracked or untouched.

Messages: the shopper hears nothing about the past. Before the order is synced, the backfill
records the messages whose moment has passed as ``skipped`` (same idempotency keys as
``notifications.delivery.queue``, so the rules find them and queue nothing):

- every backfilled order: the order confirmation and each parcel's "shipped" email (Saleor
  sent its own; a "your order shipped" email for a three-week-old order only confuses);
- orders placed before the news window (``news_days``, default 7): also "out for delivery",
  "delivered", "ready for pickup" and the delay apology (email and SMS), and the review
  request. Their first carrier answer is history. Staff still see their problems.

Orders placed inside the window get carrier news from now on, like any other order. Rerun
cost: listing the ids and one query per batch; orders already tracked are skipped, so a run
killed at any point resumes where it stopped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from ..config import AftersalesConfig
from ..hosts.base import Host, OrderView
from ..models import NotificationLog, ReviewRequest, TrackedOrder
from ..notifications.delivery import idempotency_key
from ..orchestration import lifecycle

logger = logging.getLogger(__name__)

SKIP_NOTE = "before tracking started (backfill)"
#: Moments that passed for every backfilled order (per order, per parcel).
PAST_ORDER = ("order_confirmation",)
PAST_PARCEL = ("shipped",)
#: News about an order placed before the window is history too.
OLD_ORDER = ("delay",)
OLD_PARCEL = ("shipped", "out_for_delivery", "delivered", "ready_for_pickup", "delay")
SMS_TRIGGERS = ("out_for_delivery", "ready_for_pickup", "delay")


@dataclass
class Stats:
    """What one run did; ``failed`` orders are left untouched for the next run."""

    listed: int = 0
    tracked: int = 0
    already: int = 0
    skipped_inactive: int = 0
    failed: int = 0


def list_orders(
    host: Host, since: datetime, channel_slug: str | None = None, page: int = 1000
) -> list[str]:
    """Every order id placed since ``since`` (oldest first), paged through the host."""
    ids: list[str] = []
    after = None
    while True:
        rows = host.order_ids_since(since, channel_slug, after=after, limit=page)
        ids += [order_id for _, order_id in rows]
        if len(rows) < page:
            return ids
        after = rows[-1]


def skip_rows(order: OrderView, old: bool) -> list[NotificationLog]:
    """``skipped`` log rows for the messages the shopper must not get for this order."""
    order_events = PAST_ORDER + (OLD_ORDER if old else ())
    parcel_events = OLD_PARCEL if old else PAST_PARCEL
    keys: list[tuple[str, str, str]] = []  # (key, medium, event)
    for event in order_events:
        keys.append((idempotency_key("email", event, order.id), "email", event))
    for f in order.fulfillments:
        ref = SimpleNamespace(fulfillment_id=f.id)
        for event in parcel_events:
            keys.append((idempotency_key("email", event, order.id, ref), "email", event))
            if old and event in SMS_TRIGGERS:
                keys.append((idempotency_key("sms", event, order.id, ref), "sms", event))
    if old:
        keys += [(idempotency_key("sms", e, order.id), "sms", e) for e in OLD_ORDER]
    return [
        NotificationLog(
            idempotency_key=key,
            order_id=order.id,
            channel_slug=order.channel_slug,
            event=event,
            medium=medium,
            state=NotificationLog.State.SKIPPED,
            error=SKIP_NOTE,
        )
        for key, medium, event in keys
    ]


def backfill_order(host: Host, order: OrderView, news_since: datetime) -> bool:
    """Track one order silently about its past (one transaction); ``False`` if inactive."""
    old = order.created_at < news_since
    with transaction.atomic():
        # the order's own times, not the backfill's: the timeline shows when it was paid
        TrackedOrder.objects.get_or_create(
            order_id=order.id,
            defaults={
                "channel_slug": order.channel_slug,
                "language_code": order.language_code or "en",
                "placed_at": order.created_at,
                "paid_at": order.created_at if order.is_paid else None,
            },
        )
        NotificationLog.objects.bulk_create(skip_rows(order, old), ignore_conflicts=True)
        if old:
            ReviewRequest.objects.get_or_create(
                order_id=order.id,
                defaults={
                    "channel_slug": order.channel_slug,
                    "due_at": timezone.now(),
                    "cancelled": True,
                },
            )
        return lifecycle.handle_order_event(order.id, "order_created", host)


def run(
    host: Host,
    since: datetime,
    channel_slug: str | None = None,
    *,
    batch_size: int = 100,
    news_days: int = 7,
    pause: float = 0.0,
    progress: Callable[[int], None] | None = None,
    order_ids: list[str] | None = None,
) -> Stats:
    """Backfill the orders placed since ``since``; ``progress(n)`` whenever n more are done
    (each order, or a batch's orders found tracked already).

    ``order_ids``: the listing, when the caller made it already (for a progress total).
    """
    ids = list_orders(host, since, channel_slug) if order_ids is None else order_ids
    stats = Stats(listed=len(ids))
    news_since = timezone.now() - timedelta(days=news_days)
    configs: dict[str, AftersalesConfig | None] = {}
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        done = {
            str(pk)
            for pk in TrackedOrder.objects.filter(order_id__in=batch).values_list(
                "order_id", flat=True
            )
        }
        stats.already += len(done)
        report = progress or (lambda n: None)
        report(len(done))
        for order_id in batch:
            if order_id not in done:
                _one(host, order_id, news_since, configs, stats)
                report(1)
        if pause and start + batch_size < len(ids):
            time.sleep(pause)
    return stats


def _one(host: Host, order_id: str, news_since: datetime, configs: dict, stats: Stats) -> None:
    try:
        order = host.get_order(order_id)
        if order is None:
            stats.failed += 1
            return
        if order.channel_slug not in configs:
            configs[order.channel_slug] = host.get_config(order.channel_slug)
        config = configs[order.channel_slug]
        if config is None or not config.active:
            stats.skipped_inactive += 1
            return
        backfill_order(host, order, news_since)
        stats.tracked += 1
    except Exception:
        logger.exception("aftersales: backfill of order %s failed", order_id)
        stats.failed += 1
