"""aftersalesParcelSetCarrier: staff choose the parcel's carrier (kept on later syncs)."""

from __future__ import annotations

import graphene

from ...config import CARRIER_CODES
from ...tracking import service
from ..errors import MutationError
from ..types import AftersalesParcelInfo
from .base import AftersalesMutation
from .staff import PERMISSIONS_NOTE, staff_parcel


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
        code = (carrier or "").strip().lower()
        if code not in CARRIER_CODES:
            raise MutationError(f"Unknown carrier code {carrier!r}.", "invalid", "carrier")
        service.set_carrier(parcel, code, _language(parcel))
        return cls(errors=[], parcel=parcel)


def _language(parcel) -> str:
    from ...models import TrackedOrder

    return (
        TrackedOrder.objects.filter(order_id=parcel.order_id)
        .values_list("language_code", flat=True)
        .first()
        or "en"
    )
