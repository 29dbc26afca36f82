"""L6: a deleted order is forgotten at once — no cached view, no rows left naming it.

Deletion reaches the plugin through ``post_delete`` of the host's order model (Saleor 3.23
has no plugin hook for it): one order (``draftOrderDelete``, the admin) or many in one
``QuerySet.delete()`` (Saleor's ``delete_expired_orders_task``).
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from saleor_aftersales.models import (
    EngagementEvent,
    Milestone,
    NotificationLog,
    Parcel,
    TrackedOrder,
    TrackingEvent,
)
from sandbox import models as shop
from tests.web.conftest import BASE, page_url, process

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewed_order(make_order):
    """A shipped order with carrier news and messages, whose page and widget were viewed
    (so its anonymous view sits in the cache)."""
    order = make_order(lines=2, parcels=1, tracking_numbers=["00340434161094042557"])
    process(order)
    parcel = Parcel.objects.get(order_id=order.pk)
    TrackingEvent.objects.create(parcel=parcel, occurred_at=parcel.shipped_at,
                                 status="in_transit", location="Köln, DE",
                                 description="Bearbeitet", source="dhl", source_id="d-1")
    for key, state in (("sent", "sent"), ("due", "pending")):
        NotificationLog.objects.create(idempotency_key=f"{order.pk}:{key}", order_id=order.pk,
                                       channel_slug="default-channel", event="shipped",
                                       recipient="erika@example.com", state=state)
    EngagementEvent.objects.create(order_id=order.pk, channel_slug="default-channel",
                                   kind="page_view")
    client = Client()
    assert f"Order {order.number}" in client.get(page_url(order)).content.decode()
    token = client.post(f"{BASE}/api/token",
                        {"order_id": str(order.pk), "email": "erika@example.com"},
                        content_type="application/json").json()["token"]
    assert client.get(f"{BASE}/api/status/{token}").status_code == 200
    order.widget_token = token
    return order


def _nothing_left(order) -> None:
    assert not TrackedOrder.objects.filter(order_id=order.pk).exists()
    assert not Parcel.objects.filter(order_id=order.pk).exists()
    assert not TrackingEvent.objects.filter(parcel__order_id=order.pk).exists()
    assert not Milestone.objects.filter(order_id=order.pk).exists()
    assert not NotificationLog.objects.filter(order_id=order.pk).exists()
    assert not EngagementEvent.objects.filter(order_id=order.pk).exists()


def test_l6_deleted_order_link_shows_the_invalid_page_at_once(
    viewed_order, django_capture_on_commit_callbacks
):
    number = viewed_order.number
    with django_capture_on_commit_callbacks(execute=True):
        shop.Order.objects.get(pk=viewed_order.pk).delete()
    page = Client().get(page_url(viewed_order))
    html = page.content.decode()
    assert page.status_code == 403 and f"Order {number}" not in html
    assert "Nordwind Outfitters" in html  # the shop's branded page, not a bare error
    widget = Client().get(f"{BASE}/api/status/{viewed_order.widget_token}")
    assert widget.status_code == 403 and widget.json() == {"error": "invalid"}


def test_l6_deleted_orders_rows_are_removed_or_anonymised(
    viewed_order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        shop.Order.objects.get(pk=viewed_order.pk).delete()
    _nothing_left(viewed_order)
    # sent messages and engagement still count in the KPIs, naming nobody
    sent = NotificationLog.objects.get(idempotency_key=f"{viewed_order.pk}:sent")
    assert (sent.order_id, sent.recipient, sent.state) == (None, "", "sent")
    assert not NotificationLog.objects.filter(idempotency_key=f"{viewed_order.pk}:due").exists()
    assert EngagementEvent.objects.filter(kind="page_view", order_id=None).exists()


def test_l6_bulk_deletion_like_saleors_expiry_task_forgets_every_order(
    viewed_order, make_order, django_capture_on_commit_callbacks
):
    other = make_order(lines=1, parcels=1, tracking_numbers=["1Z999AA10123456784"])
    process(other)
    kept = make_order(lines=1, parcels=1, tracking_numbers=["00340434161094042558"])
    process(kept)
    with django_capture_on_commit_callbacks(execute=True):
        shop.Order.objects.filter(pk__in=[viewed_order.pk, other.pk]).delete()
    _nothing_left(viewed_order)
    _nothing_left(other)
    assert Parcel.objects.filter(order_id=kept.pk).exists()
    assert Client().get(page_url(kept)).status_code == 200


def test_l6_rolled_back_deletion_keeps_everything(
    viewed_order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as scheduled:
        with pytest.raises(RuntimeError), transaction.atomic():
            shop.Order.objects.get(pk=viewed_order.pk).delete()
            raise RuntimeError("the shop's transaction fails")
    assert scheduled == []
    assert Parcel.objects.filter(order_id=viewed_order.pk).exists()
    assert Client().get(page_url(viewed_order)).status_code == 200
