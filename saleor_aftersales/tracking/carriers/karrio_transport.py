"""What karrio's HTTP calls answered, and where they go.

karrio's extensions send their requests through ``karrio.core.utils.helpers.request``, which
turns an HTTP error into a body and drops its status. :func:`install` wraps the one function
that opens the connection (``_urlopen_with_span``) so that, while :func:`watch` is active for
a tracking number, the status and headers of every answer whose URL or body names that number
are recorded (karrio may send them from its own threads), and every request gets a timeout.
With a ``base_url``, those requests also go to that scheme and host.

The limits of :mod:`..http` hold here too: a ``watch`` has an overall deadline
(:data:`..http.DEADLINE`, 15 s) across all its requests, enforced by shutting the sockets
down from a timer (a server that trickles its answer is cut off), and each answer's body,
an error's included, is read up to :data:`..http.MAX_BODY` bytes (2 MiB). The call then has
``failure`` set (:class:`..http.DeadlineExceeded` or :class:`..http.ResponseTooLarge`, both
raised into karrio too), which the client counts as a failure of the API, like a 5xx.

:func:`rebase` points a gateway's API hosts elsewhere (a carrier's regional host, a loopback
test server): every ``…url`` property of its settings keeps its path and takes the new scheme
and host; the public tracking link (``tracking_url``) is left alone.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import socket
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.error import HTTPError
from urllib.parse import urlsplit, urlunsplit

from .. import http as limits

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
    deadline: float = field(default_factory=lambda: time.monotonic() + limits.DEADLINE)
    failure: Exception | None = None  # the deadline passed or an answer was too large
    fired: bool = False
    _sockets: list[socket.socket] = field(default_factory=list, repr=False)

    def add_socket(self, sock: socket.socket | None) -> None:
        """Shut ``sock`` down when the deadline passes (at once if it has)."""
        if sock is None:
            return
        with _lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            _shutdown(sock)

    def cut(self) -> None:
        """The deadline passed: end every connection of this call."""
        with _lock:
            self.fired = True
            sockets, self._sockets = self._sockets, []
            self.failure = self.failure or limits.DeadlineExceeded(
                f"{self.number}: no complete answer within {limits.DEADLINE:g} s"
            )
        for sock in sockets:
            _shutdown(sock)

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

    helpers._urlopen_with_span = urlopen


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class Abort(Exception):  # not an OSError: karrio would retry those
    """A limit was hit (``args[0]``, also the call's ``failure``): stop, do not retry."""


_local = threading.local()  # this thread's watches, and the calls of its request in flight


class _WatchedHTTP(http.client.HTTPConnection):
    """Hands its socket to the watching calls as soon as it is connected."""

    def connect(self) -> None:
        super().connect()
        for call in getattr(_local, "calls", ()):
            call.add_socket(self.sock)


class _WatchedHTTPS(_WatchedHTTP, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_WatchedHTTP, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_WatchedHTTPS, req, context=self._context)


_opener = urllib.request.build_opener(_HTTPHandler, _HTTPSHandler)  # env proxies still apply


class _Answer:
    """An answer read in full (bounded): what karrio's helpers use of urllib's response."""

    def __init__(self, response, body: bytes) -> None:
        self.status = self.code = getattr(response, "status", 200)
        self.reason = getattr(response, "reason", "")
        self.headers = getattr(response, "headers", {})
        self.url = getattr(response, "url", None)
        self._body = body

    def read(self, *args) -> bytes:
        return self._body

    def getcode(self) -> int:
        return self.status

    def __enter__(self) -> _Answer:
        return self

    def __exit__(self, *exc) -> None:
        pass


def _read(response, calls: list[Call], where: str) -> bytes:
    """The body, at most ``MAX_BODY`` bytes, before the calls' deadline (else raise)."""
    declared = str((getattr(response, "headers", None) or {}).get("Content-Length", ""))
    chunks, size = [], 0
    try:
        if declared.isdigit() and int(declared) > limits.MAX_BODY:
            raise limits.ResponseTooLarge(f"{where}: answer of {declared} bytes is too large")
        while chunk := response.read(64 * 1024):
            size += len(chunk)
            if size > limits.MAX_BODY:
                raise limits.ResponseTooLarge(
                    f"{where}: answer over {limits.MAX_BODY} bytes (not read further)"
                )
            chunks.append(chunk)
    except limits.ResponseTooLarge as exc:
        for call in calls:
            call.failure = call.failure or exc
        raise Abort(exc) from exc
    except (OSError, http.client.HTTPException) as exc:
        _check_deadline(calls)
        raise OSError(f"{where}: {exc}") from exc
    finally:
        with contextlib.suppress(Exception):
            response.close()
    _check_deadline(calls)
    return b"".join(chunks)


def _check_deadline(calls: list[Call]) -> None:
    for call in calls:
        if call.fired or time.monotonic() >= call.deadline:
            if not call.fired:
                call.cut()
            raise Abort(call.failure)


def urlopen(request, timeout=None):
    """karrio's connection opener, bounded by the watching calls' deadline and size cap."""
    recorded = _calls_for(request)
    # a request that names no number (an OAuth token) counts against this thread's watches
    calls = recorded or list(getattr(_local, "watching", ())) or [Call("")]
    limit = min(c.timeout for c in calls)
    base = next((c.base_url for c in calls if c.base_url), None)
    if base:  # an extension that builds its tracking URL without its settings (bpost)
        request.full_url = _rebased(request.full_url, base)
    where = _where(request)
    _check_deadline(calls)
    left = min(c.deadline for c in calls) - time.monotonic()
    timers = [threading.Timer(max(c.deadline - time.monotonic(), 0.0), c.cut) for c in calls]
    for timer in timers:
        timer.daemon = True
        timer.start()
    _local.calls = calls
    try:
        try:
            response = _opener.open(request, timeout=max(min(timeout or limit, limit, left), 0.01))
        except HTTPError as exc:
            for call in recorded:
                call.record(exc.code, exc.headers)
            body = _read(exc, calls, where) if exc.fp is not None else b""
            raise HTTPError(exc.url, exc.code, exc.msg, exc.headers, io.BytesIO(body)) from None
        except OSError:
            _check_deadline(calls)
            raise
        for call in recorded:
            call.record(getattr(response, "status", 200), getattr(response, "headers", {}))
        return _Answer(response, _read(response, calls, where))
    finally:
        _local.calls = ()
        for timer in timers:
            timer.cancel()


def _where(request) -> str:
    parts = urlsplit(getattr(request, "full_url", "") or "")
    return f"{request.get_method()} {parts.scheme}://{parts.netloc}{parts.path}"  # no query


@contextmanager
def watch(number: str, timeout: float = DEFAULT_TIMEOUT, base_url: str | None = None):
    """Record the answers to requests that name ``number`` until the block ends (and send
    them to ``base_url``'s scheme and host, if given)."""
    install()
    call = Call(number, timeout, base_url=base_url)
    with _lock:
        _active.setdefault(number, []).append(call)
    watching = getattr(_local, "watching", None)
    if watching is None:
        watching = _local.watching = []
    watching.append(call)
    try:
        yield call
    finally:
        watching.remove(call)
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
