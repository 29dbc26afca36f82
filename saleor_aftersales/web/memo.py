"""Rendered anonymous pages and widget bodies, kept per process for repeat views.

A repeat view of an order's anonymous status page renders the same HTML as the last one but
for two values: the CSP nonce (new on every response) and the reader's form token. Rendering
is most of a repeat view's time (Django's template engine), so the HTML is kept here with
placeholders for those two values (:data:`NONCE`, :data:`FORM_TOKEN`), which
:func:`fill` replaces per response. The widget's JSON is kept the same way (no placeholders).

* **Keys** are built by the views and always hold the status cache's stamp
  (:func:`..status.cache.current_stamp`: the channel's generation, the order's version, the
  configuration's fingerprint and the order's 60-second window) besides the URL asked for
  and the shop's date. A new stamp is a new key, so a change to the order, its FAQ or the
  settings is never answered from here; without a stamp (cache failing) nothing is kept.
* **Only anonymous views** are kept: a verified reader's page holds personal data and is
  always rendered fresh.
* **Bounded:** at most :data:`MAX_ENTRIES` entries per process (least recently used go
  first); an entry is about 30 KB, so the bound is a few MB. Entries of old stamps are never
  asked for again and age out.

Process-local on purpose: a shared cache would add a round trip and a copy of 30 KB to save
a render; each worker renders an order's page once per stamp.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

#: Placeholders rendered into a kept page instead of the response's own values (random per
#: process, so no page content can contain them by accident).
NONCE = f"nonce{secrets.token_hex(12)}"
FORM_TOKEN = f"form{secrets.token_hex(30)}"
MAX_ENTRIES = 256

T = TypeVar("T")


class Memo(Generic[T]):
    """A small thread-safe LRU map (Django may serve sync views from several threads)."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> T | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: T) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def key_for(
    request, order_id: str, stamp: tuple | None, *, verified: bool, extra: Hashable = None
) -> tuple | None:
    """What a kept copy of the response to ``request`` is filed under, or ``None`` when
    nothing may be kept: a verified reader (personal data) or no stamp (cache failing)."""
    if verified or stamp is None:
        return None
    return (order_id, stamp, request.get_full_path(), request.get_host(), extra)


def fill(html: str, *, nonce: str, form_token: str) -> str:
    """A kept page with this response's nonce and form token in place of the placeholders."""
    return html.replace(NONCE, nonce).replace(FORM_TOKEN, form_token)


#: (HTML with placeholders, language) of anonymous status pages
pages: Memo[tuple[str, str]] = Memo()
#: encoded JSON bodies of the widget's anonymous status
widget_bodies: Memo[bytes] = Memo()
