"""Host methods over rows shaped like Saleor's, written once for both hosts: the sandbox's
models (``sandbox/models.py``) keep Saleor's field names, so the same queries serve both."""

from __future__ import annotations

from datetime import datetime

from .base import FulfillmentView


def fulfillment_views(fulfillments) -> tuple[FulfillmentView, ...]:
    """Views of fulfillment rows shaped like Saleor's (``lines`` of ``order_line_id`` and
    ``quantity``)."""
    return tuple(
        FulfillmentView(
            id=str(f.pk),
            status=f.status,
            tracking_number=f.tracking_number,
            created_at=f.created_at,
            lines=tuple((str(fl.order_line_id), fl.quantity) for fl in f.lines.all()),
        )
        for f in fulfillments
    )


def order_ids_page(
    orders,
    since: datetime,
    channel_slug: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[tuple[datetime, str]]:
    """``Host.order_ids_since`` over a queryset of non-draft orders (``created_at``, ``id``,
    ``channel__slug``)."""
    from django.db.models import Q

    orders = orders.filter(created_at__gte=since)
    if channel_slug:
        orders = orders.filter(channel__slug=channel_slug)
    if after is not None:
        at, last_id = after
        orders = orders.filter(Q(created_at__gt=at) | Q(created_at=at, id__gt=last_id))
    rows = orders.order_by("created_at", "id").values_list("created_at", "id")[:limit]
    return [(created_at, str(pk)) for created_at, pk in rows]


def fulfillment_order_id(fulfillments, fulfillment_id: str) -> str | None:
    """``Host.get_fulfillment_order_id`` over a queryset of fulfillments (``order_id``)."""
    try:
        value = (
            fulfillments.filter(pk=int(fulfillment_id)).values_list("order_id", flat=True).first()
        )
    except (TypeError, ValueError):
        return None
    return str(value) if value else None
