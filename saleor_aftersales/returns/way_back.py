"""The return parcel's way back, and returns the shop failed to resolve.

The prepaid label's parcel is a tracked parcel (``tracking.return_parcels``): the same
engine polls it (or takes pushes), with its back-off, circuit breaker and problem sweep.
Its status changes arrive here as ``core.signals.return_parcel_changed``: the first carrier
scan marks the return handed over, delivery to the shop marks it received (waiting for
staff's inspection, which stays authoritative). Returns received and inspected but not
resolved in the shop (it failed, e.g. its payment gateway) are resolved again, once, by the
beat task.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from ..core import signals
from ..core.parcel_status import ParcelStatus
from .errors import ReturnRefused
from .models import ReturnRequest, ReturnState
from .service import mark_arrived, mark_handed_over, resolve

logger = logging.getLogger(__name__)
KEY_PREFIX = "return-"


def parcel_key(request: ReturnRequest) -> str:
    """The return parcel's key (its ``Parcel.fulfillment_id``)."""
    return f"{KEY_PREFIX}{request.pk}"


def on_return_parcel(parcel, old_status: str = "") -> ReturnRequest | None:
    """Move the return of ``parcel`` on from its carrier news; never raises."""
    key = parcel.fulfillment_id or ""
    if not key.startswith(KEY_PREFIX) or not key[len(KEY_PREFIX) :].isdigit():
        return None
    pk = int(key[len(KEY_PREFIX) :])
    try:
        request = None
        if parcel.first_scan_at is not None:
            request = ReturnRequest.objects.filter(pk=pk).first()
            if request and request.state in (ReturnState.APPROVED, ReturnState.LABEL_CREATED):
                request = mark_handed_over(pk, now=parcel.first_scan_at)
        if parcel.status == ParcelStatus.DELIVERED:
            request = mark_arrived(pk, now=parcel.delivered_at)
        return request
    except (ReturnRefused, ReturnRequest.DoesNotExist):  # staff moved it on, or it is gone
        return None
    except Exception:
        logger.exception("aftersales: return parcel %s did not move its return", parcel.pk)
        return None


def _changed(sender, parcel, old_status: str = "", **kwargs) -> None:
    on_return_parcel(parcel, old_status)


def connect_signals() -> None:
    """Listen to the return parcels' news (from the app's ``ready``; idempotent)."""
    signals.return_parcel_changed.connect(_changed, dispatch_uid="aftersales-return-parcel")


def finish_received(host, *, older_than_minutes: int = 5, limit: int = 100) -> int:
    """Resolve inspected returns left received (the shop failed before); each effect once."""
    due = ReturnRequest.objects.filter(
        state=ReturnState.RECEIVED,
        host_return_id="",
        inspected_at__lte=timezone.now() - timedelta(minutes=older_than_minutes),
    ).values_list("pk", flat=True)[:limit]
    done = 0
    for pk in list(due):
        try:
            done += resolve(pk, host).state != ReturnState.RECEIVED
        except Exception:
            logger.exception("aftersales: return %s still not resolved", pk)
    return done
