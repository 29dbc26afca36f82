"""The return parcel's way back: its carrier's first scan marks the return handed over; and
returns received but not resolved in the shop (it failed, e.g. its payment gateway) are
resolved again, once, by the same beat task.

The return label's shipment number is asked at the same carrier API (and through the same
client, deadline, circuit breaker and 429 back-off) as outbound parcels. Arrival at the shop
is left to staff: "received" comes with their inspection.
"""

from __future__ import annotations

import logging

from django.db.models import Q

from ..core.exceptions import CarrierError
from .errors import ReturnRefused
from .models import ReturnRequest, ReturnState
from .service import mark_handed_over

logger = logging.getLogger(__name__)

#: Statuses that mean the carrier has the parcel (anything after the label was made).
SCANNED = frozenset(
    {
        "in_transit",
        "out_for_delivery",
        "delivered",
        "ready_for_pickup",
        "exception",
        "failed_attempt",
        "returned",
    }
)


def poll_return_parcels(host, *, limit: int = 200) -> dict[str, int]:
    """Ask the carrier about return parcels not scanned yet; returns counts."""
    from ..tracking.carriers.dhl import DhlClient

    counts = {"checked": 0, "handed_over": 0, "failed": 0}
    due = (
        ReturnRequest.objects.filter(state=ReturnState.LABEL_CREATED)
        .exclude(Q(label_tracking_number=""))
        .order_by("label_created_at")[:limit]
    )
    configs: dict[str, object] = {}
    for request in due:
        if request.channel_slug not in configs:
            configs[request.channel_slug] = host.get_config(request.channel_slug)
        config = configs[request.channel_slug]
        client = DhlClient(config) if config is not None else None
        if client is None or not client.configured():
            continue
        counts["checked"] += 1
        try:
            result = client.track("dhl", request.label_tracking_number)
        except CarrierError as exc:
            counts["failed"] += 1
            logger.info("aftersales: return %s not tracked now: %s", request.pk, exc)
            continue
        scans = [e.occurred_at for e in result.events if e.status in SCANNED]
        if scans:
            try:
                mark_handed_over(request.pk, now=min(scans))
            except ReturnRefused:  # staff moved it on meanwhile
                continue
            counts["handed_over"] += 1
    return counts


def finish_received(host, *, older_than_minutes: int = 5, limit: int = 100) -> int:
    """Resolve returns left received (the shop failed before); each effect still once."""
    from datetime import timedelta

    from django.utils import timezone

    from .service import resolve

    due = ReturnRequest.objects.filter(
        state=ReturnState.RECEIVED,
        host_return_id="",
        received_at__lte=timezone.now() - timedelta(minutes=older_than_minutes),
    ).values_list("pk", flat=True)[:limit]
    done = 0
    for pk in list(due):
        try:
            done += resolve(pk, host).state != ReturnState.RECEIVED
        except Exception:
            logger.exception("aftersales: return %s still not resolved", pk)
    return done
