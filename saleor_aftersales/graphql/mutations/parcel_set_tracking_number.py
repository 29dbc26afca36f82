"""aftersalesParcelSetTrackingNumber: staff fix a mistyped tracking number."""

from __future__ import annotations

import graphene

from ...tracking import staff
from ..staff_types import AftersalesParcelInfo
from .base import AftersalesMutation
from .staff import PERMISSIONS_NOTE, parcel_action

MAX_LENGTH = staff.MAX_NUMBER_LENGTH


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
        parcel = parcel_action(info, id, staff.correct_tracking_number, tracking_number)
        return cls(errors=[], parcel=parcel)
