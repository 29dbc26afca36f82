"""Our status taxonomy: every carrier's statuses are mapped onto these."""

from __future__ import annotations

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
