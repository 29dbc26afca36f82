"""Built status views, kept briefly in the shared cache for readers without personal data.

Every anonymous view of the status page (and of the widget's API) rebuilds the same
:class:`~saleor_aftersales.status.types.StatusView` from a dozen queries. This module keeps the
built views of an order in one cache entry for at most :data:`TTL` seconds:

* **What is cached:** only views built with ``verified=False`` — they hold no personal data
  by the view's contract (:mod:`.types`). A verified reader always gets a fresh build.
* **Invalidation:** any write to the order's aftersales rows (parcels, events, milestones,
  problems, the tracked order, reviews) starts a new version of the order after commit
  (:func:`forget`), so entries stamped with the old one (even one written late by a build
  that raced the write) are never served; FAQ changes start a new generation for the channel
  (:func:`forget_channel`). Model signals cover single-row saves (and FAQ deletes); bulk writes call
  :func:`forget` themselves. A change of the channel's configuration changes the key.
* **Staleness bound:** what Saleor changes without telling the plugin (stock, prices,
  publication of cross-sell products) reaches the page within :data:`TTL` seconds: the
  stamp includes the order's current :data:`TTL`-second window (:func:`window`; its start
  is offset per order, so orders do not all expire at once), and an entry expires with it.
* **Validators:** :func:`current_stamp` (two small keys, no view) is what a conditional
  request (``ETag``/``304``) is decided on: the same stamp means the same view.

Uses Django's ``default`` cache (Redis in a Saleor deployment, so all processes agree).
A cache that fails is treated as a miss: the page is built as if there were no cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import time
import uuid
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.db import transaction

from .. import __version__
from ..config import FIELDS, AftersalesConfig
from ..core import shared_cache
from ..core.shared_cache import cache

TTL = 60
#: How long an order's version outlives its entry (a missing version starts a new one).
VERSION_TTL = 3600
#: Fields no view shows that single-row saves write (``save(update_fields=…)``): saves of
#: only these keep the cached views. Other bookkeeping is written with ``QuerySet.update``.
UNSEEN_FIELDS = frozenset({"next_check_at", "check_failures", "updated_at", "ab_variants"})
_PREFIX = "aftersales:status-view"


def entry_key(order_id: str) -> str:
    """The cache key of an order's views (benchmarks drop it to time a cold build)."""
    return f"{_PREFIX}:{order_id}"


def _channel_key(channel_slug: str) -> str:
    return f"{_PREFIX}:channel:{channel_slug}"


def _version_key(order_id: str) -> str:
    return f"{_PREFIX}:version:{order_id}"


#: Settings left out of the fingerprint: secrets never reach the cache, not even hashed.
_SECRET_FIELDS = frozenset(f.name for f in FIELDS if f.kind == "secret")


#: Fingerprints by config object (``parse_config`` returns one object per configuration).
_FINGERPRINTS: dict[int, tuple[AftersalesConfig, str, str]] = {}


def _fingerprint(config: AftersalesConfig) -> str:
    """The configuration (without secrets) and the code's version: views pickled by another
    release (whose ``StatusView`` may have other fields) are never served."""
    kept = _FINGERPRINTS.get(id(config))
    if kept is not None and kept[0] is config and kept[1] == __version__:
        return kept[2]
    if len(_FINGERPRINTS) >= 256:
        _FINGERPRINTS.clear()
    fingerprint = _compute_fingerprint(config)
    _FINGERPRINTS[id(config)] = (config, __version__, fingerprint)
    return fingerprint


def _compute_fingerprint(config: AftersalesConfig) -> str:
    values = [
        (f.name, getattr(config, f.name))
        for f in dataclasses.fields(config)
        if f.name not in _SECRET_FIELDS
    ]
    text = f"{__version__}:{_shape()}:{values!r}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@lru_cache(maxsize=1)
def _shape() -> str:
    """The view's dataclasses, where they live and their fields: a code change that moves or
    extends one (same version number, as in development) never unpickles an old view."""
    from . import types as status_types

    classes = [c for c in vars(status_types).values() if dataclasses.is_dataclass(c)]
    return ";".join(
        f"{c.__module__}.{c.__name__}:{','.join(f.name for f in dataclasses.fields(c))}"
        for c in sorted(classes, key=lambda c: c.__name__)
    )


def window(order_id: str, now: float | None = None) -> tuple[int, int]:
    """``(number, seconds left)`` of the order's current :data:`TTL`-second window."""
    offset = int.from_bytes(hashlib.blake2b(order_id.encode(), digest_size=2).digest()) % TTL
    position = (time.time() if now is None else now) + offset
    return int(position // TTL), max(math.ceil(TTL - position % TTL), 1)


def current_stamp(order_id: str, config: AftersalesConfig) -> tuple | None:
    """What the order's view is built from now: the channel's generation, the order's
    version, the configuration's fingerprint and the order's window. Equal stamps mean an
    equal anonymous view (and equal data in a verified one, within the window). ``None``
    when the cache fails: then nothing can be vouched for."""
    channel_key, version_key = _channel_key(config.channel_slug), _version_key(order_id)
    found = shared_cache.attempt(lambda: cache.get_many([channel_key, version_key]),
                                 lambda: None)
    if found is None:
        return None
    generation = found.get(channel_key) or _start_generation(channel_key, timeout=None)
    version = found.get(version_key) or _start_generation(version_key, timeout=VERSION_TTL)
    return (generation, version, _fingerprint(config), window(order_id)[0])


def get_or_build(
    order_id: str,
    language: str | None,
    config: AftersalesConfig,
    build: Callable[[], object],
    stamp: tuple | None = None,
):
    """The cached anonymous view of ``order_id`` in ``language``, else ``build()``'s result.

    ``language`` is the language asked for (``None``: the order's own, which the entry
    remembers). ``build`` must return the view built with ``verified=False`` (or ``None`` for
    an unknown order or another channel, which is not cached). ``stamp``: the
    :func:`current_stamp` the caller already read (read here otherwise).
    """
    key = entry_key(order_id)
    # the cache is an optimisation: when it fails (or failed recently) the page is built.
    # A view built while a write commits carries the version read before it: the write's
    # new version makes that entry stale, so a late ``cache.set`` can never resurrect it.
    stamp = stamp or current_stamp(order_id, config)
    if stamp is None:
        return build()
    entry = shared_cache.attempt(lambda: cache.get(key), lambda: None)
    if not isinstance(entry, dict) or entry.get("stamp") != stamp:
        entry = {"stamp": stamp, "views": {}}
    views = entry["views"]
    wanted = language or entry.get("order_language")
    if wanted and wanted in views:
        return views[wanted]
    view = build()
    if view is None or getattr(view, "personal", None) is not None:
        return view
    views[view.language_code] = view
    if language is None:
        entry["order_language"] = view.language_code
    _safe(lambda: cache.set(key, entry, timeout=window(order_id)[1]))
    return view


def _start_generation(key: str, timeout: int | None) -> str:
    """The generation stored under ``key``, started now if it has none (first writer wins)."""
    fresh = uuid.uuid4().hex

    def start() -> str:
        if cache.add(key, fresh, timeout=timeout):
            return fresh
        return cache.get(key) or fresh

    return shared_cache.attempt(start, lambda: fresh)


def forget(order_ids: Iterable[object]) -> None:
    """Make the cached views of these orders stale once the current transaction commits
    (a new version per order: views built before the commit are never served again)."""
    keys = {_version_key(str(order_id)) for order_id in order_ids if order_id}
    if keys:
        transaction.on_commit(lambda: _new_versions(keys))


def forget_channel(channel_slug: str) -> None:
    """Start a new generation for the channel (FAQ changes) once the transaction commits."""
    key = _channel_key(channel_slug)
    transaction.on_commit(lambda: _safe(lambda: cache.set(key, uuid.uuid4().hex, timeout=None)))


def _new_versions(keys: set[str]) -> None:
    _safe(lambda: cache.set_many({k: uuid.uuid4().hex for k in keys}, timeout=VERSION_TTL))


def _safe(action: Callable[[], object]) -> None:
    shared_cache.attempt(action, lambda: None)


def connect_signals() -> None:
    """Drop cached views on single-row saves of what a view shows (FAQ: saves and deletes).

    Bulk writes send no signals; the code doing them calls :func:`forget` itself
    (``tracking.service``, also for the problems it resolves).
    """
    from django.db.models.signals import post_delete, post_save

    from ..models import FaqEntry, Milestone, Parcel, Problem, Review, TrackedOrder

    def order_row_changed(sender, instance, update_fields=None, **kwargs) -> None:
        if update_fields and set(update_fields) <= UNSEEN_FIELDS:
            return  # polling bookkeeping: nothing the shopper sees
        forget([instance.order_id])

    def faq_changed(sender, instance, **kwargs) -> None:
        forget_channel(instance.channel_slug)

    # Saves only: a receiver on post_delete would make Django delete cascades row by row
    # (the retention purge); purged rows belong to old orders whose views expire anyway.
    for model in (TrackedOrder, Parcel, Milestone, Problem, Review):
        post_save.connect(
            order_row_changed,
            sender=model,
            weak=False,
            dispatch_uid=f"aftersales-status-cache-{model.__name__}",
        )
    for signal in (post_save, post_delete):
        signal.connect(
            faq_changed,
            sender=FaqEntry,
            weak=False,
            dispatch_uid=f"aftersales-status-cache-faq-{signal}",
        )
