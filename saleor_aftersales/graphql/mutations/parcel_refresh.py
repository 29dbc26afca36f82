"""aftersalesParcelRefresh: ask the carrier about a parcel now."""

from __future__ import annotations

import graphene

from ...tracking import staff
from ..staff_types import AftersalesParcelInfo
from .base import AftersalesMutation
from .staff import PERMISSIONS_NOTE, parcel_action


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
        return cls(errors=[], parcel=parcel_action(info, id, staff.check_now))
