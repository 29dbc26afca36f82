"""aftersalesReturnMarkReceived: the parcel is back; resolve the return in the shop once."""

from __future__ import annotations

import graphene

from ...hosts import get_host
from ...returns import service
from ..returns_types import AftersalesReturn, return_node
from .base import AftersalesMutation
from .return_base import line_names, refusals, staff_return
from .staff import PERMISSIONS_NOTE


class AftersalesInspectionInput(graphene.InputObjectType):
    line_id = graphene.String(required=True)
    note = graphene.String(required=True, description="What staff found, up to 2000 characters.")


class AftersalesReturnMarkReceived(AftersalesMutation):
    return_request = graphene.Field(AftersalesReturn)

    class Arguments:
        id = graphene.ID(required=True, description="The return's id.")
        lines = graphene.List(
            graphene.NonNull(AftersalesInspectionInput), description="An inspection note per line."
        )

    class Meta:
        description = (
            "Mark an approved return received, with inspection notes, and carry it through "
            "the shop: its return with the reasons, then the refund, the replacement order "
            "or the gift card. Sent twice, nothing happens twice. " + PERMISSIONS_NOTE
        )

    @classmethod
    def perform_mutation(cls, _root, info, id, lines=None):
        request = staff_return(info, id)
        notes = {str(li.line_id): str(li.note) for li in lines or ()}
        host = get_host()
        with refusals():
            request = service.mark_received(request.pk, host, notes)
        order = host.get_order(str(request.order_id))
        return cls(
            errors=[], return_request=return_node(request, staff=True, names=line_names(order))
        )
