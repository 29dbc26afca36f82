"""The Insights and Health tabs of the Aftersales page, and each chart's CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from django.utils import timezone

from saleor_aftersales.models import NotificationLog, Parcel, Review

from .conftest import ROOT, get


def _deliver(order, days: int, promised_in: int) -> None:
    now = timezone.now()
    for parcel in Parcel.objects.filter(order_id=order.pk):
        parcel.status = "delivered"
        parcel.carrier = "dhl"
        parcel.shipped_at = now - timedelta(days=days)
        parcel.delivered_at = now
        parcel.promised_delivery = (now - timedelta(days=days - promised_in)).date()
        parcel.save()


def test_charts_are_svg_with_text_alternatives_and_csv(client, order_with_problem, token):
    _deliver(order_with_problem, days=3, promised_in=5)  # early: on time
    Review.objects.create(order_id=order_with_problem.pk, channel_slug="default-channel", rating=4)
    NotificationLog.objects.filter(order_id=order_with_problem.pk).update(sent_at=timezone.now())
    body = get(client, f"{ROOT}/api/insights?days=30", token()).content.decode()
    assert body.count('<svg class="as-dash__chart" role="img"') == 10
    assert "On time against the promised date" in body
    assert re.search(r"<desc[^>]*>DHL Paket 100 %</desc>", body)  # both parcels on time
    assert "4 stars 1" in body  # the ratings chart's description
    link = re.search(r'href="([^"]+/api/insights/ratings\.csv[^"]+)"', body).group(1)
    response = client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Group", "Label", "Value", "Based on"]
    assert ["", "4 stars", "1", "1"] in rows
    assert (
        client.get(link.replace("&amp;", "&").replace("ratings.csv", "emails.csv")).status_code
        == 403
    )  # a link is for its own chart


def test_insights_in_german_and_scoped_to_the_callers_channels(client, order_with_problem, token):
    _deliver(order_with_problem, days=9, promised_in=5)  # late
    body = get(client, f"{ROOT}/api/insights?lang=de", token()).content.decode()
    assert "Pünktlich zum zugesagten Datum" in body and "CSV herunterladen" in body
    other = get(client, f"{ROOT}/api/insights", token(channels=["other"])).content.decode()
    assert "DHL" not in other and "No data in this period." in other


def test_health_tab_shows_the_doctors_report(client, db, token):
    body = get(client, f"{ROOT}/api/health", token()).content.decode()
    assert "migrations: all applied" in body and "broker: none configured" in body
    assert get(client, f"{ROOT}/api/health", token(channels=["x"])).status_code == 403


def test_estimate_accuracy_per_carrier_and_lane(client, order_with_problem, token):
    from saleor_aftersales.models import EtaEstimate

    _deliver(order_with_problem, days=3, promised_in=5)
    parcels = list(Parcel.objects.filter(order_id=order_with_problem.pk).order_by("pk"))
    today = timezone.localdate()
    # one estimate was right; the other said "three weeks ago" (far off)
    EtaEstimate.objects.create(parcel=parcels[0], estimated_date=today, source="carrier")
    EtaEstimate.objects.create(
        parcel=parcels[1], estimated_date=today - timedelta(days=21), source="carrier"
    )
    Parcel.objects.filter(pk__in=[p.pk for p in parcels]).update(destination_country="DE")
    body = get(client, f"{ROOT}/api/insights", token()).content.decode()
    assert re.search(
        r"Estimates within one business day</title><desc[^>]*>DHL Paket → DE 50 %", body
    ), body


def test_subject_test_significance():
    from saleor_aftersales.dashboard.insights import _p_value

    assert _p_value(50, 100, 50, 100) == 1.0
    assert _p_value(30, 100, 60, 100) < 0.001  # 30 % against 60 % of 100 each: significant
    assert 0.05 < _p_value(30, 100, 40, 100) < 0.2  # 10 points on 100 each: not (yet)
    assert _p_value(0, 0, 5, 10) == 1.0


def test_every_email_trigger_has_a_name_in_the_email_chart(client, order_with_problem, token):
    """Staff read 'Return approved' / 'Rücksendung genehmigt', never a code like
    'return_approved' (the return emails and the staff digest were shown raw)."""
    from saleor_aftersales.config import EMAIL_EVENTS, RETURN_EMAIL_EVENTS

    events = EMAIL_EVENTS + RETURN_EMAIL_EVENTS
    for n, event in enumerate(events):
        NotificationLog.objects.create(
            idempotency_key=f"named-{n}", order_id=order_with_problem.pk,
            channel_slug="default-channel", event=event, medium="email",
            recipient="shopper@example.com", state="sent", sent_at=timezone.now(),
        )
    for lang in ("en", "de"):
        body = get(client, f"{ROOT}/api/insights?days=30&lang={lang}", token()).content.decode()
        assert not [event for event in events if event in body], lang
    assert "Rücksendung genehmigt" in body
