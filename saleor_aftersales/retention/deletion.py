"""When the shop deletes an order, the plugin forgets it.

How a deletion reaches us: Saleor 3.23 has no plugin hook for deleting an order (only
``draft_order_deleted`` for drafts), and orders are deleted outside the API too — the
``delete_expired_orders_task`` deletes expired checkouts' orders in bulk, staff may use the
admin or ``cleardb``. All of these go through Django's ORM, which sends ``post_delete`` for
every order (bulk ``QuerySet.delete()`` included). :func:`connect_signals` listens on the
host's order model (``Host.order_model``: ``"order.Order"`` in Saleor) without importing it.

The receiver never raises and does no work in the deleting transaction: after it commits
(never for a rollback), :func:`forget_orders` deletes the order's parcels (with their
events, estimates, milestones, problems), its tracked order, review and review request,
deletes notifications not sent yet, and anonymises the rest — sent messages and engagement
events keep counting in the KPIs but no longer name the order or the recipient. The cached
status views get a new version, so a status link to the order shows the branded
"link not valid" page at once instead of the cached view.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from django.utils.module_loading import import_string

from ..models import (
    EngagementEvent,
    Milestone,
    NotificationLog,
    Parcel,
    Problem,
    Review,
    ReviewRequest,
    TrackedOrder,
)
from ..returns.files import forget_returns
from ..status import cache as status_cache

logger = logging.getLogger(__name__)


def forget_orders(order_ids: Iterable[object]) -> dict[str, int]:
    """Remove (or anonymise) everything the plugin keeps about these orders; counts per kind.

    Idempotent; the caller must make sure the orders are gone (the receiver runs after the
    deletion committed).
    """
    ids = []
    for value in order_ids:
        try:
            ids.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    if not ids:
        return {}
    with transaction.atomic():
        counts = {
            "engagement_anonymised": EngagementEvent.objects.filter(order_id__in=ids)
            .update(order_id=None),
            "notifications_deleted": NotificationLog.objects.filter(
                order_id__in=ids, state=NotificationLog.State.PENDING
            ).delete()[0],
            "notifications_anonymised": NotificationLog.objects.filter(order_id__in=ids)
            .update(order_id=None, recipient="", parcel=None),
            "problems": Problem.objects.filter(order_id__in=ids).delete()[0],
            "milestones": Milestone.objects.filter(order_id__in=ids).delete()[0],
            "parcels": Parcel.tracked.filter(order_id__in=ids).delete()[0],
            "reviews": Review.objects.filter(order_id__in=ids).delete()[0],
            "review_requests": ReviewRequest.objects.filter(order_id__in=ids).delete()[0],
            "tracked_orders": TrackedOrder.objects.filter(order_id__in=ids).delete()[0],
            "returns": forget_returns(ids),  # and their photos and labels (returns/files.py)
        }
        status_cache.forget(ids)  # after this commits: cached views are never served again
    return counts


def _forget_after_commit(order_id: str) -> None:
    try:
        forget_orders([order_id])
    except Exception:  # logged; the rows stay behind, the page already shows "not valid"
        logger.exception("aftersales: forgetting deleted order %s failed", order_id)


def order_deleted(sender, instance, using=None, **kwargs) -> None:
    """``post_delete`` of the host's order: forget it once the deletion commits. Never raises."""
    try:
        transaction.on_commit(partial(_forget_after_commit, str(instance.pk)), using=using)
    except Exception:
        logger.exception("aftersales: could not schedule forgetting a deleted order")


def connect_signals() -> None:
    """Listen for deletions of the configured host's order model (lazily, by label)."""
    from ..hosts import default_host_path

    try:
        label = getattr(import_string(default_host_path()), "order_model", "")
    except ImportError:  # reported by the system check aftersales.E001
        return
    if label:
        post_delete.connect(
            order_deleted, sender=label, weak=False, dispatch_uid="aftersales-order-deleted"
        )
