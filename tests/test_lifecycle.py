"""Lifecycle events through the sandbox host: orders and parcels are tracked, once."""

from __future__ import annotations

import pytest

from saleor_aftersales.models import Milestone, Parcel, TrackedOrder
from saleor_aftersales.orchestration import lifecycle
from sandbox import factories

pytestmark = pytest.mark.django_db


def test_order_created_records_order_and_first_milestones(make_order):
    order = make_order(lines=2)
    assert lifecycle.handle_order_event(str(order.pk), "order_created")
    tracked = TrackedOrder.objects.get(order_id=order.pk)
    assert tracked.channel_slug == "default-channel"
    assert tracked.paid_at is not None
    kinds = set(Milestone.objects.filter(order_id=order.pk).values_list("kind", flat=True))
    assert {"received", "paid"} <= kinds


def test_repeated_events_are_idempotent(make_order):
    order = make_order(lines=3, parcels=2, tracking_numbers=["00340434161094042557", ""])
    for _ in range(3):
        lifecycle.handle_order_event(str(order.pk), "order_fulfilled")
        for f in order.fulfillments.all():
            lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    assert TrackedOrder.objects.filter(order_id=order.pk).count() == 1
    assert Parcel.objects.filter(order_id=order.pk).count() == 2
    assert Milestone.objects.filter(order_id=order.pk, kind="shipped").count() == 2


def test_inactive_channel_is_a_no_op(db):
    channel = factories.make_channel("off", active=False)
    order = factories.make_order(lines=1, parcels=1, channel=channel)
    assert lifecycle.handle_order_event(str(order.pk), "order_created") is False
    assert not TrackedOrder.objects.exists()


def test_unknown_order_is_not_an_error(db):
    assert (
        lifecycle.handle_order_event("8d4f6a7e-0000-4000-8000-000000000000", "order_created")
        is False
    )
    assert lifecycle.handle_order_event("not-a-uuid", "order_created") is False


def test_unknown_event_is_rejected(make_order):
    with pytest.raises(ValueError, match="unknown order event"):
        lifecycle.handle_order_event(str(make_order().pk), "order_exploded")


def test_shipped_email_is_queued_when_another_event_synced_the_parcel_first(make_order):
    """Tasks run out of order (a backlog after an outage): ``order_updated`` syncs the new
    parcel before ``fulfillment_created`` runs; the shipped email is still queued, once."""
    from saleor_aftersales.models import NotificationLog

    factories.make_channel("default-channel", emails_enabled="true")
    order = make_order(lines=1, parcels=1, tracking_numbers=["00340434161094042557"])
    assert lifecycle.handle_order_event(str(order.pk), "order_updated")
    assert Parcel.objects.filter(order_id=order.pk).count() == 1
    assert not NotificationLog.objects.filter(event="shipped").exists()
    for _ in range(2):
        lifecycle.handle_fulfillment_event(str(order.fulfillments.get().pk), "fulfillment_created")
    assert NotificationLog.objects.filter(event="shipped", order_id=order.pk).count() == 1
