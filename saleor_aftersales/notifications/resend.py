"""Staff send a shopper's message again (from the order's page in the dashboard).

A resend is a new message row (a new ``Message-ID``, its own opens and clicks) queued like
any other; repeated clicks within the same minute queue it once. A delay email keeps the
apology voucher of the original instead of creating a second one.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..hosts import get_host
from ..models import NotificationLog
from . import delivery


class ResendRefused(ValueError):
    """The message cannot be sent again; ``code`` is ``not_available``."""

    code = "not_available"


def resend(log: NotificationLog) -> NotificationLog | None:
    """Queue ``log``'s message again; ``None`` when the same resend was queued this minute."""
    if log.order_id is None or log.event == "staff_digest":
        raise ResendRefused("Only messages to a shopper can be sent again.")
    config = get_host().get_config(log.channel_slug)
    if config is None:
        raise ResendRefused("The plugin is not active in this channel.")
    scope = f"{log.order_id}:resend:{log.pk}:{timezone.now():%Y%m%d%H%M}"
    with transaction.atomic():
        new = delivery.queue(
            config,
            log.event,
            order_id=str(log.order_id),
            parcel=log.parcel,
            scope=scope,
            medium=log.medium,
        )
        if new is not None and log.voucher_code:
            new.voucher_code = log.voucher_code
            new.save(update_fields=["voucher_code"])
    return new
