"""A/B tests of subject lines: a variant per order and trigger, kept on the order.

A test runs for a trigger when the owner sets a variant-B subject (``email_subjects_b``).
The first message of that trigger for an order draws A or B (evenly, from a hash of order and
trigger) and stores it in ``TrackedOrder.ab_variants``, so repeats and later parcels of the
same order keep the variant. ``report`` counts sends, unique opens and clicks per variant.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q

from ..config import AftersalesConfig
from ..models import EngagementEvent, NotificationLog, TrackedOrder
from .settings import has_variant_b


def _draw(order_id: str, event: str) -> str:
    digest = hashlib.sha256(f"{order_id}:{event}".encode()).digest()
    return "B" if digest[0] & 1 else "A"


def variant_for(config: AftersalesConfig, order_id: str, event: str) -> str:
    """``"A"``/``"B"`` while a test runs for ``event`` (stored per order), else ``""``."""
    if not has_variant_b(config, event):
        return ""
    with transaction.atomic():
        tracked = TrackedOrder.objects.select_for_update().filter(order_id=order_id).first()
        if tracked is None:
            return _draw(order_id, event)
        variants = dict(tracked.ab_variants or {})
        if event not in variants:
            variants[event] = _draw(order_id, event)
            tracked.ab_variants = variants
            tracked.save(update_fields=["ab_variants", "updated_at"])
        return variants[event]


@dataclass(frozen=True)
class VariantStats:
    event: str
    variant: str
    sent: int
    opened: int
    clicked: int

    @property
    def open_rate(self) -> float:
        return self.opened / self.sent if self.sent else 0.0

    @property
    def click_rate(self) -> float:
        return self.clicked / self.sent if self.sent else 0.0


def report(channel_slug: str, event: str | None = None) -> list[VariantStats]:
    """Sends, unique opens and clicking messages per trigger and variant (tests only)."""
    logs = NotificationLog.objects.filter(
        channel_slug=channel_slug, state=NotificationLog.State.SENT
    ).exclude(variant="")
    if event:
        logs = logs.filter(event=event)
    opened = Q(engagement__kind=EngagementEvent.Kind.OPEN)
    clicked = Q(engagement__kind=EngagementEvent.Kind.CLICK)
    rows = (
        logs.values("event", "variant")
        .annotate(
            sent=Count("id", distinct=True),
            opened=Count("id", filter=opened, distinct=True),
            clicked=Count("id", filter=clicked, distinct=True),
        )
        .order_by("event", "variant")
    )
    return [VariantStats(**row) for row in rows]
