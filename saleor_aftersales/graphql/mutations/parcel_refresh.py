"""aftersalesParcelRefresh: ask the carrier about a parcel now."""

from __future__ import annotations

import graphene
from django.utils import timezone

from ...enqueue import enqueue_on_commit
from ...hosts import get_host
from ...tracking.polling import can_poll
from ..errors import MutationError
from ..types import AftersalesParcelInfo
from .base import AftersalesMutation
from .staff import PERMISSIONS_NOTE, staff_parcel


class AftersalesParcelRefresh(AftersalesMutation):
    parcel = graphene.Field(AftersalesParcelInfo)

    class Arguments:
        id = graphene.ID(required=True, description="The parcel's id.")

    class Meta:
        description = (
            "Check the parcel with its carrier now (in the background; nextCheckAt tells "
            "when). " + PERMISSIONS_NOTE
        )

    @classmethod
    def perform_mutation(cls, _root, info, id):
        from ...tasks import poll_due_parcels_task

        parcel = staff_parcel(info, id)
        config = get_host().get_config(parcel.channel_slug)
        if config is None or not can_poll(parcel, config):
            raise MutationError(
                "This parcel cannot be checked: it is finished, receives push updates, has no "
                "tracking number or no carrier API is configured for it.",
                "not_available",
                "id",
            )
        parcel.next_check_at = timezone.now()
        parcel.check_failures = 0
        parcel.save(update_fields=["next_check_at", "check_failures", "updated_at"])
        enqueue_on_commit(poll_due_parcels_task, log_ref=f"parcel {parcel.pk}")
        return cls(errors=[], parcel=parcel)
