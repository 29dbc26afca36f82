"""``manage.py aftersales_export``: the CSV files read back hold what the dashboard shows."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from saleor_aftersales.models import EngagementEvent, NotificationLog, Parcel, Problem, Review
from saleor_aftersales.orchestration import lifecycle
from sandbox import factories

pytestmark = pytest.mark.django_db
DHL = "00340434161094042557"
UPS = "1Z999AA10123456784"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def export(tmp_path: Path, *args: str) -> dict[str, list[dict[str, str]]]:
    out = io.StringIO()
    call_command("aftersales_export", "--out", str(tmp_path), *args, stdout=out)
    assert "parcels.csv: " in out.getvalue()
    names = ("parcels", "problems", "messages", "kpis", "insights")
    return {name: read(tmp_path / f"{name}.csv") for name in names}


@pytest.fixture
def shop(make_order, channel):
    order = make_order(lines=2, parcels=2, tracking_numbers=[DHL, UPS], email="erika@example.com")
    lifecycle.handle_order_event(str(order.pk), "order_created")
    now = timezone.now()
    delivered = Parcel.objects.get(tracking_number=DHL)
    delivered.status, delivered.delivered_at = "delivered", now - timedelta(days=1)
    delivered.promised_delivery = (now + timedelta(days=1)).date()
    delivered.save()
    late = Parcel.objects.get(tracking_number=UPS)
    Problem.objects.create(
        key="p1", order_id=order.pk, channel_slug=channel.slug, parcel=late, kind="overdue"
    )
    NotificationLog.objects.create(
        idempotency_key="k1", order_id=order.pk, channel_slug=channel.slug, parcel=delivered,
        event="delivered", state="sent", sent_at=now, recipient="erika@example.com",
        subject="Delivered",
    )  # fmt: skip
    EngagementEvent.objects.create(order_id=order.pk, channel_slug=channel.slug, kind="buy_again")
    Review.objects.create(order_id=order.pk, channel_slug=channel.slug, rating=4)
    other = factories.make_channel("other-channel")
    elsewhere = make_order(lines=1, parcels=1, tracking_numbers=["00340434161094042558"],
                           channel=other)  # fmt: skip
    lifecycle.handle_order_event(str(elsewhere.pk), "order_created")
    return order


def test_the_files_hold_the_channels_parcels_problems_messages_and_figures(tmp_path, shop):
    files = export(tmp_path, "--channel", "default-channel")

    parcels = {row["tracking_number"]: row for row in files["parcels"]}
    assert set(parcels) == {DHL, UPS}
    assert parcels[DHL]["carrier"] == "dhl" and parcels[DHL]["status"] == "delivered"
    assert parcels[DHL]["order_id"] == str(shop.pk)
    assert parcels[DHL]["delivered_at"].endswith("+00:00")
    [problem] = files["problems"]
    assert (problem["kind"], problem["tracking_number"]) == ("overdue", UPS)
    [message] = files["messages"]
    assert (message["event"], message["state"], message["fulfillment_id"]) == (
        "delivered", "sent", parcels[DHL]["fulfillment_id"],
    )  # fmt: skip
    # no personal data: the recipient stays in the shop
    assert "recipient" not in message
    assert "erika@example.com" not in "".join(p.read_text() for p in tmp_path.iterdir())

    [kpis] = files["kpis"]
    assert kpis["channel_slug"] == "default-channel"
    assert (kpis["parcels_delivered"], kpis["parcels_pending"]) == ("1", "1")
    assert (kpis["delivered_parcels"], kpis["on_time_rate"]) == ("1", "1.0")
    assert (kpis["notifications_sent"], kpis["buy_again_checkouts"]) == ("1", "1")
    assert (kpis["ratings_4"], kpis["rating_average"]) == ("1", "4.0")

    charts = {(r["chart"], r["label"]): r for r in files["insights"]}
    assert charts[("on_time_promised", "DHL Paket")]["value"] == "1.0"
    assert charts[("buy_again", "Checkouts")]["based_on"] == "1"
    assert {r["channel_slug"] for r in files["insights"]} == {"default-channel"}


def test_every_channel_and_the_period(tmp_path, shop):
    files = export(tmp_path)
    assert {r["channel_slug"] for r in files["kpis"]} == {"default-channel", "other-channel"}
    assert len(files["parcels"]) == 3

    Parcel.objects.update(shipped_at=timezone.now() - timedelta(days=60))
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    files = export(tmp_path / "week", "--since", since)
    assert files["parcels"] == []  # the header is still there
    assert (tmp_path / "week" / "parcels.csv").read_text().startswith("order_id,")


def test_bad_arguments_are_refused(tmp_path, shop):
    with pytest.raises(CommandError, match="unknown channel"):
        export(tmp_path, "--channel", "nope")
    with pytest.raises(CommandError, match="future"):
        export(tmp_path, "--since", "2999-01-01")
