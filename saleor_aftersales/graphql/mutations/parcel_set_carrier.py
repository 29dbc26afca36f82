"""aftersalesParcelSetCarrier: staff choose the parcel's carrier (kept on later syncs)."""

from __future__ import annotations

import graphene

from ...config import CARRIER_CODES
from ...tracking import staff
from ..staff_types import AftersalesParcelInfo
from .base import AftersalesMutation
from .staff import PERMISSIONS_NOTE, parcel_action

_language = staff.parcel_language  # kept for importers


class AftersalesParcelSetCarrier(AftersalesMutation):
    parcel = graphene.Field(AftersalesParcelInfo)

    class Arguments:
        id = graphene.ID(required=True, description="The parcel's id.")
        carrier = graphene.String(
            required=True, description="Carrier code: " + ", ".join(CARRIER_CODES) + "."
        )

    class Meta:
        description = (
            "Set the carrier of a parcel; the tracking link is rebuilt and the parcel is "
            "checked again soon. " + PERMISSIONS_NOTE
        )

    @classmethod
    def perform_mutation(cls, _root, info, id, carrier):
        return cls(errors=[], parcel=parcel_action(info, id, staff.choose_carrier, carrier))
