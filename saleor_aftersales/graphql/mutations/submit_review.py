"""submitReview: the shopper rates a delivered order (1 to 5 stars and a comment)."""

from __future__ import annotations

import graphene

from ...engagement import events, reviews
from ..errors import MutationError
from ..types import AftersalesReviewState
from .base import AftersalesMutation, shopper_order


class AftersalesSubmitReview(AftersalesMutation):
    review = graphene.Field(AftersalesReviewState)

    class Arguments:
        token = graphene.String(required=True, description="The status token.")
        rating = graphene.Int(required=True, description="1 to 5 stars.")
        comment = graphene.String(default_value="", description="Optional, up to 5000 characters.")

    class Meta:
        description = (
            "Rate a delivered order; a second submission replaces the first. "
            "Requires no authentication."
        )

    @classmethod
    def perform_mutation(cls, _root, info, token, rating, comment=""):
        target = shopper_order(info, token)
        order_id = target.order.id
        if not target.config.reviews_enabled:
            raise MutationError("Reviews are switched off.", code="feature_disabled")
        if not reviews.is_delivered(target.order):
            raise MutationError("The order has not been delivered yet.", code="not_available")
        try:
            reviews.parse_rating(rating)
        except reviews.InvalidReview as exc:
            raise MutationError(str(exc), code="invalid", field="rating") from exc
        try:
            reviews.submit_review(
                order_id, target.config, rating, comment or "", delivered=True,
                verified=False,  # no unlock travels with this mutation: keep a hidden comment
            )
        except reviews.InvalidReview as exc:
            raise MutationError(str(exc), code="invalid", field="comment") from exc
        events.record(
            events.Kind.REVIEW,
            order_id=order_id,
            channel_slug=target.config.channel_slug,
            target=str(rating),
        )
        state = reviews.review_state(order_id, target.config, delivered=True)
        return cls(errors=[], review=state)
