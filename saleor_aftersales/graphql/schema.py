"""The plugin's GraphQL schema: shopper queries by status token, staff queries, mutations.

Built as a federation v1 subgraph (:mod:`.federation`); the committed SDL is
``schema.graphql`` next to this module (refresh it with
``python -m saleor_aftersales.graphql.print_sdl > saleor_aftersales/graphql/schema.graphql``).
"""

from __future__ import annotations

import graphene

from ..models import FaqEntry, Problem
from ..orchestration import analytics
from ..orchestration.status_view import build_status_view
from .auth import requested_channel as _channel
from .auth import require_staff
from .errors import PermissionDenied, QueryError, RateLimitedError
from .federation import build_federated_schema, order_uuid, status_for_caller
from .mutations.create_buy_again_checkout import AftersalesCreateBuyAgainCheckout
from .mutations.faq_create import AftersalesFaqCreate
from .mutations.faq_delete import AftersalesFaqDelete
from .mutations.faq_reorder import AftersalesFaqReorder
from .mutations.faq_update import AftersalesFaqUpdate
from .mutations.parcel_refresh import AftersalesParcelRefresh
from .mutations.parcel_set_carrier import AftersalesParcelSetCarrier
from .mutations.parcel_set_tracking_number import AftersalesParcelSetTrackingNumber
from .mutations.record_engagement import AftersalesRecordEngagement
from .mutations.submit_review import AftersalesSubmitReview
from .mutations.verify_order_access import AftersalesVerifyOrderAccess
from .returns_schema import ReturnsMutation, ReturnsQuery
from .shopper import TokenProblem, is_verified, open_token
from .staff_types import (
    AftersalesFaqEntry,
    AftersalesKpis,
    AftersalesProblemList,
    AftersalesRatingCount,
    AftersalesStatusCount,
)
from .types import AftersalesStatus

MAX_PAGE = 100
STAFF_NOTE = " Requires the MANAGE_ORDERS permission and access to the channel."


class Query(ReturnsQuery, graphene.ObjectType):
    aftersales_status = graphene.Field(
        AftersalesStatus,
        token=graphene.String(required=True, description="The status token of the order."),
        unlock_token=graphene.String(
            description="From verifyOrderAccess: include personal data (30 minutes)."
        ),
        language=graphene.String(description="en or de; default: the order's language."),
        description="The order's aftersales status for the shopper holding its status token. "
        "Personal data only after verifyOrderAccess. Rate-limited per IP.",
    )
    aftersales_order = graphene.Field(
        AftersalesStatus,
        id=graphene.ID(required=True, description="Saleor's global order id."),
        language=graphene.String(description="en or de; default: the order's language."),
        description="The aftersales status of an order for staff/apps with MANAGE_ORDERS in "
        "its channel or the customer who placed it.",
    )
    aftersales_problems = graphene.Field(
        AftersalesProblemList,
        required=True,
        channel=graphene.String(description="Channel slug; default: the route's channel."),
        kind=graphene.String(description="Only problems of this kind."),
        include_resolved=graphene.Boolean(default_value=False),
        first=graphene.Int(default_value=50, description=f"Page size (1..{MAX_PAGE})."),
        offset=graphene.Int(default_value=0),
        description="Delivery problems that need attention, newest first." + STAFF_NOTE,
    )
    aftersales_kpis = graphene.Field(
        AftersalesKpis,
        required=True,
        channel=graphene.String(description="Channel slug; default: the route's channel."),
        since=graphene.DateTime(description="Start (inclusive); default: 30 days ago."),
        until=graphene.DateTime(description="End (exclusive); default: now."),
        description="Key figures of a channel over a period." + STAFF_NOTE,
    )
    aftersales_faq_entries = graphene.List(
        graphene.NonNull(AftersalesFaqEntry),
        required=True,
        channel=graphene.String(description="Channel slug; default: the route's channel."),
        language_code=graphene.String(description="Only entries in this language."),
        description="All FAQ entries of a channel (published or not), in order." + STAFF_NOTE,
    )

    @staticmethod
    def resolve_aftersales_status(_root, info, token, unlock_token=None, language=None):
        try:
            target = open_token(info.context, token)
        except TokenProblem as problem:
            if problem.code == "rate_limited":
                raise RateLimitedError() from problem
            raise QueryError(problem.message) from problem
        verified = is_verified(info.context, target.order.id, unlock_token)
        return build_status_view(
            target.order, target.config, verified=verified, language=language
        )

    @staticmethod
    def resolve_aftersales_order(_root, info, id, language=None):
        order_id = order_uuid(id)
        view = status_for_caller(info.context, order_id, language) if order_id else None
        if view is None:
            raise PermissionDenied(
                "You need MANAGE_ORDERS in the order's channel, or to be its customer."
            )
        return view

    @staticmethod
    def resolve_aftersales_problems(
        _root, info, kind=None, include_resolved=False, first=50, offset=0, channel=None
    ):
        slug = _channel(info, channel)
        require_staff(info.context, slug)
        if not 1 <= first <= MAX_PAGE or offset < 0:
            raise QueryError(f"first must be 1..{MAX_PAGE} and offset not negative.")
        problems = Problem.objects.filter(channel_slug=slug)
        if not include_resolved:
            problems = problems.filter(resolved_at__isnull=True)
        if kind:
            problems = problems.filter(kind=kind)
        items = list(problems.select_related("parcel")[offset : offset + first])
        return AftersalesProblemList(total_count=problems.count(), items=items)

    @staticmethod
    def resolve_aftersales_kpis(_root, info, since=None, until=None, channel=None):
        slug = _channel(info, channel)
        require_staff(info.context, slug)
        try:
            kpis = analytics.channel_kpis(slug, since, until)
        except ValueError as exc:
            raise QueryError(str(exc)) from exc
        return AftersalesKpis(
            channel=slug,
            since=kpis.since,
            until=kpis.until,
            parcels_by_status=[
                AftersalesStatusCount(status=s, count=n)
                for s, n in sorted(kpis.parcels_by_status.items())
            ],
            delivered_parcels=kpis.delivered_parcels,
            on_time_rate=kpis.on_time_rate,
            notifications_sent=kpis.notifications_sent,
            notifications_opened=kpis.notifications_opened,
            notifications_clicked=kpis.notifications_clicked,
            page_views=kpis.page_views,
            widget_views=kpis.widget_views,
            buy_again_checkouts=kpis.buy_again_checkouts,
            buy_again_orders=kpis.buy_again_orders,
            buy_again_rate=kpis.buy_again_rate,
            ratings_count=kpis.ratings_count,
            rating_average=kpis.rating_average,
            ratings=[AftersalesRatingCount(rating=r, count=n) for r, n in kpis.ratings.items()],
        )

    @staticmethod
    def resolve_aftersales_faq_entries(_root, info, language_code=None, channel=None):
        slug = _channel(info, channel)
        require_staff(info.context, slug)
        entries = FaqEntry.objects.filter(channel_slug=slug)
        if language_code:
            entries = entries.filter(language_code=language_code)
        return list(entries.order_by("language_code", "position", "id"))


class Mutation(ReturnsMutation, graphene.ObjectType):
    verify_order_access = AftersalesVerifyOrderAccess.Field()
    submit_review = AftersalesSubmitReview.Field()
    create_buy_again_checkout = AftersalesCreateBuyAgainCheckout.Field()
    record_engagement = AftersalesRecordEngagement.Field()
    aftersales_faq_create = AftersalesFaqCreate.Field()
    aftersales_faq_update = AftersalesFaqUpdate.Field()
    aftersales_faq_delete = AftersalesFaqDelete.Field()
    aftersales_faq_reorder = AftersalesFaqReorder.Field()
    aftersales_parcel_set_carrier = AftersalesParcelSetCarrier.Field()
    aftersales_parcel_set_tracking_number = AftersalesParcelSetTrackingNumber.Field()
    aftersales_parcel_refresh = AftersalesParcelRefresh.Field()


schema = build_federated_schema(Query, Mutation)


def sdl() -> str:
    """The subgraph SDL (what ``_service { sdl }`` returns and ``schema.graphql`` holds)."""
    return schema.federation_sdl

