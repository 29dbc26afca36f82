"""Polling: which parcels are due, when to ask next, and one poll cycle in batches.

When a parcel is due next is :mod:`.schedule`'s concern.
"""

from __future__ import annotations

import logging
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ..config import AftersalesConfig
from ..core.bulk import bulk_update
from ..core.exceptions import CarrierError, CircuitOpen, RateLimited
from ..core.parcel_status import TERMINAL_STATUSES
from ..models import Parcel
from . import http
from .carriers import client_for
from .carriers.base import TrackingResult
from .schedule import can_poll

__all__ = ["can_poll", "poll_due_parcels"]

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=24)


def backoff(parcel: Parcel, now: datetime) -> datetime:
    """After a failed check: 15 min, 30 min, 1 h … up to a day, with jitter."""
    delay = timedelta(minutes=15) * (2 ** min(parcel.check_failures, 10))
    delay = min(delay, MAX_BACKOFF)
    return now + delay + timedelta(seconds=random.uniform(0, 60))  # noqa: S311


@dataclass
class PollStats:
    due: int = 0
    checked: int = 0
    updated: int = 0
    failed: int = 0
    deferred: int = 0
    calls: int = 0
    errors: list[str] = field(default_factory=list)


def claim_due(now: datetime, limit: int) -> list[Parcel]:
    """Lock and lease up to ``limit`` due parcels so no other worker takes them."""
    with transaction.atomic():
        parcels = list(
            Parcel.tracked.select_for_update(skip_locked=True)
            .filter(next_check_at__lte=now, next_check_at__isnull=False, push_updates=False)
            .exclude(status__in=TERMINAL_STATUSES)
            .order_by("next_check_at")[:limit]
        )
        if parcels:
            Parcel.tracked.filter(pk__in=[p.pk for p in parcels]).update(
                next_check_at=now + LEASE
            )
    return parcels


def _fetch(args) -> tuple[Parcel, TrackingResult | Exception | None]:
    """Ask the carrier about one parcel (runs in a thread: HTTP and cache only, no ORM)."""
    parcel, config, send = args
    client = client_for(parcel.carrier or None, config, send=send)
    if client is None:
        return parcel, None
    try:
        return parcel, client.track(parcel.carrier or None, parcel.tracking_number)
    except CarrierError as exc:
        return parcel, exc
    except Exception as exc:  # never let one parcel stop the cycle
        logger.exception("aftersales: tracking %s failed", parcel.pk)
        return parcel, exc


def poll_due_parcels(
    *,
    now: datetime | None = None,
    batch_size: int = 200,
    max_batches: int = 10,
    send: http.Send | None = None,
    workers: int = 4,
    get_config=None,
) -> PollStats:
    """One poll cycle: claim due parcels batch by batch, ask carriers, store the news.

    Carrier calls run on ``workers`` threads (HTTP and cache only); while one batch is
    being stored, the next batch is already being fetched.
    """
    from ..hosts import get_host

    get_config = get_config or get_host().get_config
    configs: dict[str, AftersalesConfig | None] = {}
    stats = PollStats()
    send = send or http.get_send()
    pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None
    pending = None
    try:
        for _ in range(max_batches):
            current = now or timezone.now()
            batch = claim_due(current, batch_size)
            stats.due += len(batch)
            jobs, unpollable = [], []
            for parcel in batch:
                slug = parcel.channel_slug
                if slug not in configs:
                    configs[slug] = get_config(slug)
                config = configs[slug]
                if config is None or not can_poll(parcel, config):
                    unpollable.append(parcel.pk)
                    continue
                jobs.append((parcel, config, send))
            if unpollable:  # no API can follow them: stop scheduling checks
                Parcel.tracked.filter(pk__in=unpollable).update(next_check_at=None)
            if pool is not None:
                fetching = [pool.submit(_fetch, job) for job in jobs]
            else:
                fetching = [_fetch(job) for job in jobs]
            if pending is not None:
                _store(*pending, configs, stats)
            pending = (current, fetching)
            if len(batch) < batch_size:
                break
        if pending is not None:
            _store(*pending, configs, stats)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return stats


def _store(current: datetime, fetching: list, configs: dict, stats: PollStats) -> None:
    """Store one fetched batch: news in bulk, rate limits deferred, failures backed off."""
    from .service import apply_results

    fetched = [f.result() if hasattr(f, "result") else f for f in fetching]
    ok = [(p, r, configs[p.channel_slug]) for p, r in fetched if isinstance(r, TrackingResult)]
    stats.calls += sum(r is not None and not isinstance(r, CircuitOpen) for _, r in fetched)
    if ok:
        before = {p.pk: p.status for p, _, _ in ok}
        try:
            apply_results(ok, now=current)
        except Exception as exc:  # logged; these parcels are retried later
            logger.exception("aftersales: storing a batch of carrier news failed")
            _failed([(parcel, exc) for parcel, _, _ in ok], current, stats)
        else:
            stats.checked += len(ok)
            stats.updated += sum(p.status != before[p.pk] for p, _, _ in ok)
    deferred: list[Parcel] = []
    failed: list[tuple[Parcel, Exception]] = []
    for parcel, result in fetched:
        if isinstance(result, (CircuitOpen, RateLimited)):
            wait = timedelta(seconds=(result.retry_after or 300) + random.uniform(0, 300))  # noqa: S311
            parcel.next_check_at = current + wait
            deferred.append(parcel)
        elif isinstance(result, Exception):
            failed.append((parcel, result))
    stats.deferred += len(deferred)
    bulk_update(deferred, ["next_check_at"])  # one statement, however many were deferred
    _failed(failed, current, stats)


def _failed(failed: list[tuple[Parcel, Exception]], now: datetime, stats: PollStats) -> None:
    """Back off parcels whose check failed (one statement for all of them)."""
    for parcel, exc in failed:
        stats.failed += 1
        stats.errors.append(f"{parcel.pk}: {exc}")
        parcel.check_failures += 1
        parcel.next_check_at = backoff(parcel, now)
        parcel.last_checked_at = now
    bulk_update([p for p, _ in failed], ["check_failures", "next_check_at", "last_checked_at"])
