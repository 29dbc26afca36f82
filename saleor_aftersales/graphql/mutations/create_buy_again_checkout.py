"""createBuyAgainCheckout: a new checkout with the order's available items."""

from __future__ import annotations

import graphene

from ...core import ratelimit
from ...core.exceptions import AftersalesError
from ...engagement import buy_again, events
from ...hosts import get_host
from ...status.access import link_key
from ..errors import MutationError
from .base import AftersalesMutation, shopper_order

LIMIT, WINDOW = 10, 60 * 60


class AftersalesCreateBuyAgainCheckout(AftersalesMutation):
    checkout_id = graphene.String(description="Saleor's checkout id (token).")
    checkout_url = graphene.String(description="The storefront URL that opens the checkout.")
    unavailable = graphene.List(
        graphene.NonNull(graphene.String),
        description="Names of items that could not be added.",
    )

    class Arguments:
        token = graphene.String(required=True, description="The status token.")

    class Meta:
        description = (
            "Put the order's items that are available now into a new checkout. "
            "Rate-limited per link. Requires no authentication."
        )

    @classmethod
    def perform_mutation(cls, _root, info, token):
        target = shopper_order(info, token)
        config = target.config
        if not config.buy_again_enabled:
            raise MutationError("Buy again is switched off.", code="feature_disabled")
        if not ratelimit.hit("buy-again", link_key(token), limit=LIMIT, window=WINDOW):
            raise MutationError("Too many checkouts; try again later.", code="rate_limited")
        try:
            result = buy_again.start_checkout(target.order, config, get_host())
        except buy_again.NothingAvailable as exc:
            raise MutationError(
                "None of the items can be bought again right now.", code="not_available"
            ) from exc
        except AftersalesError as exc:
            raise MutationError(str(exc), code="not_available") from exc
        events.record(
            events.Kind.BUY_AGAIN,
            order_id=target.order.id,
            channel_slug=config.channel_slug,
            target=result.checkout.id,
        )
        return cls(
            errors=[],
            checkout_id=result.checkout.id,
            checkout_url=result.redirect_url,
            unavailable=list(result.unavailable),
        )
