"""The input of the FAQ mutations and its validation (field-keyed errors)."""

from __future__ import annotations

import graphene

from ...engagement import faq_admin
from ..errors import MutationError
from ..types import AftersalesFaqContext


class AftersalesFaqInput(graphene.InputObjectType):
    language_code = graphene.String(description="e.g. en or de (required when creating).")
    context = graphene.Field(AftersalesFaqContext, description="Order state; default ANY.")
    question = graphene.String(description="Plain text, up to 500 characters.")
    answer = graphene.String(description="Plain text or simple HTML (sanitised when shown).")
    position = graphene.Int(description="Sort position (0 first).")
    is_published = graphene.Boolean()

    class Meta:
        description = "Fields of an FAQ entry."


def clean_faq_input(data, *, creating: bool) -> dict:
    """Model field values from the input; raise ``MutationError`` for the first bad field."""
    try:
        return faq_admin.clean_input(data, creating=creating)
    except faq_admin.FaqInvalid as exc:
        raise MutationError(str(exc), exc.code, exc.field) from exc
