"""Built status views, kept briefly in the shared cache for readers without personal data.

Every anonymous view of the status page (and of the widget's API) rebuilds the same
:class:`~saleor_aftersales.status.StatusView` from a dozen queries. This module keeps the
built views of an order in one cache entry for at most :data:`TTL` seconds:

* **What is cached:** only views built with ``verified=False`` — they hold no personal data
  by :mod:`status`'s contract. A verified reader always gets a fresh build.
* **Invalidation:** any write to the order's aftersales rows (parcels, events, milestones,
  problems, the tracked order, reviews) drops the order's entry after commit
  (:func:`forget`); FAQ changes start a new generation for the channel
  (:func:`forget_channel`). Model signals cover single-row saves (and FAQ deletes); bulk writes call
  :func:`forget` themselves. A change of the channel's configuration changes the key.
* **Staleness bound:** what Saleor changes without telling the plugin (stock, prices,
  publication of cross-sell products) reaches the page within :data:`TTL` seconds.

Uses Django's ``default`` cache (Redis in a Saleor deployment, so all processes agree).
A cache that fails is treated as a miss: the page is built as if there were no cache.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

from . import __version__
from .config import AftersalesConfig

logger = logging.getLogger(__name__)

TTL = 60
#: Fields no view shows: saves of only these keep the cached views.
UNSEEN_FIELDS = frozenset(
    {
        "next_check_at",
        "check_failures",
        "last_checked_at",
        "updated_at",
        "summary_hash",
        "notified_at",
    }
)
_PREFIX = "aftersales:status-view"


def entry_key(order_id: str) -> str:
    """The cache key of an order's views (benchmarks drop it to time a cold build)."""
    return f"{_PREFIX}:{order_id}"


def _channel_key(channel_slug: str) -> str:
    return f"{_PREFIX}:channel:{channel_slug}"


def _fingerprint(config: AftersalesConfig) -> str:
    """The configuration and the code's version: views pickled by another release (whose
    ``StatusView`` may have other fields) are never served."""
    text = f"{__version__}:{config!r}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def get_or_build(
    order_id: str, language: str | None, config: AftersalesConfig, build: Callable[[], object]
):
    """The cached anonymous view of ``order_id`` in ``language``, else ``build()``'s result.

    ``language`` is the language asked for (``None``: the order's own, which the entry
    remembers). ``build`` must return the view built with ``verified=False`` (or ``None`` for
    an unknown order or another channel, which is not cached).
    """
    key, channel_key = entry_key(order_id), _channel_key(config.channel_slug)
    try:
        found = cache.get_many([key, channel_key])
    except Exception:  # the cache is an optimisation: never let it break the page
        logger.warning("aftersales: status view cache unavailable", exc_info=True)
        return build()
    generation = found.get(channel_key) or _start_generation(channel_key)
    stamp = (generation, _fingerprint(config))
    entry = found.get(key)
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
    _safe(lambda: cache.set(key, entry, timeout=TTL))
    return view


def _start_generation(channel_key: str) -> str:
    """The channel's generation, started now if it has none (first writer wins)."""
    fresh = uuid.uuid4().hex
    try:
        if cache.add(channel_key, fresh, timeout=None):
            return fresh
        return cache.get(channel_key) or fresh
    except Exception:
        logger.warning("aftersales: status view cache unavailable", exc_info=True)
        return fresh


def forget(order_ids: Iterable[object]) -> None:
    """Drop the cached views of these orders once the current transaction commits."""
    keys = list({entry_key(str(order_id)) for order_id in order_ids if order_id})
    if keys:
        transaction.on_commit(lambda: _delete(keys))


def forget_channel(channel_slug: str) -> None:
    """Start a new generation for the channel (FAQ changes) once the transaction commits."""
    key = _channel_key(channel_slug)
    transaction.on_commit(lambda: _safe(lambda: cache.set(key, uuid.uuid4().hex, timeout=None)))


def _delete(keys: list[str]) -> None:
    _safe(lambda: cache.delete_many(keys))


def _safe(action: Callable[[], object]) -> None:
    try:
        action()
    except Exception:
        logger.warning("aftersales: status view cache unavailable", exc_info=True)


def connect_signals() -> None:
    """Drop cached views on single-row saves of what a view shows (FAQ: saves and deletes).

    Bulk writes send no signals; the code doing them calls :func:`forget` itself
    (``tracking.service``, ``tracking.problems``).
    """
    from django.db.models.signals import post_delete, post_save

    from .models import FaqEntry, Milestone, Parcel, Problem, Review, TrackedOrder

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
