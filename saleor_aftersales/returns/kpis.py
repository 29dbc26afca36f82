"""Return KPIs of a channel: return rate by product and by reason, days from request to
refund (or exchange, or credit), and the share of exchanges against refunds.

Returns count by when they were requested; delivered units by when their parcel arrived.
One host read per order involved (product names of its lines), for a staff report.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from .models import ReturnRequest, ReturnState

DEFAULT_PERIOD = timedelta(days=30)


@dataclass(frozen=True)
class ProductRate:
    product_name: str
    delivered: int
    returned: int

    @property
    def rate(self) -> float | None:
        return self.returned / self.delivered if self.delivered else None


@dataclass(frozen=True)
class ReturnKpis:
    channel_slug: str
    since: datetime
    until: datetime
    returns: int  # requested in the period, rejected ones included
    rejected: int
    units_returned: int  # in returns not rejected
    by_reason: dict[str, int]  # reason code (or reason page id) → units
    by_resolution: dict[str, int]  # refund / exchange / store_credit → returns not rejected
    by_product: tuple[ProductRate, ...]  # most returned first
    exchange_share: float | None  # exchanges / (exchanges + refunds)
    median_days_to_resolution: float | None  # request → refunded, exchanged or credited


def return_kpis(
    channel_slug: str, host, since: datetime | None = None, until: datetime | None = None
) -> ReturnKpis:
    from ..models import Parcel

    until = until or timezone.now()
    since = since or until - DEFAULT_PERIOD
    if since > until:
        raise ValueError("the period starts after it ends")
    requests = list(
        ReturnRequest.objects.filter(
            channel_slug=channel_slug, created_at__gte=since, created_at__lt=until
        ).prefetch_related("lines")
    )
    kept = [r for r in requests if r.state != ReturnState.REJECTED]
    parcels = list(
        Parcel.objects.filter(
            channel_slug=channel_slug,
            status="delivered",
            delivered_at__gte=since,
            delivered_at__lt=until,
        ).only("order_id", "lines")
    )
    names: dict[tuple[str, str], str] = {}
    for order_id in {str(p.order_id) for p in parcels} | {str(r.order_id) for r in kept}:
        order = host.get_order(order_id)
        for line in order.lines if order else ():
            names[(order_id, line.id)] = line.product_name
    delivered: Counter[str] = Counter()
    for parcel in parcels:
        for entry in parcel.lines or ():
            name = names.get((str(parcel.order_id), str(entry.get("line_id"))))
            if name:
                delivered[name] += int(entry.get("quantity") or 0)
    returned: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for request in kept:
        for line in request.lines.all():
            returned[names.get((str(request.order_id), line.line_id), "?")] += line.quantity
            reasons[line.reason_code or line.reason_reference] += line.quantity
    resolutions = Counter(r.resolution for r in kept)
    swaps, refunds = resolutions.get("exchange", 0), resolutions.get("refund", 0)
    days = [(r.resolved_at - r.created_at).total_seconds() / 86400 for r in kept if r.resolved_at]
    products = sorted(
        (
            ProductRate(name, delivered.get(name, 0), returned.get(name, 0))
            for name in set(delivered) | set(returned)
        ),
        key=lambda p: (-p.returned, p.product_name),
    )
    return ReturnKpis(
        channel_slug=channel_slug,
        since=since,
        until=until,
        returns=len(requests),
        rejected=len(requests) - len(kept),
        units_returned=sum(returned.values()),
        by_reason=dict(reasons.most_common()),
        by_resolution=dict(resolutions),
        by_product=tuple(products),
        exchange_share=swaps / (swaps + refunds) if swaps + refunds else None,
        median_days_to_resolution=round(statistics.median(days), 2) if days else None,
    )
