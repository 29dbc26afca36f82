"""The input of the FAQ mutations and its validation (field-keyed errors)."""

from __future__ import annotations

import graphene
from django.conf import settings

from ...engagement.text import clean
from ...models import FaqEntry
from ..errors import MutationError
from ..types import AftersalesFaqContext

MAX_QUESTION = FaqEntry._meta.get_field("question").max_length
MAX_ANSWER = 10_000


class AftersalesFaqInput(graphene.InputObjectType):
    language_code = graphene.String(description="e.g. en or de (required when creating).")
    context = graphene.Field(AftersalesFaqContext, description="Order state; default ANY.")
    question = graphene.String(description="Plain text, up to 500 characters.")
    answer = graphene.String(description="Plain text or simple HTML (sanitised when shown).")
    position = graphene.Int(description="Sort position (0 first).")
    is_published = graphene.Boolean()

    class Meta:
        description = "Fields of an FAQ entry."


def _languages() -> set[str]:
    return {code for code, _name in getattr(settings, "LANGUAGES", [("en", "English")])}


def clean_faq_input(data, *, creating: bool) -> dict:
    """Model field values from the input; raise ``MutationError`` for the first bad field."""
    cleaned: dict = {}
    language = data.get("language_code")
    if language is not None or creating:
        language = (language or "").strip().lower()
        if not language:
            raise MutationError("Give the language.", "required", "languageCode")
        if len(language) > 35 or not all(c.isalnum() or c in "-_" for c in language):
            raise MutationError("Not a language code.", "invalid", "languageCode")
        cleaned["language_code"] = language
    for key, field, limit in (
        ("question", "question", MAX_QUESTION),
        ("answer", "answer", MAX_ANSWER),
    ):
        value = data.get(key)
        if value is None and not creating:
            continue
        value = clean(value or "", multiline=key == "answer").strip()
        if not value:
            raise MutationError(f"The {key} must not be empty.", "required", field)
        if len(value) > limit:
            raise MutationError(f"The {key} is longer than {limit} characters.", "invalid", field)
        cleaned[key] = value
    context = data.get("context")
    if context is not None:
        cleaned["context"] = context.value if hasattr(context, "value") else context
    position = data.get("position")
    if position is not None:
        if position < 0:
            raise MutationError("The position must not be negative.", "invalid", "position")
        cleaned["position"] = position
    if data.get("is_published") is not None:
        cleaned["is_published"] = bool(data["is_published"])
    return cleaned
