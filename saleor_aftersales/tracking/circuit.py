"""A circuit breaker per carrier API whose state lives in the shared cache.

Every worker sees the same state: after ``threshold`` failures in a row the circuit opens
for ``cooldown`` seconds and no call is made; then one probe may pass (half-open), and a
success closes it. A rate limit (HTTP 429) opens it until the time the API names — for
DHL, the next day.

Each process keeps a snapshot of the shared state for ``SNAPSHOT_SECONDS`` so a healthy
poll cycle costs one cache round trip per second, not two per call; a circuit opened by
another worker is seen within that time.

When the shared cache fails, the state is kept per process (:data:`shared_cache.local`):
breakers still open and close, each worker on its own, and a cache outage never fails a poll.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from ..core import shared_cache
from ..core.shared_cache import cache

PREFIX = "aftersales:circuit"
SNAPSHOT_SECONDS = 1.0

#: name → (monotonic expiry, failures, open_until epoch or None)
_snapshots: dict[str, tuple[float, int, float | None]] = {}


T = TypeVar("T")


def _do(operation: Callable[[Any], T]) -> T:
    """``operation(store)`` on the shared cache, or on this process's stand-in if it fails."""
    return shared_cache.attempt(lambda: operation(cache), lambda: operation(shared_cache.local))


def forget() -> None:
    """Drop this process's snapshots (tests, after clearing the cache)."""
    _snapshots.clear()


class CircuitBreaker:
    """Shared breaker for one API (``name``, e.g. ``"dhl"``)."""

    def __init__(self, name: str, *, threshold: int = 5, cooldown: float = 120.0) -> None:
        self.name = name
        self.threshold = threshold
        self.cooldown = cooldown

    def _key(self, part: str) -> str:
        return f"{PREFIX}:{self.name}:{part}"

    def _state(self) -> tuple[int, float | None]:
        snap = _snapshots.get(self.name)
        if snap and snap[0] > time.monotonic():
            return snap[1], snap[2]
        values = _do(lambda c: c.get_many([self._key("failures"), self._key("open_until")]))
        failures = int(values.get(self._key("failures")) or 0)
        until = values.get(self._key("open_until"))
        self._remember(failures, float(until) if until else None)
        return failures, float(until) if until else None

    def _remember(self, failures: int, until: float | None) -> None:
        _snapshots[self.name] = (time.monotonic() + SNAPSHOT_SECONDS, failures, until)

    def open_until(self) -> float | None:
        """Epoch seconds until which calls are refused, or ``None`` when closed."""
        _, until = self._state()
        return until if until and until > time.time() else None

    def allow(self) -> bool:
        """Whether a call may be made now (claims the single half-open probe)."""
        _, until = self._state()
        if until is None:
            return True
        if until > time.time():
            return False
        # cooled down: let exactly one worker probe for a while
        return _do(lambda c: c.add(self._key("probe"), 1, timeout=max(int(self.cooldown), 1)))

    def record_success(self) -> None:
        failures, until = self._state()
        if failures or until:
            _do(lambda c: c.delete_many(
                [self._key("failures"), self._key("open_until"), self._key("probe")]
            ))
            self._remember(0, None)

    def record_failure(self) -> bool:
        """Count a failure; returns whether the circuit is now open."""
        key = self._key("failures")

        def count(c) -> int:
            if c.add(key, 1, timeout=3600):
                return 1
            try:
                return int(c.incr(key))
            except ValueError:
                c.set(key, 1, timeout=3600)
                return 1

        failures = _do(count)
        _, until = self._state()
        self._remember(failures, until)
        if failures >= self.threshold:
            self.open_for(self.cooldown)
            return True
        return False

    def open_for(self, seconds: float) -> None:
        self.block_until(time.time() + seconds)

    def block_until(self, epoch: float) -> None:
        """Refuse calls until ``epoch`` (never shortens an existing block)."""
        def block(c) -> float:
            current = c.get(self._key("open_until"))
            until = max(epoch, float(current or 0))
            c.set(self._key("open_until"), until, timeout=int(until - time.time()) + 3600)
            c.delete(self._key("probe"))
            return until

        epoch = _do(block)
        failures = _snapshots.get(self.name, (0, 0, None))[1]
        self._remember(failures, epoch)


def next_utc_midnight(now: float | None = None) -> float:
    """Epoch seconds of the next 00:00 UTC (DHL's daily quota resets then)."""
    current = datetime.fromtimestamp(now if now is not None else time.time(), tz=UTC)
    tomorrow = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return tomorrow.timestamp()
