"""aftersalesParcelRefresh: ask the carrier about a parcel now."""

from __future__ import annotations

import graphene

from ...tracking import staff
from ..errors import MutationError
from ..staff_types import AftersalesParcelInfo
from .base import AftersalesMutation
from .staff import PERMISSIONS_NOTE, staff_parcel


class AftersalesParcelRefresh(AftersalesMutation):
    parcel = graphene.Field(AftersalesParcelInfo)

    class Arguments:
        id = graphene.ID(required=True, description="The parcel's id.")

    class Meta:
        description = (
            "Check the parcel with its carrier now (in the background; nextCheckAt tells "
            "when). " + PERMISSIONS_NOTE
        )

    @classmethod
    def perform_mutation(cls, _root, info, id):
        parcel = staff_parcel(info, id)
        try:
            staff.check_now(parcel)
        except staff.StaffActionError as exc:
            raise MutationError(exc.message, exc.code, exc.field) from exc
        return cls(errors=[], parcel=parcel)
