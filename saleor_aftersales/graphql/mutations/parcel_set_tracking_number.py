"""aftersalesParcelSetTrackingNumber: staff fix a mistyped tracking number."""

from __future__ import annotations

import graphene
from django.db import transaction
from django.utils import timezone

from ...hosts import get_host
from ...tracking import service
from ...tracking.numbers import tracking_url
from ...tracking.statuses import ParcelStatus
from ..errors import MutationError
from ..types import AftersalesParcelInfo
from .base import AftersalesMutation
from .parcel_set_carrier import _language
from .staff import PERMISSIONS_NOTE, staff_parcel

MAX_LENGTH = 255


class AftersalesParcelSetTrackingNumber(AftersalesMutation):
    parcel = graphene.Field(AftersalesParcelInfo)

    class Arguments:
        id = graphene.ID(required=True, description="The parcel's id.")
        tracking_number = graphene.String(required=True, description="The correct number.")

    class Meta:
        description = (
            "Correct a parcel's tracking number, in Saleor's fulfillment too. Events of the "
            "wrong number are dropped, the carrier is detected again (unless staff chose it) "
            "and the parcel is checked soon. " + PERMISSIONS_NOTE
        )

    @classmethod
    def perform_mutation(cls, _root, info, id, tracking_number):
        parcel = staff_parcel(info, id)
        number = service.clean_number(tracking_number)
        if not number:
            raise MutationError("Enter the tracking number.", "required", "trackingNumber")
        if len(number) > MAX_LENGTH or not number.isprintable() or any(
            ch.isspace() for ch in number
        ):
            raise MutationError("Not a tracking number.", "invalid", "trackingNumber")
        if parcel.status == ParcelStatus.CANCELLED:
            raise MutationError("The parcel was cancelled.", "not_available", "id")
        host = get_host()
        config = host.get_config(parcel.channel_slug)
        if config is None:
            raise MutationError("The plugin is not active in this channel.", "not_available")
        order = host.get_order(str(parcel.order_id))
        with transaction.atomic():
            if not host.set_fulfillment_tracking_number(parcel.fulfillment_id, number):
                raise MutationError("The fulfillment no longer exists.", "not_found", "id")
            if number != parcel.tracking_number:
                parcel.events.all().delete()
                parcel.tracking_number = number
                parcel.status = ParcelStatus.PENDING
                parcel.status_detail = ""
                parcel.first_scan_at = parcel.delivered_at = parcel.last_event_at = None
                if parcel.carrier_source != "staff":
                    parcel.carrier, parcel.carrier_source = service.choose_carrier(
                        number, order.shipping_method_name if order else "", config
                    )
            parcel.tracking_url = tracking_url(
                parcel.carrier, number, _language(parcel)
            ) or ""
            parcel.check_failures = 0
            parcel.next_check_at = service.first_check_at(parcel, config, timezone.now())
            parcel.save()
        return cls(errors=[], parcel=parcel)
