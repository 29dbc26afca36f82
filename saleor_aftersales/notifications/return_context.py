"""Template variables of a return email: the return named in the message's idempotency key.

Return emails are queued with the scope ``<order id>:return:<return id>`` (one message per
trigger and return), so the key names the return; this reads it (the model is on the ground
floor, nothing of ``returns/`` is imported).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation

from ..hosts.base import OrderView
from ..models import NotificationLog, ReturnRequest

_RETURN = re.compile(r":return:(\d+):")


def return_scope(order_id: str, return_id: int) -> str:
    return f"{order_id}:return:{return_id}"


def return_context(log: NotificationLog, order: OrderView, language: str) -> dict[str, Any]:
    match = _RETURN.search(log.idempotency_key)
    request = (
        ReturnRequest.objects.filter(pk=int(match.group(1))).prefetch_related("lines").first()
        if match
        else None
    )
    if request is None:
        return {}
    lines = []
    for row in request.lines.all():
        line = order.line(row.line_id)
        # inspection notes are for staff: never in the shopper's email
        lines.append({"name": line.product_name if line else "", "quantity": row.quantity})
    with translation.override(language):
        return {
            "number": request.pk,
            "state": request.state,
            "state_label": str(request.get_state_display()),
            "resolution": request.resolution,
            "lines": lines,
            "reject_reason": request.reject_reason,
            "has_label": bool(request.label_url),
            "tracking_number": request.label_tracking_number,
            "gift_card_code": request.gift_card_code,
        }
