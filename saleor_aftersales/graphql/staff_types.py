"""GraphQL types staff read and edit: FAQ entries, parcels, problems and KPIs (from our rows).

Like the shopper's types (:mod:`.types`), they carry Saleor-style global ids and refer to
orders by Saleor's global order id.
"""

from __future__ import annotations

import graphene
from graphql_relay import to_global_id

from .types import AftersalesFaqContext, AftersalesParcelStatus, order_global_id


class AftersalesFaqEntry(graphene.ObjectType):
    id = graphene.ID(required=True)
    channel = graphene.String(required=True)
    language_code = graphene.String(required=True)
    context = graphene.Field(AftersalesFaqContext, required=True)
    question = graphene.String(required=True)
    answer = graphene.String(required=True, description="As entered (sanitised when shown).")
    position = graphene.Int(required=True)
    is_published = graphene.Boolean(required=True)
    updated_at = graphene.DateTime(required=True)

    class Meta:
        description = "An FAQ entry as staff edit it."

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("AftersalesFaqEntry", root.pk)

    @staticmethod
    def resolve_channel(root, _info):
        return root.channel_slug

    @staticmethod
    def resolve_context(root, _info):
        return root.context


class _OrderRowResolvers:
    """Resolvers shared by types over our rows: Saleor's order id and the channel slug."""

    @staticmethod
    def resolve_order_id(root, _info):
        return order_global_id(root.order_id)

    @staticmethod
    def resolve_channel(root, _info):
        return root.channel_slug


class AftersalesParcelInfo(_OrderRowResolvers, graphene.ObjectType):
    id = graphene.ID(required=True)
    order_id = graphene.ID(required=True, description="Saleor's global order id.")
    channel = graphene.String(required=True)
    fulfillment_id = graphene.String(required=True)
    carrier = graphene.String(required=True)
    carrier_source = graphene.String(
        required=True, description="How the carrier was chosen: staff, method, detected, default."
    )
    tracking_number = graphene.String(required=True)
    tracking_url = graphene.String(required=True)
    status = graphene.Field(AftersalesParcelStatus, required=True)
    status_detail = graphene.String(required=True)
    estimated_delivery = graphene.Date()
    last_checked_at = graphene.DateTime()
    next_check_at = graphene.DateTime()
    check_failures = graphene.Int(required=True)

    class Meta:
        description = "A parcel's tracking data as staff correct it."

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("AftersalesParcel", root.pk)

    @staticmethod
    def resolve_status(root, _info):
        return root.status


class AftersalesProblem(_OrderRowResolvers, graphene.ObjectType):
    id = graphene.ID(required=True)
    order_id = graphene.ID(required=True, description="Saleor's global order id.")
    channel = graphene.String(required=True)
    kind = graphene.String(
        required=True,
        description="no_scan, overdue, exception, failed_attempt, returned, unshipped.",
    )
    kind_text = graphene.String(required=True)
    detail = graphene.String(required=True)
    detected_at = graphene.DateTime(required=True)
    resolved_at = graphene.DateTime()
    notified_at = graphene.DateTime()
    parcel = graphene.Field(AftersalesParcelInfo)

    class Meta:
        description = "A delivery problem that needs the shop's attention."

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("AftersalesProblem", root.pk)

    @staticmethod
    def resolve_kind_text(root, _info):
        return str(root.get_kind_display())


class AftersalesProblemList(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(AftersalesProblem), required=True)

    class Meta:
        description = "A page of the problem list, newest first."


class AftersalesStatusCount(graphene.ObjectType):
    status = graphene.Field(AftersalesParcelStatus, required=True)
    count = graphene.Int(required=True)


class AftersalesRatingCount(graphene.ObjectType):
    rating = graphene.Int(required=True)
    count = graphene.Int(required=True)


class AftersalesKpis(graphene.ObjectType):
    channel = graphene.String(required=True)
    since = graphene.DateTime(required=True)
    until = graphene.DateTime(required=True)
    parcels_by_status = graphene.List(
        graphene.NonNull(AftersalesStatusCount), required=True,
        description="Parcels shipped in the period, by current status.",
    )
    delivered_parcels = graphene.Int(required=True)
    on_time_rate = graphene.Float(
        description="Share of parcels delivered in the period by the promised date; null "
        "when none had a promise."
    )
    notifications_sent = graphene.Int(required=True)
    notifications_opened = graphene.Int(required=True)
    notifications_clicked = graphene.Int(required=True)
    page_views = graphene.Int(required=True)
    widget_views = graphene.Int(required=True)
    buy_again_checkouts = graphene.Int(
        required=True, description="Checkouts created by buy again."
    )
    buy_again_orders = graphene.Int(
        required=True, description="Buy-again checkouts that became orders."
    )
    buy_again_rate = graphene.Float(
        description="Buy-again checkouts per status page view; null without views."
    )
    ratings_count = graphene.Int(required=True)
    rating_average = graphene.Float()
    ratings = graphene.List(graphene.NonNull(AftersalesRatingCount), required=True)

    class Meta:
        description = "Key figures of a channel over a period."
