"""Celery beat entries, registered by the plugin itself (:func:`register`).

``AftersalesConfig.ready()`` merges ``BEAT_SCHEDULE`` into the beat schedule of the
process's Celery app (Saleor's ``saleor.celeryconf:app``) and of any app finalized later
(:func:`connect`). Celery's Django fixup runs ``django.setup()``
while beat loads, before it reads its schedule, so a stock ``celery -A saleor.celeryconf:app
beat`` runs our entries without any edit to Saleor's settings. An entry the owner configured
under the same name in ``CELERY_BEAT_SCHEDULE`` wins.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict] = {
    "aftersales-outbox-sweep": {
        "task": "saleor_aftersales.tasks.sweep_outbox_task",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},  # a backlog of sweeps after an outage is one sweep
    },
    "aftersales-poll-parcels": {
        "task": "saleor_aftersales.tasks.poll_due_parcels_task",
        "schedule": timedelta(minutes=5),
    },
    "aftersales-detect-problems": {
        "task": "saleor_aftersales.tasks.detect_problems_task",
        "schedule": timedelta(hours=1),
    },
    "aftersales-send-due-reviews": {
        "task": "saleor_aftersales.tasks.send_due_review_requests_task",
        "schedule": timedelta(hours=1),
    },
    "aftersales-staff-digest": {
        "task": "saleor_aftersales.tasks.send_staff_digest_task",
        "schedule": timedelta(days=1),
    },
    "aftersales-return-parcels": {
        "task": "saleor_aftersales.tasks.poll_return_parcels_task",
        "schedule": timedelta(minutes=30),
        "options": {"expires": 25 * 60},
    },
    "aftersales-purge": {
        "task": "saleor_aftersales.tasks.purge_old_data_task",
        "schedule": timedelta(days=1),
    },
}


def connect() -> None:
    """Register with every Celery app created so far and with every app finalized later.

    Saleor creates its app before Django sets up (``saleor/__init__.py``); a project that
    creates its app afterwards gets the entries when the app is finalized, which ``celery
    beat`` does before it reads the schedule. ``current_app`` is not touched here: reading
    it before the project's app exists would create Celery's fallback app, which other
    threads then take as theirs (their tasks would go to a broker nobody reads).
    """
    from celery._state import _get_active_apps, connect_on_app_finalize

    for app in list(_get_active_apps()):
        register(app)
    connect_on_app_finalize(register)


def register(app: Any = None) -> list[str]:
    """Add our entries to ``app``'s (default: the current Celery app's) beat schedule.

    Returns the names added; never raises (a broken Celery setup must not stop Django).
    """
    try:
        if app is None:
            from celery import current_app

            app = current_app._get_current_object()
        configured = dict(app.conf.beat_schedule or {})
        added = [name for name in BEAT_SCHEDULE if name not in configured]
        if added:
            app.conf.beat_schedule = {**BEAT_SCHEDULE, **configured}
            current = app.conf.beat_schedule
            if any(name not in current for name in added):
                # a namespaced setting (Django's CELERY_BEAT_SCHEDULE) shadows the assignment:
                # add to that very dict, which is what beat reads
                for name in added:
                    current[name] = BEAT_SCHEDULE[name]
        return added
    except Exception:
        logger.exception("aftersales: could not register the beat schedule")
        return []
