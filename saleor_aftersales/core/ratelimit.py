"""Fixed-window rate limits in the shared cache, so every worker counts together.

When the shared cache fails (refused, stalled), limits are counted in this process instead
(:data:`shared_cache.local`): the gate still holds — at worst each worker process allows
``limit`` attempts per window on its own — and the caller never sees the cache's error.
"""

from __future__ import annotations

import hashlib
import time

from . import shared_cache
from .shared_cache import cache


def _key(scope: str, ident: str, window: int) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"aftersales:rl:{scope}:{digest}:{int(time.time() // window)}"


def _count(store, key: str, window: int) -> int:
    """Add one to ``key``'s counter in ``store`` (created for ``window`` s); the new count."""
    if store.add(key, 1, timeout=window + 1):
        return 1
    try:
        return int(store.incr(key))
    except ValueError:  # expired between add and incr: this is the window's first attempt
        store.set(key, 1, timeout=window + 1)
        return 1


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one attempt; return ``False`` once ``limit`` attempts in ``window`` s are spent.

    Never raises because of the cache (an outage counts in this process).
    """
    key = _key(scope, ident, window)
    count = shared_cache.attempt(
        lambda: _count(cache, key, window), lambda: _count(shared_cache.local, key, window)
    )
    return count <= limit


def release(scope: str, ident: str, *, window: int) -> None:
    """Give back one attempt counted by :func:`hit` (e.g. one that turned out right)."""
    key = _key(scope, ident, window)

    def give_back(store) -> None:
        try:
            store.decr(key)
        except ValueError:  # the window rolled over: nothing to give back
            pass

    shared_cache.attempt(lambda: give_back(cache), lambda: give_back(shared_cache.local))


def retry_after(window: int) -> int:
    """Seconds until the current window of ``window`` seconds ends (for ``Retry-After``)."""
    return max(1, int(window - time.time() % window))


def blocked(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Whether ``ident`` has used up its attempts, without counting one."""
    key = _key(scope, ident, window)
    used = shared_cache.attempt(lambda: cache.get(key), lambda: shared_cache.local.get(key))
    return (used or 0) >= limit


def client_ip(request) -> str:
    """The caller's address (REMOTE_ADDR; proxies must set it right, as in Saleor)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
