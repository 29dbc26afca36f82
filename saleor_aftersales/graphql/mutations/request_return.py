"""requestReturn: the verified shopper returns delivered items of an order."""

from __future__ import annotations

import graphene
from django.utils import translation
from django.utils.translation import gettext as _

from ...hosts import get_host
from ...returns import service
from ...returns.errors import ReturnRefused
from ...returns.views import shopper_return
from ..errors import MutationError
from ..multipart import Upload
from ..returns_types import AftersalesReturn, return_node
from ..shopper import is_verified
from .base import AftersalesMutation, shopper_order
from .return_base import as_mutation_error, line_names


class AftersalesReturnLineInput(graphene.InputObjectType):
    line_id = graphene.String(required=True, description="The order line (lines[].lineId).")
    quantity = graphene.Int(required=True)
    reason = graphene.String(required=True, description="A reason id from returnOptions.")
    exchange_variant_id = graphene.String(description="For an exchange: the variant wanted.")


class AftersalesReturnInput(graphene.InputObjectType):
    lines = graphene.List(graphene.NonNull(AftersalesReturnLineInput), required=True)
    resolution = graphene.String(required=True, description="refund, exchange or store_credit.")
    comment = graphene.String(description="Optional, up to 2000 characters.")
    method = graphene.String(
        description="label, address or store (returnOptions.methods); default: the label "
        "where the shop can make one, else the return address."
    )


class AftersalesRequestReturn(AftersalesMutation):
    return_request = graphene.Field(
        AftersalesReturn, description="The new return; on a double submit, the first one."
    )

    class Arguments:
        token = graphene.String(required=True, description="The status token.")
        unlock_token = graphene.String(description="From verifyOrderAccess (or the header).")
        language = graphene.String(description="en or de; default: the order's language.")
        input = AftersalesReturnInput(required=True)
        photos = graphene.List(
            Upload,
            description="Up to 3 JPEG, PNG or WebP photos of at most 5 MB, sent as a multipart "
            "request (graphql-multipart-request-spec); only staff see them.",
        )

    class Meta:
        description = (
            "Return delivered items (after verifyOrderAccess). Refused with a message in the "
            "shopper's language: more than delivered, outside the return window, not "
            "returnable, exchange out of stock, a cancelled order, or sent twice."
        )

    @classmethod
    def perform_mutation(
        cls, _root, info, token, input, unlock_token=None, language=None, photos=None
    ):
        target = shopper_order(info, token)
        order = target.order
        with translation.override(language or order.language_code or "en"):
            if not is_verified(info.context, order.id, unlock_token):
                raise MutationError(
                    _("Confirm the delivery postcode or your email first."),
                    code="verification_failed",
                    field="unlockToken",
                )
            lines = [
                service.LineRequest(
                    str(li.line_id),
                    int(li.quantity),
                    str(li.reason),
                    str(li.get("exchange_variant_id") or ""),
                )
                for li in input.lines
            ]
            names = line_names(order)
            try:
                request = service.submit(
                    order,
                    target.config,
                    get_host(),
                    lines,
                    resolution=input.resolution,
                    comment=input.get("comment") or "",
                    method=input.get("method") or None,
                    photos=photos or (),
                )
            except ReturnRefused as refusal:
                node = None
                if refusal.existing is not None:
                    node = return_node(
                        refusal.existing,
                        staff=False,
                        names=names,
                        shopper=shopper_return(refusal.existing, order),
                    )
                return cls(errors=[as_mutation_error(refusal).as_error()], return_request=node)
            node = return_node(
                request, staff=False, names=names, shopper=shopper_return(request, order)
            )
        return cls(errors=[], return_request=node)
