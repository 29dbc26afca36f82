"""aftersalesFaqCreate: add an FAQ entry for a channel, language and order state."""

from __future__ import annotations

import graphene
from django.db.models import Max

from ...models import FaqEntry
from ..auth import require_staff_mutation
from ..types import AftersalesFaqContext, AftersalesFaqEntry
from .base import AftersalesMutation, channel_of
from .faq_input import AftersalesFaqInput, clean_faq_input
from .staff import PERMISSIONS_NOTE


class AftersalesFaqCreate(AftersalesMutation):
    faq_entry = graphene.Field(AftersalesFaqEntry)

    class Arguments:
        channel = graphene.String(description="Channel slug; default: the route's channel.")
        input = AftersalesFaqInput(required=True)

    class Meta:
        description = "Create an FAQ entry (placed last unless a position is given). " + (
            PERMISSIONS_NOTE
        )

    @classmethod
    def perform_mutation(cls, _root, info, input, channel=None):
        slug = channel_of(info, channel)
        require_staff_mutation(info.context, slug)
        data = clean_faq_input(input, creating=True)
        if data.get("position") is None:
            last = FaqEntry.objects.filter(
                channel_slug=slug, language_code=data["language_code"]
            ).aggregate(m=Max("position"))["m"]
            data["position"] = 0 if last is None else last + 1
        data.setdefault("context", AftersalesFaqContext.ANY.value)
        entry = FaqEntry.objects.create(channel_slug=slug, **data)
        return cls(errors=[], faq_entry=entry)
