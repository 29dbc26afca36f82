"""aftersalesFaqUpdate: edit an FAQ entry."""

from __future__ import annotations

import graphene

from ...engagement import faq_admin
from ..staff_types import AftersalesFaqEntry
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
        faq_admin.update(entry, clean_faq_input(input, creating=False))
        return cls(errors=[], faq_entry=entry)
