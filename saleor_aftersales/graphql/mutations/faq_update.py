"""aftersalesFaqUpdate: edit an FAQ entry."""

from __future__ import annotations

import graphene

from ..types import AftersalesFaqEntry
from .base import AftersalesMutation
from .faq_input import AftersalesFaqInput, clean_faq_input
from .staff import PERMISSIONS_NOTE, staff_faq_entry


class AftersalesFaqUpdate(AftersalesMutation):
    faq_entry = graphene.Field(AftersalesFaqEntry)

    class Arguments:
        id = graphene.ID(required=True, description="The FAQ entry's id.")
        input = AftersalesFaqInput(required=True)

    class Meta:
        description = "Change fields of an FAQ entry (omitted fields stay). " + PERMISSIONS_NOTE

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        entry = staff_faq_entry(info, id)
        data = clean_faq_input(input, creating=False)
        for field, value in data.items():
            setattr(entry, field, value)
        if data:
            entry.save(update_fields=[*data, "updated_at"])
        return cls(errors=[], faq_entry=entry)
