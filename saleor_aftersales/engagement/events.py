"""Record what shoppers do (page views, buy again, reviews) as engagement events."""

from __future__ import annotations

from typing import Any

from ..core import bulk
from ..models import EngagementEvent
from .text import clean

Kind = EngagementEvent.Kind


def record(
    kind: str,
    *,
    order_id: str | None,
    channel_slug: str,
    target: str = "",
    notification: Any = None,
    variant: str = "",
) -> None:
    """Store one engagement event (``kind`` is an ``EngagementEvent.Kind`` value); the
    target is stored on one line without control characters (:func:`.text.clean`).
    ``notification``: the ``NotificationLog`` an email event belongs to, ``variant`` its A/B
    subject variant."""
    if kind not in Kind.values:
        raise ValueError(f"unknown engagement kind {kind!r}")
    # one plain INSERT (every page view writes one): no RETURNING, no model signals, and
    # no wait for the WAL flush (a count, not an order: only a database crash can lose it)
    bulk.insert(
        EngagementEvent(
            order_id=order_id,
            channel_slug=channel_slug,
            kind=kind,
            target=clean(target)[:2048],
            notification=notification,
            variant=variant,
        ),
        synchronous=False,
    )
