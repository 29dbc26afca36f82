"""Data retention deletes old events per channel and keeps recent ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_aftersales.models import EngagementEvent, NotificationLog, Parcel, TrackingEvent
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.retention.purge import purge_old_data
from saleor_aftersales.tasks import purge_old_data_task
from sandbox import factories

pytestmark = pytest.mark.django_db


def test_old_data_is_forgotten_recent_data_kept(channel, make_order):
    factories.make_channel("default-channel", data_retention_days=30)
    order = make_order(lines=1, parcels=1, tracking_numbers=["00340434161094042557"])
    lifecycle.handle_order_event(str(order.pk), "order_fulfilled")
    parcel = Parcel.objects.get()
    old = timezone.now() - timedelta(days=45)
    for i, when in enumerate([old, timezone.now()]):
        TrackingEvent.objects.create(
            parcel=parcel, occurred_at=when, status="in_transit", source="dhl", source_id=f"e{i}"
        )
        EngagementEvent.objects.create(
            order_id=order.pk, channel_slug="default-channel", kind="page_view", created_at=when
        )
    log = NotificationLog.objects.create(
        idempotency_key="k1", channel_slug="default-channel", event="shipped",
        recipient="erika@example.com",
    )
    NotificationLog.objects.filter(pk=log.pk).update(created_at=old)

    counts = purge_old_data()

    assert counts == {"tracking_events": 1, "engagement_events": 1, "recipients_erased": 1}
    assert TrackingEvent.objects.get().source_id == "e1"
    assert EngagementEvent.objects.count() == 1
    log.refresh_from_db()
    assert log.recipient == "" and log.event == "shipped"
    assert purge_old_data_task.delay().get() == {
        "tracking_events": 0, "engagement_events": 0, "recipients_erased": 0
    }
