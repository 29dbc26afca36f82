"""Test settings: real PostgreSQL (``DATABASE_URL``) and real Redis (``REDIS_URL``)."""

from __future__ import annotations

import os

import dj_database_url

from sandbox.settings_base import *  # noqa: F403

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aftersales"),
        conn_max_age=0,
    )
}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "aftersales-test",
        # a refusing or stalled Redis must cost at most this much per call (README: Cache)
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = REDIS_URL
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"saleor_aftersales": {"handlers": ["console"], "level": "WARNING"}},
}
