"""The Celery app of the sandbox (inside Saleor, Saleor's own app runs our shared tasks)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")

app = Celery("saleor_aftersales")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["saleor_aftersales"])
