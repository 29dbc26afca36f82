"""Our status taxonomy: every carrier's statuses are mapped onto these."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParcelStatus(models.TextChoices):
    """Normalized parcel status, in rough order of progress."""

    PENDING = "pending", _("Awaiting tracking")
    LABEL_CREATED = "label_created", _("Label created")
    IN_TRANSIT = "in_transit", _("In transit")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
    FAILED_ATTEMPT = "failed_attempt", _("Delivery attempt failed")
    EXCEPTION = "exception", _("Problem with delivery")
    DELIVERED = "delivered", _("Delivered")
    RETURNED = "returned", _("Returned to sender")
    CANCELLED = "cancelled", _("Cancelled")


TERMINAL_STATUSES: frozenset[str] = frozenset(
    {ParcelStatus.DELIVERED, ParcelStatus.RETURNED, ParcelStatus.CANCELLED}
)

#: Statuses in which no delivery date is awaited any more (the parcel arrived, went back,
#: was cancelled or waits for the shopper to pick it up): such a parcel is never late.
NOT_AWAITED: frozenset[str] = TERMINAL_STATUSES | {ParcelStatus.READY_FOR_PICKUP}


def due_date(parcel) -> date | None:
    """The date a parcel should arrive by: the current estimate, else the date promised at
    shipment; ``None`` when unknown or when it is no longer awaited (:data:`NOT_AWAITED`).

    The one rule behind the shopper's "running late" (``timeline.is_delayed``) and the
    overdue problem (``tracking.problems.is_overdue``, after the channel's threshold).
    """
    if parcel.status in NOT_AWAITED:
        return None
    return parcel.estimated_delivery or parcel.promised_delivery


#: Progress rank; a later event with a lower rank does not move a parcel backwards,
#: except side paths (exception, failed attempt) which are always taken.
RANK: dict[str, int] = {
    ParcelStatus.PENDING: 0,
    ParcelStatus.LABEL_CREATED: 1,
    ParcelStatus.IN_TRANSIT: 2,
    ParcelStatus.EXCEPTION: 3,
    ParcelStatus.FAILED_ATTEMPT: 3,
    ParcelStatus.OUT_FOR_DELIVERY: 4,
    ParcelStatus.READY_FOR_PICKUP: 5,
    ParcelStatus.DELIVERED: 6,
    ParcelStatus.RETURNED: 6,
    ParcelStatus.CANCELLED: 6,
}

#: Statuses that are detours from the happy path (shown as side paths).
SIDE_PATH_STATUSES: frozenset[str] = frozenset(
    {
        ParcelStatus.EXCEPTION,
        ParcelStatus.FAILED_ATTEMPT,
        ParcelStatus.READY_FOR_PICKUP,
        ParcelStatus.RETURNED,
    }
)

#: Statuses that prove the carrier has the parcel in hand (a "first scan").
SCANNED_STATUSES: frozenset[str] = frozenset(
    s for s, rank in RANK.items() if rank >= RANK[ParcelStatus.IN_TRANSIT]
) - {ParcelStatus.CANCELLED}

#: Words in carrier texts (English and German) that reveal a status the code alone hides.
_TEXT_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (ParcelStatus.RETURNED, ("returned to sender", "return to sender", "rücksendung",
                             "zurück an den absender", "an den absender zurück")),
    (ParcelStatus.READY_FOR_PICKUP, ("ready for pickup", "ready for collection",
                                     "available for pickup", "zur abholung", "abholbereit",
                                     "packstation", "filiale")),
    (ParcelStatus.FAILED_ATTEMPT, ("attempt", "not at home", "nicht angetroffen",
                                   "benachrichtigungskarte", "zustellversuch")),
    (ParcelStatus.OUT_FOR_DELIVERY, ("out for delivery", "with delivery courier",
                                     "zustellfahrzeug", "in zustellung", "wird zugestellt")),
)


def status_from_text(text: str) -> str | None:
    """A status hinted by a carrier's free text (None when the text says nothing special)."""
    lowered = (text or "").lower()
    for status, words in _TEXT_HINTS:
        if any(word in lowered for word in words):
            return status
    return None


def advance(current: str, new: str | None) -> str:
    """The parcel status after an event: side paths always apply; delivered only ends in
    returned; an unknown (``None``) status changes nothing."""
    if not new or new == current:
        return current
    if current == ParcelStatus.CANCELLED:
        return current
    if current == ParcelStatus.DELIVERED and new != ParcelStatus.RETURNED:
        return current
    return new
