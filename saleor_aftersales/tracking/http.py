"""Outbound HTTP for carrier APIs: one injectable ``send`` with timeouts and retries.

A *send* function has the signature of ``requests.request`` reduced to what carriers need::

    send(method: str, url: str, *, headers: dict, params: dict | None, json: Any | None,
         timeout: float) -> response   # .status_code, .headers, .content

The host may supply it as ``Host.http_send`` (inside Saleor: Saleor's hardened
``HTTPClient.send_request``, which refuses private addresses); otherwise a ``requests``
session is used. :func:`request` adds retries with exponential backoff for connection
errors, timeouts and 502/503/504 answers; other answers are returned as they are.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any, Protocol

import requests

logger = logging.getLogger(__name__)

TIMEOUT = 10.0
RETRIES = 2
BACKOFF = 0.25
RETRY_STATUSES = frozenset({502, 503, 504})


class Response(Protocol):
    status_code: int
    headers: Any
    content: bytes


Send = Callable[..., Response]

_local = threading.local()


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
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=16)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        _local.session = session
    return session


def requests_send(
    method: str, url: str, *, headers=None, params=None, json=None, timeout: float = TIMEOUT
) -> requests.Response:
    """The default send: a per-thread ``requests`` session (keep-alive), no redirects."""
    return _session().request(
        method, url, headers=headers, params=params, json=json, timeout=timeout,
        allow_redirects=False,
    )


def get_send() -> Send:
    """The host's ``http_send`` when it has one, else :func:`requests_send`."""
    from ..hosts import get_host

    return getattr(get_host(), "http_send", None) or requests_send


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
) -> Response:
    """Send with retries; raises ``requests.RequestException`` after the last failed try."""
    send = send or get_send()
    attempt = 0
    while True:
        try:
            response = send(method, url, headers=headers or {}, params=params, json=json,
                            timeout=timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            if attempt >= retries:
                raise
            logger.info("aftersales: %s %s failed (%s), retrying", method, url, exc)
        else:
            if response.status_code not in RETRY_STATUSES or attempt >= retries:
                return response
        sleep(BACKOFF * (2**attempt))
        attempt += 1
