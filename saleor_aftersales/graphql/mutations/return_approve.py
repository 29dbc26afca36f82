"""aftersalesReturnApprove: staff approve a requested return."""

from __future__ import annotations

import graphene

from ...hosts import get_host
from ...returns import service
from ..returns_types import AftersalesReturn, return_node
from .base import AftersalesMutation
from .return_base import line_names, refusals, staff_return
from .staff import PERMISSIONS_NOTE


class AftersalesReturnApprove(AftersalesMutation):
    return_request = graphene.Field(AftersalesReturn)

    class Arguments:
        id = graphene.ID(required=True, description="The return's id.")

    class Meta:
        description = "Approve a requested return (again: no change). " + PERMISSIONS_NOTE

    @classmethod
    def perform_mutation(cls, _root, info, id):
        request = staff_return(info, id)
        with refusals():
            request = service.approve(request.pk, get_host())
        order = get_host().get_order(str(request.order_id))
        return cls(
            errors=[], return_request=return_node(request, staff=True, names=line_names(order))
        )
