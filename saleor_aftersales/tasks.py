"""Celery tasks: take IDs and JSON primitives, reload everything, safe to repeat.

Tasks end in ``_task``; each retries with exponential backoff on unexpected errors.
"""

from __future__ import annotations

import logging
import time

from celery import Task, shared_task

from .hosts import task_scope
from .orchestration import lifecycle

logger = logging.getLogger(__name__)


class ScopedTask(Task):
    """Runs every task body inside the host's scope (Saleor: writer access allowed)."""

    def __call__(self, *args, **kwargs):
        with task_scope():
            return super().__call__(*args, **kwargs)


RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(base=ScopedTask, name="saleor_aftersales.tasks.handle_order_event_task", **RETRY)
def handle_order_event_task(order_id: str, event: str) -> bool:
    """Process an order lifecycle event for the order with this UUID."""
    return lifecycle.handle_order_event(order_id, event)


@shared_task(base=ScopedTask, name="saleor_aftersales.tasks.handle_fulfillment_event_task", **RETRY)
def handle_fulfillment_event_task(
    fulfillment_id: str, event: str, order_id: str | None = None
) -> bool:
    """Process a fulfillment event (created, approved, cancelled, tracking number changed)."""
    return lifecycle.handle_fulfillment_event(fulfillment_id, event, order_id=order_id)


@shared_task(base=ScopedTask, name="saleor_aftersales.tasks.poll_due_parcels_task")
def poll_due_parcels_task(batch_size: int = 200, max_batches: int = 10) -> dict:
    """Ask carriers about parcels due for a check, in batches (beat: every 5 minutes)."""
    from .tracking.polling import poll_due_parcels

    stats = poll_due_parcels(batch_size=batch_size, max_batches=max_batches)
    return {
        "due": stats.due,
        "checked": stats.checked,
        "updated": stats.updated,
        "failed": stats.failed,
        "deferred": stats.deferred,
    }


@shared_task(base=ScopedTask, name="saleor_aftersales.tasks.detect_problems_task", **RETRY)
def detect_problems_task() -> int:
    """Record new delivery problems (each once); returns how many were new."""
    from .tracking.problems import detect_problems

    return len(detect_problems())


@shared_task(
    bind=True,
    base=ScopedTask,
    max_retries=None,
    name="saleor_aftersales.tasks.send_notification_task",
)
def send_notification_task(self, notification_id: int) -> str:
    """Deliver one logged notification; SMTP failures retry with backoff, then give up.

    The attempt count and give-up live in ``NotificationLog`` (``notifications.delivery``),
    so a redelivered or repeated task never sends twice.
    """
    from .notifications.delivery import RetryLater, deliver

    try:
        return deliver(notification_id)
    except RetryLater as exc:
        # The row holds its next attempt time: if this publish fails (Celery then rejects the
        # message), the outbox sweep sends it when due. No long publish retries in a worker.
        raise self.retry(countdown=exc.countdown, exc=exc, retry=False) from exc


@shared_task(base=ScopedTask, name="saleor_aftersales.tasks.run_outbox_task")
def run_outbox_task(outbox_id: int) -> str:
    """Run one outbox row's task now (published after the transaction that wrote the row)."""
    from .core.outbox import run

    return run(outbox_id)


@shared_task(base=ScopedTask, name="saleor_aftersales.tasks.sweep_outbox_task")
def sweep_outbox_task(budget: float = 50.0) -> dict[str, int]:
    """Run outbox rows and deliver notifications whose publish was lost (beat: every minute)."""
    from .core import outbox
    from .notifications import delivery

    deadline = time.monotonic() + budget
    return {**outbox.sweep(deadline), **delivery.sweep(deadline, 500)}


@shared_task(base=ScopedTask, name="saleor_aftersales.tasks.send_due_review_requests_task", **RETRY)
def send_due_review_requests_task() -> int:
    """Queue review requests that are due (delivered, not reviewed, not cancelled/refunded)."""
    from .notifications.rules import send_due_review_requests

    return send_due_review_requests()


@shared_task(base=ScopedTask, name="saleor_aftersales.tasks.send_staff_digest_task", **RETRY)
def send_staff_digest_task() -> int:
    """Queue one digest of unhandled delivery problems per channel and day."""
    from .notifications.rules import send_staff_digests

    return send_staff_digests()


@shared_task(base=ScopedTask, name="saleor_aftersales.tasks.purge_old_data_task", **RETRY)
def purge_old_data_task() -> dict[str, int]:
    """Apply each channel's data retention (daily, from the beat schedule)."""
    from .retention.purge import purge_old_data

    return purge_old_data()


@shared_task(base=ScopedTask, name="saleor_aftersales.tasks.refresh_order_summaries_task", **RETRY)
def refresh_order_summaries_task(order_ids: list[str]) -> int:
    """Rewrite the metadata summary of orders whose parcels had news; returns how many changed."""
    from .orchestration.summary import refresh_order_summary

    return sum(1 for order_id in order_ids if refresh_order_summary(order_id))


@shared_task(base=ScopedTask, name="saleor_aftersales.tasks.poll_return_parcels_task")
def poll_return_parcels_task() -> dict:
    """Resolve inspected returns the shop failed to resolve before (beat: every 30 minutes).

    The name is kept for schedules that name it: return parcels themselves are polled with
    every other parcel by ``poll_due_parcels_task``."""
    from .hosts import get_host
    from .returns.way_back import finish_received

    return {"resolved": finish_received(get_host())}
