"""Demo settings: an embedded PostgreSQL server, LocMem cache, eager Celery, an email outbox.

``python -m demo.run`` starts the embedded server (``demo/out/pg``, unix socket only) and
sets ``AFTERSALES_DEMO_PGHOST`` to its socket directory before Django loads these settings.
Commands that need no database (``makemigrations``, ``compilemessages``) run on the dummy
backend when no demo server is running.

Environment: ``AFTERSALES_DEMO_OUT`` (data, outbox; default ``demo/out``),
``AFTERSALES_DEMO_HOST`` / ``AFTERSALES_DEMO_PORT`` (default 127.0.0.1:8000).
"""

from __future__ import annotations

import os
from pathlib import Path

from sandbox.settings_base import *  # noqa: F403
from sandbox.settings_base import INSTALLED_APPS, MIDDLEWARE

DEMO_DIR = Path(__file__).resolve().parent
OUT_DIR = Path(os.environ.get("AFTERSALES_DEMO_OUT") or DEMO_DIR / "out").resolve()
PGDATA = OUT_DIR / "pg"
OUTBOX_DIR = OUT_DIR / "emails"
DEMO_HOST = os.environ.get("AFTERSALES_DEMO_HOST") or "127.0.0.1"
DEMO_PORT = int(os.environ.get("AFTERSALES_DEMO_PORT") or 8000)

DEBUG = False  # the demo shows the plugin's own error pages, as a shop would
ROOT_URLCONF = "demo.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
MIDDLEWARE = [*MIDDLEWARE, "django.middleware.csrf.CsrfViewMiddleware"]

_socket_dir = os.environ.get("AFTERSALES_DEMO_PGHOST") or (
    str(PGDATA) if (PGDATA / ".s.PGSQL.5432").exists() else ""
)
DATABASES = {
    "default": (
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "aftersales_demo",
            "USER": "postgres",
            "HOST": _socket_dir,
            "PORT": "5432",
        }
        if _socket_dir
        else {"ENGINE": "django.db.backends.dummy"}
    )
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = ["aftersales.W001"]  # one process: a per-process cache is right here

# Celery runs every task in the process (the sandbox app is loaded by demo.run)
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False  # a failing task is logged, as a worker would

EMAIL_BACKEND = "demo.outbox.OutboxBackend"
DEFAULT_FROM_EMAIL = "service@shop.example.com"
AFTERSALES_PUBLIC_URL = f"http://{DEMO_HOST}:{DEMO_PORT}"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "saleor_aftersales": {"handlers": ["console"], "level": "WARNING"},
        "demo": {"handlers": ["console"], "level": "INFO"},
    },
}
