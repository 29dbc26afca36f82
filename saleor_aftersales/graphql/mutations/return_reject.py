"""aftersalesReturnReject: staff reject a return with a reason the shopper reads."""

from __future__ import annotations

import graphene

from ...hosts import get_host
from ...returns import service
from ..returns_types import AftersalesReturn, return_node
from .base import AftersalesMutation
from .return_base import line_names, refusals, staff_return
from .staff import PERMISSIONS_NOTE


class AftersalesReturnReject(AftersalesMutation):
    return_request = graphene.Field(AftersalesReturn)

    class Arguments:
        id = graphene.ID(required=True, description="The return's id.")
        reason = graphene.String(required=True, description="Shown to the shopper.")

    class Meta:
        description = (
            "Reject a requested or approved return (before its parcel is on the way). "
            + PERMISSIONS_NOTE
        )

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        request = staff_return(info, id)
        with refusals():
            request = service.reject(request.pk, reason)
        order = get_host().get_order(str(request.order_id))
        return cls(
            errors=[], return_request=return_node(request, staff=True, names=line_names(order))
        )
