"""Queue a return's email through the notifications pipeline (consent, idempotency, retry).

One message per trigger and return (scope ``<order>:return:<id>``); the send task re-checks
the switches when it runs. Never raises: a return is never lost over an email.
"""

from __future__ import annotations

import logging

from .models import ReturnRequest

logger = logging.getLogger(__name__)

TRIGGERS = {
    "requested": "return_requested",
    "approved": "return_approved",
    "label_created": "return_approved",
    "rejected": "return_rejected",
    "received": "return_received",
    "refunded": "return_resolved",
    "exchanged": "return_resolved",
    "credited": "return_resolved",
}


def queue_for(request: ReturnRequest, config=None) -> None:
    """Queue the email of the request's current state (in the caller's transaction, in a
    savepoint: a failure here never breaks the return)."""
    event = TRIGGERS.get(request.state)
    if not event:
        return
    try:
        from django.db import transaction

        from ..hosts import get_host
        from ..notifications import delivery
        from ..notifications.return_context import return_scope

        config = config or get_host().get_config(request.channel_slug)
        if config is None or event not in config.enabled_email_events:
            return
        with transaction.atomic():
            delivery.queue(
                config,
                event,
                order_id=str(request.order_id),
                scope=return_scope(str(request.order_id), request.pk),
            )
    except Exception:
        logger.exception("aftersales: could not queue %s for return %s", event, request.pk)
