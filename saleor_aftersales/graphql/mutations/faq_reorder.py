"""aftersalesFaqReorder: set the order of a channel's FAQ entries in one language."""

from __future__ import annotations

import graphene
from django.db import transaction

from ... import status_cache
from ...models import FaqEntry
from ..auth import require_staff_mutation
from ..errors import MutationError
from ..types import AftersalesFaqEntry
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
        if len(set(wanted)) != len(wanted):
            raise MutationError("An entry is listed twice.", "invalid", "ids")
        with transaction.atomic():
            entries = list(
                FaqEntry.objects.select_for_update()
                .filter(channel_slug=slug, language_code=language_code)
                .order_by("position", "id")
            )
            by_pk = {e.pk: e for e in entries}
            unknown = [pk for pk in wanted if pk not in by_pk]
            if unknown:
                raise MutationError(
                    "Some entries are not in this channel and language.", "not_found", "ids"
                )
            ordered = [by_pk[pk] for pk in wanted] + [e for e in entries if e.pk not in wanted]
            for position, entry in enumerate(ordered):
                entry.position = position
            FaqEntry.objects.bulk_update(ordered, ["position"])
            status_cache.forget_channel(slug)
        return cls(errors=[], faq_entries=ordered)
