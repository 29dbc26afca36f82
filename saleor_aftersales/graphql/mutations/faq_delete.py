"""aftersalesFaqDelete: remove an FAQ entry."""

from __future__ import annotations

import graphene

from ...engagement import faq_admin
from ..staff_types import AftersalesFaqEntry
from .base import AftersalesMutation
from .staff import PERMISSIONS_NOTE, staff_faq_entry


class AftersalesFaqDelete(AftersalesMutation):
    faq_entry = graphene.Field(AftersalesFaqEntry, description="The entry as it was.")

    class Arguments:
        id = graphene.ID(required=True, description="The FAQ entry's id.")

    class Meta:
        description = "Delete an FAQ entry. " + PERMISSIONS_NOTE

    @classmethod
    def perform_mutation(cls, _root, info, id):
        entry = faq_admin.delete(staff_faq_entry(info, id))  # keeps its pk for the payload
        return cls(errors=[], faq_entry=entry)
