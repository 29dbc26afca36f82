"""Celery beat entries; a host merges ``BEAT_SCHEDULE`` into ``CELERY_BEAT_SCHEDULE``."""

from __future__ import annotations

from datetime import timedelta

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
    "aftersales-purge": {
        "task": "saleor_aftersales.tasks.purge_old_data_task",
        "schedule": timedelta(days=1),
    },
}
