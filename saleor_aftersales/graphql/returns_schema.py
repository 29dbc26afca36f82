"""Return queries and mutations, merged into the schema in ``schema.py``."""

from __future__ import annotations

import graphene
from django.utils import translation

from ..hosts import get_host
from ..returns.models import ReturnRequest
from ..returns.views import return_options
from .auth import require_staff
from .errors import QueryError, RateLimitedError
from .mutations.request_return import AftersalesRequestReturn
from .mutations.return_approve import AftersalesReturnApprove
from .mutations.return_base import line_names
from .mutations.return_mark_received import AftersalesReturnMarkReceived
from .mutations.return_reject import AftersalesReturnReject
from .returns_types import (
    AftersalesReturnKpis,
    AftersalesReturnList,
    AftersalesReturnOptions,
    AftersalesReturnState,
    kpis_node,
    options_node,
    return_node,
)
from .shopper import TokenProblem, is_verified, open_token

MAX_PAGE = 100


class ReturnsQuery(graphene.ObjectType):
    aftersales_return_options = graphene.Field(
        AftersalesReturnOptions,
        token=graphene.String(required=True, description="The status token of the order."),
        unlock_token=graphene.String(description="From verifyOrderAccess."),
        language=graphene.String(description="en or de; default: the order's language."),
        description="What the shopper can return and the order's returns; only after "
        "verifyOrderAccess (else null).",
    )
    aftersales_returns = graphene.Field(
        AftersalesReturnList,
        required=True,
        channel=graphene.String(description="Channel slug; default: the route's channel."),
        state=AftersalesReturnState(description="Only returns in this state."),
        first=graphene.Int(default_value=50, description=f"Page size (1..{MAX_PAGE})."),
        offset=graphene.Int(default_value=0),
        description="Returns of a channel, oldest first. Requires the MANAGE_ORDERS "
        "permission and access to the channel.",
    )

    aftersales_return_kpis = graphene.Field(
        AftersalesReturnKpis,
        required=True,
        channel=graphene.String(description="Channel slug; default: the route's channel."),
        since=graphene.DateTime(description="Start (inclusive); default: 30 days ago."),
        until=graphene.DateTime(description="End (exclusive); default: now."),
        description="Return rate by product and reason, days to resolution, exchange share. "
        "Requires the MANAGE_ORDERS permission and access to the channel.",
    )

    @staticmethod
    def resolve_aftersales_return_kpis(_root, info, channel=None, since=None, until=None):
        from ..returns.kpis import return_kpis
        from .auth import requested_channel as _channel

        slug = _channel(info, channel)
        require_staff(info.context, slug)
        try:
            return kpis_node(return_kpis(slug, get_host(), since, until))
        except ValueError as exc:
            raise QueryError(str(exc)) from exc

    @staticmethod
    def resolve_aftersales_return_options(_root, info, token, unlock_token=None, language=None):
        try:
            target = open_token(info.context, token)
        except TokenProblem as problem:
            if problem.code == "rate_limited":
                raise RateLimitedError() from problem
            raise QueryError(problem.message) from problem
        order = target.order
        if not is_verified(info.context, order.id, unlock_token):
            return None
        with translation.override(language or order.language_code or "en"):
            options = return_options(order, target.config, get_host())
            return options_node(options, line_names(order))

    @staticmethod
    def resolve_aftersales_returns(_root, info, channel=None, state=None, first=50, offset=0):
        from .auth import requested_channel as _channel

        slug = _channel(info, channel)
        require_staff(info.context, slug)
        if not 1 <= first <= MAX_PAGE or offset < 0:
            raise QueryError(f"first must be 1..{MAX_PAGE} and offset not negative.")
        rows = ReturnRequest.objects.filter(channel_slug=slug)
        if state:
            rows = rows.filter(state=getattr(state, "value", state))
        page = list(rows.prefetch_related("lines")[offset : offset + first])
        host = get_host()
        names: dict[str, str] = {}
        for order_id in {str(r.order_id) for r in page}:
            names.update(line_names(host.get_order(order_id)))
        return AftersalesReturnList(
            total_count=rows.count(),
            items=[return_node(r, staff=True, names=names) for r in page],
        )


class ReturnsMutation(graphene.ObjectType):
    request_return = AftersalesRequestReturn.Field()
    aftersales_return_approve = AftersalesReturnApprove.Field()
    aftersales_return_reject = AftersalesReturnReject.Field()
    aftersales_return_mark_received = AftersalesReturnMarkReceived.Field()
