"""Transactional outbox: work decided in a transaction survives a broker that lost it.

A hook (or any caller of :func:`.enqueue.enqueue_on_commit`) writes an :class:`OutboxTask`
row in the same transaction as its decision; publishing the task to the broker after commit
only makes it run sooner. :func:`run` executes a row while holding its lock
(``SELECT … FOR UPDATE SKIP LOCKED``) and deletes it in the same transaction as the work's
own writes, so a worker killed mid-task leaves the row for the next try and a finished row is
never run again. :func:`sweep` (beat task ``sweep_outbox_task``) runs whatever is due: rows
whose publish was lost or whose run failed; the same beat task then sends ``pending``
notifications whose send task was lost (``notifications.delivery.sweep``). Effects keep their
unique keys (milestones, notification idempotency keys), so a task that does run twice changes
nothing twice.

Settings: ``AFTERSALES_OUTBOX_GRACE`` (s, 120) before the sweep takes a fresh row (a healthy
publish is faster), ``AFTERSALES_OUTBOX_MAX_ATTEMPTS`` (10) runs before a row is marked
failed, ``AFTERSALES_OUTBOX_RETRY_BASE`` (s, 30) and ``_RETRY_MAX`` (s, 3600) for its backoff.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class OutboxTask(models.Model):
    """A task that was decided but is not done yet; deleted when it has run."""

    task = models.CharField(_("task"), max_length=200, help_text=_("Dotted task name."))
    args = models.JSONField(_("arguments"), default=list, blank=True)
    ref = models.CharField(_("reference"), max_length=255, blank=True)
    due_at = models.DateTimeField(_("due at"), help_text=_("When the sweep may run it."))
    attempts = models.PositiveIntegerField(_("failed runs"), default=0)
    error = models.TextField(_("last error"), blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "saleor_aftersales"
        verbose_name = _("outbox task")
        verbose_name_plural = _("outbox tasks")
        indexes = [
            models.Index(
                fields=["due_at"],
                name="aftersales_outbox_due_idx",
                condition=Q(failed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)!r}"


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, f"AFTERSALES_OUTBOX_{name}", default))


def grace() -> timedelta:
    """How long a fresh row (or notification) is left to its own publish."""
    return timedelta(seconds=_setting("GRACE", 120))


def backoff(attempts: int) -> timedelta:
    """Delay before run ``attempts + 1``: base * 2^(attempts-1), at most ``_RETRY_MAX``."""
    seconds = _setting("RETRY_BASE", 30) * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, _setting("RETRY_MAX", 3600)))


def add(task_name: str, args: list, ref: str = "") -> OutboxTask:
    """Write the row (in the caller's transaction); it is due for the sweep after the grace."""
    return OutboxTask.objects.create(
        task=task_name, args=list(args), ref=ref[:255], due_at=timezone.now() + grace()
    )


def run(pk: int, *, swept: bool = False) -> str:
    """Run the row's task once, holding its lock; ``done``, ``retry``, ``failed`` or ``skipped``.

    ``skipped``: the row is gone (done), locked (running elsewhere), given up, or — for the
    sweep — not due yet. The task's writes and the row's deletion commit together; a failed
    run rolls its writes back and records the error and the next due time instead.
    """
    now = timezone.now()
    with transaction.atomic():
        rows = OutboxTask.objects.select_for_update(skip_locked=True).filter(
            pk=pk, failed_at__isnull=True
        )
        if swept:
            rows = rows.filter(due_at__lte=now)
        row = rows.first()
        if row is None:
            return "skipped"
        try:
            with transaction.atomic():
                import_string(row.task).run(*row.args)
        except Exception as exc:
            return _failed(row, exc)
        row.delete()
    return "done"


def _failed(row: OutboxTask, exc: Exception) -> str:
    row.attempts += 1
    row.error = f"{exc.__class__.__name__}: {exc}"[:2000]
    row.due_at = timezone.now() + backoff(row.attempts)
    if row.attempts >= _setting("MAX_ATTEMPTS", 10):
        row.failed_at = timezone.now()
        logger.error("aftersales: gave up on %s (%s): %s", row, row.ref, row.error)
    else:
        logger.warning("aftersales: %s (%s) failed, retry at %s: %s", row, row.ref,
                       row.due_at.isoformat(), row.error)
    row.save(update_fields=["attempts", "error", "due_at", "failed_at"])
    return "failed" if row.failed_at else "retry"


def sweep(deadline: float, batch: int = 500) -> dict[str, int]:
    """Run due outbox rows until ``deadline`` (``time.monotonic()``); counts per outcome.

    The beat task ``sweep_outbox_task`` then delivers due notifications in the same budget.
    """
    counts = {"done": 0, "retry": 0, "failed": 0, "skipped": 0}
    due = (
        OutboxTask.objects.filter(failed_at__isnull=True, due_at__lte=timezone.now())
        .order_by("due_at")
        .values_list("pk", flat=True)[:batch]
    )
    for pk in list(due):
        if time.monotonic() > deadline:
            break
        counts[run(pk, swept=True)] += 1
    return {f"tasks_{k}": v for k, v in counts.items()}
