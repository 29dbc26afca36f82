"""A circuit breaker per carrier API whose state lives in the shared cache.

Every worker sees the same state: after ``threshold`` failures in a row the circuit opens
for ``cooldown`` seconds and no call is made; then one probe may pass (half-open), and a
success closes it. A rate limit (HTTP 429) opens it until the time the API names — for
DHL, the next day.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from django.core.cache import cache

PREFIX = "aftersales:circuit"


class CircuitBreaker:
    """Shared breaker for one API (``name``, e.g. ``"dhl"``)."""

    def __init__(self, name: str, *, threshold: int = 5, cooldown: float = 120.0) -> None:
        self.name = name
        self.threshold = threshold
        self.cooldown = cooldown

    def _key(self, part: str) -> str:
        return f"{PREFIX}:{self.name}:{part}"

    def open_until(self) -> float | None:
        """Epoch seconds until which calls are refused, or ``None`` when closed."""
        until = cache.get(self._key("open_until"))
        return float(until) if until and float(until) > time.time() else None

    def allow(self) -> bool:
        """Whether a call may be made now (claims the single half-open probe)."""
        until = cache.get(self._key("open_until"))
        if until is None:
            return True
        if float(until) > time.time():
            return False
        # cooled down: let exactly one worker probe for a while
        return cache.add(self._key("probe"), 1, timeout=max(int(self.cooldown), 1))

    def record_success(self) -> None:
        cache.delete_many([self._key("failures"), self._key("open_until"), self._key("probe")])

    def record_failure(self) -> bool:
        """Count a failure; returns whether the circuit is now open."""
        key = self._key("failures")
        if cache.add(key, 1, timeout=3600):
            failures = 1
        else:
            try:
                failures = cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=3600)
                failures = 1
        if failures >= self.threshold:
            self.open_for(self.cooldown)
            return True
        return False

    def open_for(self, seconds: float) -> None:
        self.block_until(time.time() + seconds)

    def block_until(self, epoch: float) -> None:
        """Refuse calls until ``epoch`` (never shortens an existing block)."""
        current = cache.get(self._key("open_until"))
        epoch = max(epoch, float(current or 0))
        cache.set(self._key("open_until"), epoch, timeout=int(epoch - time.time()) + 3600)
        cache.delete(self._key("probe"))


def next_utc_midnight(now: float | None = None) -> float:
    """Epoch seconds of the next 00:00 UTC (DHL's daily quota resets then)."""
    current = datetime.fromtimestamp(now if now is not None else time.time(), tz=UTC)
    tomorrow = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return tomorrow.timestamp()
