"""aftersalesParcelSetCarrier: staff choose the parcel's carrier (kept on later syncs)."""

from __future__ import annotations

import graphene

from ...config import CARRIER_CODES
from ...tracking import staff
from ..errors import MutationError
from ..staff_types import AftersalesParcelInfo
from .base import AftersalesMutation
from .staff import PERMISSIONS_NOTE, staff_parcel

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
        parcel = staff_parcel(info, id)
        try:
            staff.choose_carrier(parcel, carrier)
        except staff.StaffActionError as exc:
            raise MutationError(exc.message, exc.code, exc.field) from exc
        return cls(errors=[], parcel=parcel)
