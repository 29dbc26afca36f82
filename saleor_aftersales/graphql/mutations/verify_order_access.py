"""verifyOrderAccess: the shopper proves the delivery postcode (or email) of an order."""

from __future__ import annotations

import graphene

from ...orchestration.status_view import build_status_view
from ...status import access
from ..errors import MutationError
from ..types import AftersalesStatus
from .base import AftersalesMutation, shopper_order


class AftersalesVerifyOrderAccess(AftersalesMutation):
    unlock_token = graphene.String(
        description="Proof of verification for 30 minutes: pass it as `unlockToken` to "
        "`aftersalesStatus` (or in the X-Aftersales-Unlock header) to see personal data."
    )
    status = graphene.Field(AftersalesStatus, description="The status with personal data.")

    class Arguments:
        token = graphene.String(required=True, description="The status token.")
        postal_code = graphene.String(
            required=True, description="The delivery postcode (the order's email also works)."
        )

    class Meta:
        description = (
            "Unlock the order's personal data (name, address, email) by proving the delivery "
            "postcode. Rate-limited per link and per IP. Requires no authentication."
        )

    @classmethod
    def perform_mutation(cls, _root, info, token, postal_code):
        target = shopper_order(info, token)
        if not (postal_code or "").strip():
            raise MutationError("Enter the delivery postcode.", code="required", field="postalCode")
        attempt = access.verify(info.context, target.order, token, postal_code)
        if attempt.limited:
            raise MutationError(
                "Too many attempts; try again later.", code="rate_limited", field="postalCode"
            )
        if not attempt.ok:
            raise MutationError(
                "That did not match.", code="verification_failed", field="postalCode"
            )
        view = build_status_view(target.order, target.config, verified=True)
        return cls(errors=[], unlock_token=attempt.unlock_token, status=view)
