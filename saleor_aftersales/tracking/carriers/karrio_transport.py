"""What karrio's HTTP calls answered, and where they go.

karrio's extensions send their requests through ``karrio.core.utils.helpers.request``, which
turns an HTTP error into a body and drops its status. :func:`install` wraps the one function
that opens the connection (``_urlopen_with_span``) so that, while :func:`watch` is active for
a tracking number, the status and headers of every answer whose URL or body names that number
are recorded (karrio may send them from its own threads), and every request gets a timeout.
With a ``base_url``, those requests also go to that scheme and host.

:func:`rebase` points a gateway's API hosts elsewhere (a carrier's regional host, a loopback
test server): every ``…url`` property of its settings keeps its path and takes the new scheme
and host; the public tracking link (``tracking_url``) is left alone.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.error import HTTPError
from urllib.parse import urlsplit, urlunsplit

_lock = threading.Lock()
_active: dict[str, list[Call]] = {}
_installed = False
DEFAULT_TIMEOUT = 10.0
_KEEP = frozenset({"tracking_url", "carrier_tracking_link"})


@dataclass
class Call:
    """The HTTP answers seen for one tracking number during one ``watch``."""

    number: str
    timeout: float = DEFAULT_TIMEOUT
    base_url: str | None = None  # where requests naming the number go (hard-coded hosts)
    statuses: list[int] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> int | None:
        """The worst status seen (a 5xx over a 429 over a 4xx over a 2xx)."""
        if not self.statuses:
            return None
        return max(self.statuses, key=lambda s: (s >= 500, s == 429, s >= 400, s))

    def record(self, status: int, headers) -> None:
        self.statuses.append(int(status))
        try:
            self.headers.update({str(k): str(v) for k, v in dict(headers or {}).items()})
        except (TypeError, ValueError):
            pass


def _calls_for(request) -> list[Call]:
    url = getattr(request, "full_url", "") or ""
    data = getattr(request, "data", b"") or b""
    text = url + (data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data))
    with _lock:
        return [c for number, calls in _active.items() if number in text for c in calls]


def install() -> None:
    """Wrap karrio's connection opener once per process (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    from karrio.core.utils import helpers

    original = helpers._urlopen_with_span

    def urlopen(request, timeout=None):
        calls = _calls_for(request)
        limit = min([c.timeout for c in calls], default=DEFAULT_TIMEOUT)
        base = next((c.base_url for c in calls if c.base_url), None)
        if base:  # an extension that builds its tracking URL without its settings (bpost)
            request.full_url = _rebased(request.full_url, base)
        try:
            response = original(request, timeout=min(timeout or limit, limit))
        except HTTPError as exc:
            for call in calls:
                call.record(exc.code, exc.headers)
            raise
        for call in calls:
            call.record(getattr(response, "status", 200), getattr(response, "headers", {}))
        return response

    helpers._urlopen_with_span = urlopen


@contextmanager
def watch(number: str, timeout: float = DEFAULT_TIMEOUT, base_url: str | None = None):
    """Record the answers to requests that name ``number`` until the block ends (and send
    them to ``base_url``'s scheme and host, if given)."""
    install()
    call = Call(number, timeout, base_url=base_url)
    with _lock:
        _active.setdefault(number, []).append(call)
    try:
        yield call
    finally:
        with _lock:
            calls = _active.get(number, [])
            if call in calls:
                calls.remove(call)
            if not calls:
                _active.pop(number, None)


def _rebased(value, base: str):
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return value
    if value.startswith(base.rstrip("/") + "/"):
        return value  # a property built on another one that was already rebased
    new = urlsplit(base)
    old = urlsplit(value)
    path = new.path.rstrip("/") + old.path
    return urlunsplit((new.scheme, new.netloc, path, old.query, old.fragment))


def rebase(settings, base_url: str) -> None:
    """Send every API request of these karrio settings to ``base_url`` (scheme and host)."""
    cls = type(settings)
    names = [
        name
        for name in dir(cls)
        if name.endswith("url") and name not in _KEEP and isinstance(getattr(cls, name), property)
    ]

    def rebased(getter):
        return property(lambda self: _rebased(getter(self), base_url))

    overrides = {name: rebased(getattr(cls, name).fget) for name in names}
    settings.__class__ = type(cls.__name__, (cls,), overrides)
