"""recordEngagement: a headless storefront reports what the shopper did."""

from __future__ import annotations

import graphene

from ...engagement import events
from ..errors import MutationError
from .base import AftersalesMutation, shopper_order

AftersalesEngagementKind = graphene.Enum(
    "AftersalesEngagementKind",
    [("PAGE_VIEW", "page_view"), ("WIDGET_VIEW", "widget_view"), ("CLICK", "click")],
    description="What the shopper did: viewed the status, the widget, or clicked a link.",
)
MAX_TARGET = 2048


class AftersalesRecordEngagement(AftersalesMutation):
    recorded = graphene.Boolean(description="True once recorded.")

    class Arguments:
        token = graphene.String(required=True, description="The status token.")
        kind = AftersalesEngagementKind(required=True)
        target = graphene.String(
            default_value="", description="What was clicked, e.g. the tracking link."
        )

    class Meta:
        description = (
            "Record a page view, widget view or click for the shop's KPIs. "
            "Requires no authentication."
        )

    @classmethod
    def perform_mutation(cls, _root, info, token, kind, target=""):
        shopper = shopper_order(info, token)
        value = kind.value if hasattr(kind, "value") else str(kind)
        if len(target or "") > MAX_TARGET:
            raise MutationError(
                f"The target is longer than {MAX_TARGET} characters.", code="invalid",
                field="target",
            )
        events.record(
            value,
            order_id=shopper.order.id,
            channel_slug=shopper.config.channel_slug,
            target=target or "",
        )
        return cls(errors=[], recorded=True)
