"""Outbound HTTP for carrier APIs: one injectable ``send``, bounded in time and size.

A *send* function has the signature of ``requests.request`` reduced to what carriers need::

    send(method: str, url: str, *, headers: dict, params: dict | None, json: Any | None,
         timeout: float, stream: bool) -> response   # .status_code, .headers, .content

The host may supply it as ``Host.http_send`` (inside Saleor: Saleor's hardened
``HTTPClient.send_request``, which refuses private addresses); otherwise a ``requests``
session is used. :func:`request` guarantees, whatever the server does:

* **An overall deadline** (:data:`DEADLINE` s) across connecting, sending, reading and
  retries. A server that trickles its answer a byte at a time is cut off when it passes:
  the socket is shut down from a watchdog timer (the body's socket for any ``requests``
  based send; with the default send also while waiting for the headers). Raises
  :class:`DeadlineExceeded`.
* **A size limit** (:data:`MAX_BODY` bytes, after decompression) read as a stream: a larger
  answer raises :class:`ResponseTooLarge` without being held in memory.
* Retries with exponential backoff for connection errors, timeouts and 502/503/504 answers
  (within the deadline); other answers are returned as they are, body read.

Both errors are ``requests.RequestException``: carrier clients count them as failures of the
API (circuit breaker, back-off), like a 5xx.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

logger = logging.getLogger(__name__)

#: Seconds for connecting and for each read (shortened to what the deadline leaves).
TIMEOUT = 10.0
#: Seconds for a whole :func:`request`, retries included.
DEADLINE = 15.0
#: Largest answer read, in bytes (carrier answers are a few KiB).
MAX_BODY = 2 * 1024 * 1024
RETRIES = 2
BACKOFF = 0.25
RETRY_STATUSES = frozenset({502, 503, 504})
_CHUNK = 64 * 1024


class Response(Protocol):
    status_code: int
    headers: Any
    content: bytes


Send = Callable[..., Response]


class DeadlineExceeded(requests.Timeout):
    """The server did not finish answering within the overall deadline."""


class ResponseTooLarge(requests.RequestException):
    """The answer is larger than :data:`MAX_BODY` (``.response`` has its status)."""


_local = threading.local()


class _Watch:
    """Shuts down the sockets of one attempt when its deadline passes."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._cut)
        self._timer.daemon = True

    def __enter__(self) -> _Watch:
        _local.watch = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        _local.watch = None

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            _shutdown(sock)

    def add_response(self, response: Any) -> None:
        connection = getattr(getattr(response, "raw", None), "connection", None)
        self.add(getattr(connection, "sock", None))

    def _cut(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _WatchedHTTPConnection(HTTPConnection):
    """Lets the attempt's watchdog reach the socket while the headers are awaited."""

    def getresponse(self, *args, **kwargs):
        watch = getattr(_local, "watch", None)
        if watch is not None:
            watch.add(self.sock)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _Adapter(requests.adapters.HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


def _session() -> requests.Session:
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        # Without proxy variables, skip requests' per-call scan of the environment, but keep
        # what that scan would have found besides proxies: a custom CA bundle.
        session.trust_env = bool(urllib.request.getproxies())
        if not session.trust_env:
            bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
            if bundle:
                session.verify = bundle
        adapter = _Adapter(pool_connections=4, pool_maxsize=16)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        _local.session = session
    return session


def requests_send(
    method: str, url: str, *, headers=None, params=None, json=None, timeout: float = TIMEOUT,
    stream: bool = False,
) -> requests.Response:
    """The default send: a per-thread ``requests`` session (keep-alive), no redirects."""
    return _session().request(
        method, url, headers=headers, params=params, json=json, timeout=timeout,
        allow_redirects=False, stream=stream,
    )


def get_send() -> Send:
    """The host's ``http_send`` when it has one, else :func:`requests_send`."""
    from ..hosts import get_host

    return getattr(get_host(), "http_send", None) or requests_send


def _where(method: str, url: str) -> str:
    parts = urlsplit(url)
    return f"{method} {parts.scheme}://{parts.netloc}{parts.path}"  # no query (keys)


def _read_body(response: Any, max_bytes: int, where: str) -> None:
    """Read a streamed body into ``response.content``; :class:`ResponseTooLarge` if too big."""
    if not hasattr(response, "iter_content"):
        return  # a send that read the body itself
    status = getattr(response, "status_code", None)
    declared = str((response.headers or {}).get("Content-Length", ""))
    if declared.isdigit() and int(declared) > max_bytes:
        response.close()
        raise ResponseTooLarge(
            f"{where}: answer of {declared} bytes (HTTP {status}) is over {max_bytes}",
            response=response,
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            response.close()
            raise ResponseTooLarge(
                f"{where}: answer (HTTP {status}) is over {max_bytes} bytes", response=response
            )
        chunks.append(chunk)
    response._content = b"".join(chunks)
    response._content_consumed = True


def _attempt(send: Send, method: str, url: str, *, remaining: float, timeout: float,
             max_bytes: int, where: str, **kwargs) -> Response:
    """One try, cut off after ``remaining`` seconds."""
    with _Watch(remaining) as watch:
        try:
            response = send(method, url, timeout=min(timeout, remaining), stream=True, **kwargs)
            watch.add_response(response)
            _read_body(response, max_bytes, where)
        except ResponseTooLarge:
            raise
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            if watch.fired:
                raise DeadlineExceeded(f"{where}: no complete answer in time") from exc
            raise
    if watch.fired:  # the cut came just as the body ended
        raise DeadlineExceeded(f"{where}: no complete answer in time")
    return response


def request(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    params: dict[str, Any] | None = None,
    json: Any = None,
    timeout: float = TIMEOUT,
    retries: int = RETRIES,
    send: Send | None = None,
    sleep: Callable[[float], None] = time.sleep,
    deadline: float | None = None,
    max_bytes: int | None = None,
) -> Response:
    """Send with retries within ``deadline`` seconds (default :data:`DEADLINE`); the
    response's body is read, at most ``max_bytes`` (default :data:`MAX_BODY`).

    Raises ``requests.RequestException`` after the last failed try (connection errors,
    :class:`DeadlineExceeded`, :class:`ResponseTooLarge`).
    """
    send = send or get_send()
    deadline = DEADLINE if deadline is None else deadline
    max_bytes = MAX_BODY if max_bytes is None else max_bytes
    where = _where(method, url)
    ends = time.monotonic() + deadline
    attempt = 0
    while True:
        remaining = ends - time.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded(f"{where}: no complete answer in {deadline:g} s")
        try:
            response = _attempt(send, method, url, remaining=remaining, timeout=timeout,
                                max_bytes=max_bytes, where=where, headers=headers or {},
                                params=params, json=json)
        except (DeadlineExceeded, ResponseTooLarge):
            raise
        except (requests.ConnectionError, requests.Timeout) as exc:
            if attempt >= retries:
                raise
            logger.info("aftersales: %s failed (%s), retrying", where, exc)
            response = None
        else:
            if response.status_code not in RETRY_STATUSES or attempt >= retries:
                return response
        pause = BACKOFF * (2**attempt)
        if time.monotonic() + pause >= ends:  # no time for another try
            if response is not None:
                return response
            raise DeadlineExceeded(f"{where}: no complete answer in {deadline:g} s")
        sleep(pause)
        attempt += 1
