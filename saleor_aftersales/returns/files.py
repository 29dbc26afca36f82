"""Files a return keeps in Django's default storage (photos, label PDF, QR code), and
forgetting returns with them when their order is deleted."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.db import transaction

from .models import ReturnRequest

logger = logging.getLogger(__name__)


def stored_names(request: ReturnRequest) -> list[str]:
    names = list(request.photos or ())
    if request.label_url:
        names += [request.label_url, request.label_url.rsplit("/", 1)[0] + "/qr.png"]
    return names


def forget_returns(order_ids) -> int:
    """Delete the orders' returns now and their files once the transaction commits."""
    rows = ReturnRequest.objects.filter(order_id__in=list(order_ids))
    names = [name for request in rows for name in stored_names(request)]
    deleted = rows.delete()[1].get(ReturnRequest._meta.label, 0)

    def remove() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except Exception:  # a file already gone or a storage outage: rows are gone
                logger.warning("aftersales: could not delete %s", name, exc_info=True)

    transaction.on_commit(remove)
    return deleted
