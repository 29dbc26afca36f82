"""A return label's parcel, tracked by the same engine as outbound parcels.

It is a :class:`~saleor_aftersales.models.Parcel` with ``direction = return``: polled (or
pushed), backed off, behind the carrier's circuit breaker and swept for problems like any
parcel; ``Parcel.objects`` leaves it out, so the shopper's timeline, progress, estimates,
messages and KPIs never count it as a delivery. Its status changes are announced as
``core.signals.return_parcel_changed``, which moves the return on.
"""

from __future__ import annotations

from datetime import datetime

from ..config import AftersalesConfig
from ..models import Parcel
from .numbers import tracking_url
from .service import clean_number, first_check_at


def track_return_parcel(
    key: str,
    *,
    order_id,
    channel_slug: str,
    tracking_number: str,
    carrier: str,
    config: AftersalesConfig,
    now: datetime,
    language: str = "en",
) -> Parcel:
    """Start following the return parcel ``key`` (e.g. ``return-42``); once per key."""
    parcel, created = Parcel.tracked.get_or_create(
        fulfillment_id=key,
        defaults={
            "order_id": order_id,
            "channel_slug": channel_slug,
            "direction": Parcel.Direction.RETURN,
            "carrier": carrier,
            "carrier_source": "method",
            "tracking_number": clean_number(tracking_number),
            "shipped_at": now,
        },
    )
    if created:
        parcel.tracking_url = tracking_url(carrier, parcel.tracking_number, language) or ""
        parcel.next_check_at = first_check_at(parcel, config, now)
        parcel.save(update_fields=["tracking_url", "next_check_at", "updated_at"])
    return parcel


def return_parcel_of(key: str) -> Parcel | None:
    """The tracked return parcel ``key``, if any."""
    return Parcel.tracked.filter(fulfillment_id=key, direction=Parcel.Direction.RETURN).first()
