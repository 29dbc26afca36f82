"""Demo settings: embedded SQLite, Celery eager, emails written to ``demo/out/emails``."""

from __future__ import annotations

import os
from pathlib import Path

from saleor_aftersales.sandbox.settings_base import *  # noqa: F403

DEMO_DIR = Path(__file__).resolve().parent
OUT_DIR = Path(os.environ.get("AFTERSALES_DEMO_OUT", DEMO_DIR / "out"))
OUT_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = True
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": OUT_DIR / "demo.sqlite3"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(OUT_DIR / "emails")
CELERY_BROKER_URL = "memory://"
