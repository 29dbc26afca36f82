"""aftersalesFaqReorder: set the order of a channel's FAQ entries in one language."""

from __future__ import annotations

import graphene

from ...engagement import faq_admin
from ..auth import require_staff_mutation
from ..errors import MutationError
from ..staff_types import AftersalesFaqEntry
from .base import AftersalesMutation, channel_of
from .staff import PERMISSIONS_NOTE, pk_from_global_id


class AftersalesFaqReorder(AftersalesMutation):
    faq_entries = graphene.List(
        graphene.NonNull(AftersalesFaqEntry),
        description="The channel's entries in the language, in their new order.",
    )

    class Arguments:
        channel = graphene.String(description="Channel slug; default: the route's channel.")
        language_code = graphene.String(required=True)
        ids = graphene.List(
            graphene.NonNull(graphene.ID), required=True,
            description="Entry ids in the wanted order; entries not listed follow in their "
            "current order.",
        )

    class Meta:
        description = "Reorder FAQ entries. " + PERMISSIONS_NOTE

    @classmethod
    def perform_mutation(cls, _root, info, language_code, ids, channel=None):
        slug = channel_of(info, channel)
        require_staff_mutation(info.context, slug)
        wanted = [pk_from_global_id(gid, "AftersalesFaqEntry", "ids") for gid in ids]
        try:
            ordered = faq_admin.reorder(slug, language_code, wanted)
        except faq_admin.FaqInvalid as exc:
            raise MutationError(str(exc), exc.code, exc.field) from exc
        return cls(errors=[], faq_entries=ordered)
