"""KPIs: parcels by status, on-time rate, notifications, page views, buy again, ratings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from saleor_aftersales.models import EngagementEvent, NotificationLog, Parcel, Review
from saleor_aftersales.orchestration.analytics import channel_kpis

pytestmark = pytest.mark.django_db

KPIS = """
query($since: DateTime, $until: DateTime) {
  aftersalesKpis(since: $since, until: $until) {
    channel parcelsByStatus { status count } deliveredParcels onTimeRate
    notificationsSent notificationsOpened notificationsClicked
    pageViews widgetViews buyAgainCheckouts buyAgainOrders buyAgainRate
    ratingsCount ratingAverage ratings { rating count }
  }
}
"""


def _parcel(n, status="in_transit", delivered_days_late=None, channel="default-channel"):
    now = timezone.now()
    parcel = Parcel.objects.create(
        order_id=f"00000000-0000-0000-0000-{n:012d}", channel_slug=channel,
        fulfillment_id=f"{channel}-{n}", status=status, shipped_at=now - timedelta(days=3),
    )
    if delivered_days_late is not None:
        parcel.delivered_at = now
        parcel.promised_delivery = date.today() - timedelta(days=delivered_days_late)
        parcel.save()
    return parcel


def _seed():
    _parcel(1, "delivered", delivered_days_late=0)  # on time (delivered on the day)
    _parcel(2, "delivered", delivered_days_late=-2)  # early
    _parcel(3, "delivered", delivered_days_late=2)  # late
    _parcel(4, "in_transit")
    _parcel(5, "exception")
    _parcel(6, "in_transit", channel="other")  # another channel: not counted
    now = timezone.now()
    logs = [
        NotificationLog.objects.create(
            idempotency_key=f"n{i}", channel_slug="default-channel", event="shipped",
            state="sent", sent_at=now,
        )
        for i in range(4)
    ]
    NotificationLog.objects.create(
        idempotency_key="failed", channel_slug="default-channel", event="shipped", state="failed"
    )
    kinds = [
        ("open", logs[0]), ("open", logs[0]), ("open", logs[1]), ("click", logs[0]),
        ("page_view", None), ("page_view", None), ("page_view", None), ("page_view", None),
        ("widget_view", None), ("buy_again", None), ("buy_again_checkout", None),
    ]
    for kind, log in kinds:
        EngagementEvent.objects.create(channel_slug="default-channel", kind=kind, notification=log)
    EngagementEvent.objects.create(channel_slug="other", kind="page_view")
    for i, stars in enumerate([5, 4, 4]):
        Review.objects.create(
            order_id=f"00000000-0000-0000-0001-{i:012d}", channel_slug="default-channel",
            rating=stars,
        )


def test_kpis_through_the_api(gql, channel, staff_token):
    _seed()
    _, body = gql(KPIS, {}, token=staff_token)
    k = body["data"]["aftersalesKpis"]
    assert k["channel"] == "default-channel"
    assert {s["status"]: s["count"] for s in k["parcelsByStatus"]} == {
        "DELIVERED": 3, "IN_TRANSIT": 1, "EXCEPTION": 1
    }
    assert k["deliveredParcels"] == 3
    assert k["onTimeRate"] == pytest.approx(2 / 3)
    assert (k["notificationsSent"], k["notificationsOpened"], k["notificationsClicked"]) == (
        4, 2, 1
    )
    assert (k["pageViews"], k["widgetViews"]) == (4, 1)
    assert (k["buyAgainCheckouts"], k["buyAgainOrders"]) == (1, 1)
    assert k["buyAgainRate"] == pytest.approx(0.25)
    assert (k["ratingsCount"], k["ratingAverage"]) == (3, 4.33)
    assert k["ratings"] == [
        {"rating": 1, "count": 0}, {"rating": 2, "count": 0}, {"rating": 3, "count": 0},
        {"rating": 4, "count": 2}, {"rating": 5, "count": 1},
    ]


def test_kpis_of_an_empty_period(gql, channel, staff_token):
    _seed()
    start = (timezone.now() - timedelta(days=400)).isoformat()
    end = (timezone.now() - timedelta(days=300)).isoformat()
    _, body = gql(KPIS, {"since": start, "until": end}, token=staff_token)
    k = body["data"]["aftersalesKpis"]
    assert k["parcelsByStatus"] == [] and k["onTimeRate"] is None
    assert k["buyAgainRate"] is None and k["ratingAverage"] is None


def test_kpis_bad_period(gql, channel, staff_token):
    now = timezone.now()
    _, body = gql(
        KPIS, {"since": now.isoformat(), "until": (now - timedelta(days=1)).isoformat()},
        token=staff_token,
    )
    assert body["data"] is None
    assert body["errors"][0]["message"] == "the period starts after it ends"
    status, body = gql(KPIS, {"since": "yesterday"}, token=staff_token)
    assert status == 400


def test_kpis_use_a_fixed_number_of_queries(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as empty:
        channel_kpis("default-channel")
    _seed()
    with CaptureQueriesContext(connection) as seeded:
        channel_kpis("default-channel")
    assert len(empty.captured_queries) == len(seeded.captured_queries)
