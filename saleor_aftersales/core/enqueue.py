"""Hand work to Celery from a shopper's request: recorded first, published fast, never raising.

:func:`enqueue_on_commit` writes an outbox row in the caller's transaction and publishes it
after commit; :func:`publish_on_commit` only publishes (for work that is recorded already,
e.g. a ``pending`` notification, or that the beat repeats anyway). Publishing is bounded:
its own broker connection per thread with short connect/read/write timeouts
(``AFTERSALES_PUBLISH_TIMEOUT``, 0.5 s) and no retries, and after a failure this process
stops publishing for ``AFTERSALES_PUBLISH_PAUSE`` seconds (5), so a dead or stalled broker
costs a checkout at most one timeout. What was not published is run by the outbox sweep.

Tasks are given by their registered Celery name (``"saleor_aftersales.tasks.…_task"``, which
is also their dotted import path) or as the task object; a service names the task it starts
and never imports ``tasks.py``, so the entry points stay above everything they call.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

#: Work the beat repeats anyway: a lost publish costs one beat interval, no outbox row.
PUBLISH_ONLY = frozenset({"saleor_aftersales.tasks.poll_due_parcels_task"})
#: Runs one outbox row (``tasks.run_outbox_task``).
RUN_OUTBOX_TASK = "saleor_aftersales.tasks.run_outbox_task"

TaskRef = Any  # a Celery task, or its registered name (= its dotted import path)


def resolve(task: TaskRef) -> Any:
    """The Celery task object for ``task`` (a task, or its name = dotted import path)."""
    return import_string(task) if isinstance(task, str) else task

_local = threading.local()
_paused_until = 0.0


def _forget_connection() -> None:
    conn = getattr(_local, "connection", None)
    _local.connection = None
    if conn is not None:
        try:
            conn.close()
        except Exception:  # noqa: S110  (a broken connection may fail to close)
            pass


def _after_fork() -> None:
    global _local, _paused_until
    _local = threading.local()
    _paused_until = 0.0


os.register_at_fork(after_in_child=_after_fork)


def publish_timeout() -> float:
    return float(getattr(settings, "AFTERSALES_PUBLISH_TIMEOUT", 0.5))


def _connection(app: Any) -> Any:
    conn = getattr(_local, "connection", None)
    if conn is None:
        timeout = publish_timeout()
        conn = app.connection_for_write(
            connect_timeout=timeout,
            heartbeat=0,
            transport_options={
                "max_retries": 0,  # kombu: fail instead of reconnecting for 4 s
                "connect_retries_timeout": timeout,
                "read_timeout": timeout,  # py-amqp
                "write_timeout": timeout,
                "socket_timeout": timeout,  # redis
                "socket_connect_timeout": timeout,
                "retry_on_timeout": False,
            },
        )
        _local.connection = conn
    return conn


def publish(task: TaskRef, args: tuple | list = (), **options: Any) -> bool:
    """Publish ``task(*args)`` within the publish timeout; ``False`` (logged) if it was not.

    With ``task_always_eager`` the task runs here and now, as Celery does.
    """
    global _paused_until
    task = resolve(task)
    app = task.app
    if app.conf.task_always_eager:
        try:
            task.apply_async(args=tuple(args), **options)
        except Exception:
            logger.exception("aftersales: %s failed (eager)", task.name)
            return False
        return True
    if time.monotonic() < _paused_until:
        return False
    fresh = getattr(_local, "connection", None) is None
    for _ in range(2):  # a cached connection may have died with a broker restart: once more
        try:
            task.apply_async(args=tuple(args), connection=_connection(app), retry=False,
                             ignore_result=True, **options)
            return True
        except Exception as exc:
            _forget_connection()
            error = exc
            if fresh:
                break
            fresh = True
    _paused_until = time.monotonic() + float(getattr(settings, "AFTERSALES_PUBLISH_PAUSE", 5))
    logger.warning("aftersales: could not publish %s (the outbox sweep will run it): %s: %s",
                   task.name, error.__class__.__name__, error)
    return False


def _name(task: TaskRef) -> str:
    return task if isinstance(task, str) else task.name


def publish_on_commit(task: TaskRef, *args: Any, log_ref: str = "") -> None:
    """Publish ``task(*args)`` once the transaction commits; never raises."""
    try:
        transaction.on_commit(lambda: publish(task, args))
    except Exception:
        logger.exception("aftersales: could not schedule %s for %s", _name(task), log_ref)


def enqueue_on_commit(task: TaskRef, *args: Any, log_ref: str = "") -> None:
    """Record ``task(*args)`` in the outbox (this transaction), publish it on commit.

    Never raises: inside a transaction the row is written in a savepoint, so a failing
    insert cannot break the caller's transaction.
    """
    name = _name(task)
    if name in PUBLISH_ONLY:
        publish_on_commit(task, *args, log_ref=log_ref)
        return
    try:
        from . import outbox

        if connection.in_atomic_block:
            with transaction.atomic():
                row = outbox.add(name, list(args), log_ref)
        else:
            row = outbox.add(name, list(args), log_ref)
    except Exception:
        logger.exception("aftersales: could not record %s for %s", name, log_ref)
        return
    publish_on_commit(RUN_OUTBOX_TASK, row.pk, log_ref=log_ref)
