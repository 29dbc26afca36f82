"""Celery tasks: take IDs and JSON primitives, reload everything, safe to repeat.

Tasks end in ``_task``; each retries with exponential backoff on unexpected errors.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task

from . import lifecycle
from .hosts import task_scope

logger = logging.getLogger(__name__)


class ScopedTask(Task):
    """Runs every task body inside the host's scope (Saleor: writer access allowed)."""

    def __call__(self, *args, **kwargs):
        with task_scope():
            return super().__call__(*args, **kwargs)


RETRY = {
    "base": ScopedTask,
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="saleor_aftersales.tasks.handle_order_event_task", **RETRY)
def handle_order_event_task(order_id: str, event: str) -> bool:
    """Process an order lifecycle event for the order with this UUID."""
    return lifecycle.handle_order_event(order_id, event)


@shared_task(name="saleor_aftersales.tasks.handle_fulfillment_event_task", **RETRY)
def handle_fulfillment_event_task(
    fulfillment_id: str, event: str, order_id: str | None = None
) -> bool:
    """Process a fulfillment event (created, approved, cancelled, tracking number changed)."""
    return lifecycle.handle_fulfillment_event(fulfillment_id, event, order_id=order_id)
