"""``manage.py aftersales_backfill``: orders placed before the install get tracked through
the hook path, shoppers get no email about the past, reruns and killed runs are safe."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from saleor_aftersales.core.parcel_status import ParcelStatus
from saleor_aftersales.models import NotificationLog, Parcel, ReviewRequest, TrackedOrder
from saleor_aftersales.notifications import rules
from saleor_aftersales.orchestration import lifecycle
from sandbox import factories
from sandbox import models as m

ROOT = Path(__file__).resolve().parents[2]
DHL = "00340434161094042557"
UPS = "1Z999AA10123456784"


def backfill(*args: str) -> str:
    out = io.StringIO()
    call_command("aftersales_backfill", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def placed(make_order, days_ago: float, **kwargs) -> m.Order:
    """An order placed and shipped ``days_ago`` days ago."""
    at = timezone.now() - timedelta(days=days_ago)
    order = make_order(created_at=at, **kwargs)
    order.fulfillments.update(created_at=at + timedelta(hours=5))
    return order


@pytest.mark.django_db
def test_old_orders_are_tracked_without_emails_about_the_past(make_order, channel):
    factories.make_channel(channel.slug, emails_enabled=True, confirmation_mode="replace")
    old = placed(make_order, 20, lines=2, parcels=2, tracking_numbers=[DHL, UPS])
    recent = placed(make_order, 2, lines=1, parcels=1, tracking_numbers=["00340434161094042558"])
    unshipped = placed(make_order, 3, lines=1)
    too_old = placed(make_order, 40, lines=1, parcels=1, tracking_numbers=[DHL])
    other = factories.make_channel("other-channel", sender_email="a@b.example", emails_enabled=True)
    elsewhere = placed(make_order, 5, lines=1, channel=other)
    off = factories.make_channel("off-channel", active=False)
    inactive = placed(make_order, 5, lines=1, channel=off)
    since = (timezone.now() - timedelta(days=30)).date().isoformat()

    out = backfill("--since", since, "--channel", "default-channel")

    assert "3 orders since" in out and "3 now tracked" in out and "0 failed" in out
    tracked = set(TrackedOrder.objects.values_list("order_id", flat=True))
    assert {str(o) for o in tracked} == {str(old.pk), str(recent.pk), str(unshipped.pk)}
    parcels = {p.tracking_number: p for p in Parcel.objects.filter(order_id=old.pk)}
    assert parcels[DHL].carrier == "dhl" and parcels[UPS].carrier == "ups"
    assert parcels[DHL].tracking_url.endswith(DHL)
    assert parcels[DHL].shipped_at == old.fulfillments.first().created_at
    # the timeline keeps the order's own times
    assert TrackedOrder.objects.get(order_id=old.pk).paid_at == old.created_at
    assert not mail.outbox
    assert not NotificationLog.objects.exclude(state="skipped").exists()
    assert not TrackedOrder.objects.filter(order_id__in=[too_old.pk, elsewhere.pk]).exists()

    # all channels: the other channel's order now; the inactive channel's is left alone
    out = backfill("--since", since)
    assert "3 already tracked" in out and "1 now tracked" in out
    assert "1 in channels where Aftersales is off" in out
    assert not TrackedOrder.objects.filter(order_id=inactive.pk).exists()
    assert Parcel.objects.count() == 3

    # the first carrier answers: history for the old order, news for the recent one
    for parcel in Parcel.objects.all():
        for status in (ParcelStatus.IN_TRANSIT, ParcelStatus.DELIVERED):
            rules.on_parcel_status(parcel, parcel.status, status)
            parcel.status = status
    sent = {
        (str(o), e)
        for o, e in NotificationLog.objects.exclude(state="skipped").values_list(
            "order_id", "event"
        )
    }
    assert sent == {(str(recent.pk), "delivered")}
    assert ReviewRequest.objects.get(order_id=old.pk).cancelled

    # a parcel shipped after the backfill is news: its shipped email goes out
    factories.add_fulfillment(unshipped, list(unshipped.lines.all()), UPS)
    fid = str(unshipped.fulfillments.get().pk)
    lifecycle.handle_fulfillment_event(fid, "fulfillment_created")
    assert NotificationLog.objects.filter(
        order_id=unshipped.pk, event="shipped", state="pending"
    ).exists()


@pytest.mark.django_db
def test_bad_arguments_are_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO date"):
        backfill("--since", "last tuesday")
    with pytest.raises(CommandError, match="positive"):
        backfill("--since", "2026-01-01", "--batch-size", "0")


def _command(*args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "django",
        "aftersales_backfill",
        "--settings=tests.settings",
        *args,
    ]


@pytest.mark.django_db(transaction=True)
def test_a_killed_run_resumes_and_tracks_each_order_once(channel):
    orders = [
        factories.make_order(
            channel=channel,
            lines=1,
            parcels=1,
            tracking_numbers=[DHL],
            created_at=timezone.now() - timedelta(days=10),
        )
        for _ in range(60)
    ]
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url}
    proc = subprocess.Popen(
        _command("--since", "2000-01-01", "--batch-size", "5", "--pause", "0.4"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while TrackedOrder.objects.count() < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
    done = TrackedOrder.objects.count()
    assert 10 <= done < 60, "the run should have been killed half-way"
    # one transaction per order: every tracked order has its parcel
    assert Parcel.objects.count() == done

    rerun = subprocess.run(
        _command("--since", "2000-01-01", "--no-progress"),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{60 - done} now tracked, {done} already tracked" in rerun.stdout
    assert TrackedOrder.objects.count() == 60
    assert sorted(Parcel.objects.values_list("order_id", flat=True)) == sorted(o.pk for o in orders)
    assert not NotificationLog.objects.exclude(state="skipped").exists()
