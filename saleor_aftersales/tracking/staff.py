"""Staff corrections of parcels and problems, shared by the staff GraphQL API and the
dashboard pages: choose the carrier, correct the tracking number, check now, resolve.

Each action raises :class:`StaffActionError` (a ``ValueError`` with a ``code`` and the
``field`` at fault) for input a staff member must fix; callers turn it into their own error
shape. Permission checks are the caller's.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from ..config import CARRIER_CODES
from ..core.enqueue import enqueue_on_commit
from ..core.parcel_status import ParcelStatus
from ..hosts import get_host
from ..models import Parcel, Problem, TrackedOrder
from . import service
from .numbers import tracking_url
from .polling import can_poll

#: ``tasks.poll_due_parcels_task``, started by name (services never import ``tasks.py``).
POLL_TASK = "saleor_aftersales.tasks.poll_due_parcels_task"
MAX_NUMBER_LENGTH = 255


class StaffActionError(ValueError):
    """A staff action refused; ``code`` as in the GraphQL error codes."""

    def __init__(self, message: str, code: str, field: str | None = "id") -> None:
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


def parcel_language(parcel: Parcel) -> str:
    """The order's language (tracking links are localised), ``en`` when unknown."""
    return (
        TrackedOrder.objects.filter(order_id=parcel.order_id)
        .values_list("language_code", flat=True)
        .first()
        or "en"
    )


def choose_carrier(parcel: Parcel, carrier: str) -> Parcel:
    """Staff choose the carrier: kept on later syncs, the parcel is checked again soon."""
    code = (carrier or "").strip().lower()
    if code not in CARRIER_CODES:
        raise StaffActionError(f"Unknown carrier code {carrier!r}.", "invalid", "carrier")
    return service.set_carrier(parcel, code, parcel_language(parcel))


def correct_tracking_number(parcel: Parcel, tracking_number: str) -> Parcel:
    """Store the right number (in the host's fulfillment too) and track it from scratch.

    Events of the wrong number are dropped and the carrier is detected again unless staff
    chose it.
    """
    number = service.clean_number(tracking_number)
    if not number:
        raise StaffActionError("Enter the tracking number.", "required", "trackingNumber")
    if (
        len(number) > MAX_NUMBER_LENGTH
        or not number.isprintable()
        or any(ch.isspace() for ch in number)
    ):
        raise StaffActionError("Not a tracking number.", "invalid", "trackingNumber")
    if parcel.status == ParcelStatus.CANCELLED:
        raise StaffActionError("The parcel was cancelled.", "not_available")
    host = get_host()
    config = host.get_config(parcel.channel_slug)
    if config is None:
        raise StaffActionError("The plugin is not active in this channel.", "not_available", None)
    order = host.get_order(str(parcel.order_id))
    with transaction.atomic():
        if not host.set_fulfillment_tracking_number(parcel.fulfillment_id, number):
            raise StaffActionError("The fulfillment no longer exists.", "not_found")
        if number != parcel.tracking_number:
            parcel.events.all().delete()
            parcel.tracking_number = number
            parcel.status = ParcelStatus.PENDING
            parcel.status_detail = ""
            parcel.first_scan_at = parcel.delivered_at = parcel.last_event_at = None
            if parcel.carrier_source != "staff":
                parcel.carrier, parcel.carrier_source = service.choose_carrier(
                    number, order.shipping_method_name if order else "", config
                )
        parcel.tracking_url = tracking_url(parcel.carrier, number, parcel_language(parcel)) or ""
        parcel.check_failures = 0
        parcel.next_check_at = service.first_check_at(parcel, config, timezone.now())
        parcel.save()
    return parcel


def check_now(parcel: Parcel) -> Parcel:
    """Ask the carrier about the parcel now (the poll task runs after commit)."""
    config = get_host().get_config(parcel.channel_slug)
    if config is None or not can_poll(parcel, config):
        raise StaffActionError(
            "This parcel cannot be checked: it is finished, receives push updates, has no "
            "tracking number or no carrier API is configured for it.",
            "not_available",
        )
    parcel.next_check_at = timezone.now()
    parcel.check_failures = 0
    parcel.save(update_fields=["next_check_at", "check_failures", "updated_at"])
    enqueue_on_commit(POLL_TASK, log_ref=f"parcel {parcel.pk}")
    return parcel


def resolve_problems(problems: Iterable[Problem]) -> int:
    """Mark open problems resolved (they stay resolved) and drop the orders' cached views."""
    from ..status import cache as status_cache

    ids = [p.pk for p in problems if p.resolved_at is None]
    if not ids:
        return 0
    order_ids = list(
        Problem.objects.filter(pk__in=ids).values_list("order_id", flat=True).distinct()
    )
    count = Problem.objects.filter(pk__in=ids, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    status_cache.forget(order_ids)
    return count
