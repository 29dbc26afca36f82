"""Hand IDs to Celery after the current transaction commits, without ever raising."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

#: Fail fast when the broker is down: the shopper's request must not hang on us.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.3}


def enqueue_on_commit(task: Any, *args: Any, log_ref: str = "") -> None:
    """Schedule ``task.apply_async(args)`` on commit; log (never raise) on failure."""

    def send() -> None:
        try:
            task.apply_async(args=args, retry=True, retry_policy=PUBLISH_RETRY)
        except Exception:
            logger.exception("aftersales: could not enqueue %s for %s", task.name, log_ref)

    try:
        transaction.on_commit(send)
    except Exception:
        logger.exception("aftersales: could not schedule %s for %s", task.name, log_ref)
