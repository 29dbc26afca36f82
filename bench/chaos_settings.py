"""Settings of the chaos run's worker (and of ``make chaos``): the test settings with the
broker, the cache and the queue the run gives in the environment, and short clocks."""

from __future__ import annotations

import os

from tests.settings import *  # noqa: F403

CELERY_BROKER_URL = os.environ.get("CHAOS_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CHAOS_QUEUE", "aftersales-chaos")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("CHAOS_REDIS_URL", REDIS_URL),  # noqa: F405
        "KEY_PREFIX": "aftersales-chaos",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
# Seconds instead of minutes: the run lasts minutes, not days.
CHAOS_CLOCKS = {
    "AFTERSALES_OUTBOX_GRACE": 3,
    "AFTERSALES_OUTBOX_RETRY_BASE": 1,
    "AFTERSALES_OUTBOX_RETRY_MAX": 4,
    "AFTERSALES_OUTBOX_MAX_ATTEMPTS": 100,
    "AFTERSALES_NOTIFICATION_RETRY_BASE": 1,
    "AFTERSALES_NOTIFICATION_RETRY_MAX": 4,
    "AFTERSALES_NOTIFICATION_MAX_ATTEMPTS": 100,
    "AFTERSALES_SMTP_TIMEOUT": 2,
}
globals().update(CHAOS_CLOCKS)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"saleor_aftersales": {"handlers": ["console"], "level": "WARNING"}},
}
