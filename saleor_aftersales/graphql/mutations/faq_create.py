"""aftersalesFaqCreate: add an FAQ entry for a channel, language and order state."""

from __future__ import annotations

import graphene

from ...engagement import faq_admin
from ..auth import require_staff_mutation
from ..staff_types import AftersalesFaqEntry
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
        entry = faq_admin.create(slug, clean_faq_input(input, creating=True))
        return cls(errors=[], faq_entry=entry)
