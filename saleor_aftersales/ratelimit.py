"""Fixed-window rate limits in the shared cache, so every worker counts together."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def _key(scope: str, ident: str, window: int) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"aftersales:rl:{scope}:{digest}:{int(time.time() // window)}"


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one attempt; return ``False`` once ``limit`` attempts in ``window`` s are spent."""
    key = _key(scope, ident, window)
    added = cache.add(key, 1, timeout=window + 1)
    count = 1 if added else cache.incr(key)
    return count <= limit


def blocked(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Whether ``ident`` has used up its attempts, without counting one."""
    return (cache.get(_key(scope, ident, window)) or 0) >= limit


def client_ip(request) -> str:
    """The caller's address (REMOTE_ADDR; proxies must set it right, as in Saleor)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
