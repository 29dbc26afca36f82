"""GraphQL types of returns: the shopper's options and timelines, staff's return list."""

from __future__ import annotations

import graphene
from django.core.files.storage import default_storage
from graphql_relay import to_global_id

from ..returns.models import ReturnState
from ..returns.views import ReturnOptions, blocked_text
from .types import order_global_id

AftersalesReturnState = graphene.Enum(
    "AftersalesReturnState",
    [(value.upper(), value) for value in ReturnState.values],
    description="Where a return stands.",
)


class AftersalesReturnVariant(graphene.ObjectType):
    variant_id = graphene.String(required=True)
    name = graphene.String(required=True)
    available = graphene.Boolean(required=True, description="In stock in the channel.")

    class Meta:
        description = "A variant the shopper may take in exchange."


class AftersalesReturnableLine(graphene.ObjectType):
    line_id = graphene.String(required=True)
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    delivered_quantity = graphene.Int(required=True)
    returned_quantity = graphene.Int(required=True, description="Returned or in open returns.")
    max_quantity = graphene.Int(required=True, description="What may be returned now.")
    window_ends_at = graphene.DateTime()
    blocked_reason = graphene.String(
        description="not_delivered, outside_window or non_returnable; null when returnable."
    )
    blocked_text = graphene.String(description="Why not, in the shopper's language.")
    exchange_variants = graphene.List(graphene.NonNull(AftersalesReturnVariant), required=True)

    class Meta:
        description = "An order line as the return form offers it."


class AftersalesChoice(graphene.ObjectType):
    id = graphene.String(required=True)
    label = graphene.String(required=True)


class AftersalesReturnStep(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    at = graphene.DateTime()
    done = graphene.Boolean(required=True)


class AftersalesReturnLine(graphene.ObjectType):
    line_id = graphene.String(required=True)
    product_name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    reason = graphene.String(required=True, description="Reason code or reason page id.")
    exchange_variant_id = graphene.String(required=True)
    inspection_note = graphene.String(required=True, description="Staff only; empty for shoppers.")


class AftersalesReturn(graphene.ObjectType):
    id = graphene.ID(required=True)
    order_id = graphene.ID(required=True, description="Saleor's global order id.")
    channel = graphene.String(required=True)
    state = AftersalesReturnState(required=True)
    state_label = graphene.String(required=True)
    resolution = graphene.String(required=True, description="refund, exchange or store_credit.")
    comment = graphene.String(required=True)
    reject_reason = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    lines = graphene.List(graphene.NonNull(AftersalesReturnLine), required=True)
    steps = graphene.List(
        graphene.NonNull(AftersalesReturnStep),
        required=True,
        description="The return's small timeline.",
    )
    gift_card_code = graphene.String(description="Store credit: the gift card's code.")
    photos = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Links to the shopper's photos; staff only (empty for shoppers).",
    )

    class Meta:
        description = "A return of some items of an order."


def return_node(
    request, *, staff: bool, names: dict[str, str] | None = None, shopper=None
) -> AftersalesReturn:
    """The GraphQL object of a request (``shopper``: its :class:`ShopperReturn` view)."""
    names = names or {}
    return AftersalesReturn(
        id=to_global_id("AftersalesReturn", request.pk),
        order_id=order_global_id(str(request.order_id)),
        channel=request.channel_slug,
        state=request.state,
        state_label=shopper.state_label if shopper else request.get_state_display(),
        resolution=request.resolution,
        comment=request.comment,
        reject_reason=request.reject_reason,
        created_at=request.created_at,
        lines=[
            AftersalesReturnLine(
                line_id=li.line_id,
                product_name=names.get(li.line_id, ""),
                quantity=li.quantity,
                reason=li.reason_reference or li.reason_code,
                exchange_variant_id=li.exchange_variant_id,
                inspection_note=li.inspection_note if staff else "",
            )
            for li in request.lines.all()
        ],
        steps=[
            AftersalesReturnStep(key=s.key, label=s.label, at=s.at, done=s.done)
            for s in (shopper.steps if shopper else ())
        ],
        gift_card_code=request.gift_card_code or None,
        photos=[default_storage.url(name) for name in request.photos] if staff else [],
    )


class AftersalesReturnOptions(graphene.ObjectType):
    enabled = graphene.Boolean(required=True, description="Whether returns can be requested.")
    lines = graphene.List(graphene.NonNull(AftersalesReturnableLine), required=True)
    reasons = graphene.List(graphene.NonNull(AftersalesChoice), required=True)
    resolutions = graphene.List(graphene.NonNull(AftersalesChoice), required=True)
    return_address = graphene.String(required=True)
    methods = graphene.List(
        graphene.NonNull(AftersalesChoice),
        required=True,
        description="How items may be sent back: label, address, store.",
    )
    returns = graphene.List(graphene.NonNull(AftersalesReturn), required=True)

    class Meta:
        description = "What the shopper can return, and the returns made so far."


def options_node(options: ReturnOptions, names: dict[str, str]) -> AftersalesReturnOptions:
    return AftersalesReturnOptions(
        enabled=options.enabled,
        lines=[
            AftersalesReturnableLine(
                line_id=i.line.id,
                product_name=i.line.product_name,
                variant_name=i.line.variant_name,
                delivered_quantity=i.delivered,
                returned_quantity=i.returned,
                max_quantity=i.max_quantity,
                window_ends_at=i.window_ends,
                blocked_reason=i.blocked or None,
                blocked_text=blocked_text(i) or None,
                exchange_variants=[
                    AftersalesReturnVariant(
                        variant_id=o.variant_id, name=o.name, available=o.available
                    )
                    for o in i.exchange_options
                ],
            )
            for i in options.items
        ],
        reasons=[AftersalesChoice(id=k, label=v) for k, v in options.reasons],
        resolutions=[AftersalesChoice(id=k, label=v) for k, v in options.resolutions],
        return_address=options.return_address,
        methods=[AftersalesChoice(id=k, label=v) for k, v in options.methods],
        returns=[
            return_node(r.request, staff=False, names=names, shopper=r) for r in options.returns
        ],
    )


class AftersalesReturnList(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(AftersalesReturn), required=True)


class AftersalesCount(graphene.ObjectType):
    key = graphene.String(required=True)
    count = graphene.Int(required=True)


class AftersalesProductReturnRate(graphene.ObjectType):
    product_name = graphene.String(required=True)
    delivered = graphene.Int(required=True, description="Units delivered in the period.")
    returned = graphene.Int(required=True, description="Units in returns requested then.")
    rate = graphene.Float(description="returned / delivered; null without deliveries.")


class AftersalesReturnKpis(graphene.ObjectType):
    channel = graphene.String(required=True)
    since = graphene.DateTime(required=True)
    until = graphene.DateTime(required=True)
    returns = graphene.Int(required=True, description="Requested in the period.")
    rejected = graphene.Int(required=True)
    units_returned = graphene.Int(required=True, description="In returns not rejected.")
    by_reason = graphene.List(
        graphene.NonNull(AftersalesCount),
        required=True,
        description="Units per reason (code or reason page id).",
    )
    by_resolution = graphene.List(graphene.NonNull(AftersalesCount), required=True)
    by_product = graphene.List(graphene.NonNull(AftersalesProductReturnRate), required=True)
    exchange_share = graphene.Float(description="Exchanges / (exchanges + refunds).")
    median_days_to_resolution = graphene.Float(
        description="Days from request to refund, exchange or credit (median)."
    )

    class Meta:
        description = "Return figures of a channel over a period."


def kpis_node(kpis) -> AftersalesReturnKpis:
    return AftersalesReturnKpis(
        channel=kpis.channel_slug,
        since=kpis.since,
        until=kpis.until,
        returns=kpis.returns,
        rejected=kpis.rejected,
        units_returned=kpis.units_returned,
        by_reason=[AftersalesCount(key=k, count=v) for k, v in kpis.by_reason.items()],
        by_resolution=[AftersalesCount(key=k, count=v) for k, v in kpis.by_resolution.items()],
        by_product=[
            AftersalesProductReturnRate(
                product_name=p.product_name, delivered=p.delivered, returned=p.returned, rate=p.rate
            )
            for p in kpis.by_product
        ],
        exchange_share=kpis.exchange_share,
        median_days_to_resolution=kpis.median_days_to_resolution,
    )
