"""L6 inside Saleor 3.23: the two ways Saleor deletes orders reach the plugin.

Saleor has no plugin hook for deleting an order; ``draftOrderDelete`` (drafts) and
``delete_expired_orders_task`` (expired orders, in bulk) both delete through the ORM, whose
``post_delete`` the plugin listens to (``saleor_aftersales.retention.deletion``).
"""

from __future__ import annotations

import datetime

import graphene
import pytest
from django.utils import timezone
from saleor.graphql.tests.utils import get_graphql_content
from saleor.order import OrderStatus
from saleor.order.models import Order
from saleor.order.tasks import delete_expired_orders_task

from saleor_aftersales.models import NotificationLog, Parcel, TrackedOrder

pytestmark = pytest.mark.django_db

DRAFT_ORDER_DELETE = """
mutation($id: ID!) { draftOrderDelete(id: $id) { errors { code message } } }
"""


def _our_rows(order) -> None:
    TrackedOrder.objects.create(order_id=order.id, channel_slug=order.channel.slug)
    Parcel.objects.create(order_id=order.id, channel_slug=order.channel.slug,
                          fulfillment_id=f"f-{order.id}", tracking_number="00340434161094042557")
    NotificationLog.objects.create(idempotency_key=f"{order.id}:sent", order_id=order.id,
                                   channel_slug=order.channel.slug, event="shipped",
                                   recipient="erika@example.com", state="sent")


def _forgotten(order_id) -> bool:
    return not (
        TrackedOrder.objects.filter(order_id=order_id).exists()
        or Parcel.objects.filter(order_id=order_id).exists()
        or NotificationLog.objects.filter(order_id=order_id).exists()
    )


def test_l6_draft_order_delete_forgets_the_order(
    aftersales, staff_api_client, permission_group_manage_orders, draft_order,
    django_capture_on_commit_callbacks,
):
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    _our_rows(draft_order)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api_client.post_graphql(
            DRAFT_ORDER_DELETE, {"id": graphene.Node.to_global_id("Order", draft_order.id)}
        )
    assert get_graphql_content(response)["data"]["draftOrderDelete"]["errors"] == []
    assert _forgotten(draft_order.id)


def test_l6_saleors_expired_order_deletion_forgets_every_order(
    aftersales, order_list, channel_USD, django_capture_on_commit_callbacks
):
    channel_USD.delete_expired_orders_after = datetime.timedelta(days=3)
    channel_USD.save()
    old, kept = order_list[0], order_list[1]
    Order.objects.filter(pk=old.pk).update(
        status=OrderStatus.EXPIRED, expired_at=timezone.now() - datetime.timedelta(days=5)
    )
    _our_rows(old)
    _our_rows(kept)
    with django_capture_on_commit_callbacks(execute=True):
        delete_expired_orders_task()
    assert not Order.objects.filter(pk=old.pk).exists()
    assert _forgotten(old.id)
    assert TrackedOrder.objects.filter(order_id=kept.id).exists()
