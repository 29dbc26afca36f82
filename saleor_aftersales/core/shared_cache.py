"""Our one door to Django's ``default`` cache: an outage costs speed, never an answer.

The plugin's modules use :data:`cache`: Django's ``default`` cache as one instance per process.
Django's ``caches`` gives every request context its own backend instance, so under ASGI
(each request is a new context) ``RedisCache`` built a new connection pool per request: a
new TCP connection and handshake to Redis for every page view (7,108 connections for 7,080
requests in ``bench/load.py``). One instance keeps one pool per process (redis-py's pool is
thread-safe), and follows ``override_settings(CACHES=…)`` in tests.

Every read and write of the plugin's own cache entries goes through :func:`attempt`. When
the cache fails (connection refused, socket timeout, a bad pickle …) the failure is logged
and this process skips the cache for :data:`OUTAGE_SECONDS`: callers get their fallback at
once, so a stalled Redis costs one socket timeout per process per outage window instead of
one per call. The socket timeouts themselves come from ``CACHES['default']['OPTIONS']``
(``socket_connect_timeout``, ``socket_timeout``; see the README and ``aftersales.W002``).

What each caller falls back to is its own contract: the status view cache builds the view
(a miss), rate limits count in this process (:mod:`ratelimit`), carrier circuit breakers
keep their state per process (:mod:`tracking.circuit`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: After a failure, this process leaves the shared cache alone for this many seconds.
OUTAGE_SECONDS = 10.0

_down_until = 0.0

#: Per-process stand-in for state that must still hold during an outage (rate limits,
#: circuit breakers). Bounded: the oldest third is dropped when full.
local = LocMemCache("saleor-aftersales-outage", {"OPTIONS": {"MAX_ENTRIES": 100_000}})


_instance: BaseCache | None = None
_instance_lock = threading.Lock()


def default() -> BaseCache:
    """Django's ``default`` cache backend, one instance for this process."""
    global _instance
    if _instance is None:
        with _instance_lock:
            if _instance is None:
                _instance = _reusing_clients(caches.create_connection(DEFAULT_CACHE_ALIAS))
    return _instance


def _reusing_clients(backend: BaseCache) -> BaseCache:
    """Django's ``RedisCache`` builds a new ``redis.Redis`` (with its hundred response
    callbacks) for every call; keep one per connection pool (redis-py's clients are
    thread-safe). Other backends are returned as they are."""
    from django.core.cache.backends.redis import RedisCache

    inner = backend._cache if isinstance(backend, RedisCache) else None
    if inner is None or not hasattr(inner, "_get_connection_pool"):
        return backend
    made: dict[int, Any] = {}

    def get_client(key: Any = None, *, write: bool = False) -> Any:
        pool = inner._get_connection_pool(write)
        client = made.get(id(pool))
        if client is None:
            client = made[id(pool)] = inner._client(connection_pool=pool)
        return client

    inner.get_client = get_client
    return backend


class _ProcessCache:
    """``cache.get(…)`` etc. on :func:`default` (importable before settings are read)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(default(), name)


#: The ``default`` cache, shared by every request of this process.
cache: BaseCache = _ProcessCache()  # type: ignore[assignment]


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    global _instance
    if setting == "CACHES":
        _instance = None


setting_changed.connect(_settings_changed, dispatch_uid="saleor-aftersales-shared-cache")


def available() -> bool:
    """Whether this process currently uses the shared cache (no recent failure)."""
    return time.monotonic() >= _down_until


def attempt(action: Callable[[], T], fallback: Callable[[], T]) -> T:
    """``action()`` against the shared cache; ``fallback()`` if it fails or recently failed.

    Never raises what the cache raises (the fallback's own errors propagate).
    """
    if not available():
        return fallback()
    try:
        return action()
    except Exception:  # any cache failure: refused, timed out, protocol, pickling
        mark_down()
        return fallback()


def mark_down() -> None:
    """Record a failure: skip the shared cache for :data:`OUTAGE_SECONDS` (logged once)."""
    global _down_until
    if available():
        logger.warning(
            "aftersales: the shared cache failed; working without it for %.0f s",
            OUTAGE_SECONDS, exc_info=True,
        )
    _down_until = time.monotonic() + OUTAGE_SECONDS


def reset() -> None:
    """Forget a recorded outage and the local stand-in's entries (tests, after a fault)."""
    global _down_until
    _down_until = 0.0
    local.clear()
