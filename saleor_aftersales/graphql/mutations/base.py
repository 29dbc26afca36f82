"""The base of every mutation: ``errors { field code message }`` instead of exceptions.

Subclasses implement ``perform_mutation(root, info, **data)`` and raise
:class:`~saleor_aftersales.graphql.errors.MutationError` for anything the caller did wrong.
"""

from __future__ import annotations

import graphene

from ..errors import AftersalesError, MutationError
from ..shopper import ShopperOrder, TokenProblem, open_token


class AftersalesMutation(graphene.Mutation):
    errors = graphene.List(
        graphene.NonNull(AftersalesError), required=True, description="Empty on success."
    )

    class Meta:
        abstract = True

    @classmethod
    def perform_mutation(cls, root, info, **data):
        raise NotImplementedError

    @classmethod
    def mutate(cls, root, info, **data):
        try:
            return cls.perform_mutation(root, info, **data)
        except MutationError as error:
            return cls(errors=[error.as_error()])


def shopper_order(info, token: str) -> ShopperOrder:
    """The order of a status token, or a ``MutationError`` on the ``token`` field."""
    try:
        return open_token(info.context, token)
    except TokenProblem as problem:
        raise MutationError(problem.message, code=problem.code, field="token") from problem


def channel_of(info, channel: str | None) -> str:
    """The channel argument, defaulting to the channel of the route that serves the API."""
    if channel:
        return channel
    config = getattr(info.context, "aftersales_config", None)
    if config is None:
        raise MutationError("Give the channel.", code="required", field="channel")
    return config.channel_slug
