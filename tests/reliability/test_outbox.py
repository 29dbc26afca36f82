"""M1 and L8: work decided in the shopper's request survives a broker that is down, hung or
that loses a retry; the outbox sweep finishes it later, once, and the hook stays fast."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from celery.exceptions import Reject
from django.db import connection, transaction
from django.utils import timezone

from saleor_aftersales import beat
from saleor_aftersales.core import outbox
from saleor_aftersales.models import Milestone, NotificationLog, OutboxTask, Parcel, TrackedOrder
from saleor_aftersales.tasks import (
    handle_fulfillment_event_task,
    handle_order_event_task,
    send_notification_task,
    sweep_outbox_task,
)
from sandbox import factories
from tests.notifications.conftest import SmtpServer, mail_config

from .outbox_support import (
    SilentBroker,
    broker_at,
    closed_port,
    timed_hook,
    wait_for,
    worker_process,
)

pytestmark = pytest.mark.django_db(transaction=True)

DHL = "00340434161094042557"
#: A hook may cost the shopper at most this with the broker hung (publish timeout 0.5 s).
HOOK_BOUND = 1.5


def _grace_elapsed() -> None:
    """Let the grace period pass for everything recorded so far."""
    past = timezone.now() - timedelta(seconds=1)
    OutboxTask.objects.update(due_at=past)
    NotificationLog.objects.filter(state="pending").update(next_attempt_at=past)


def _shipped_order(smtp_url: str):
    channel = factories.make_channel("default-channel", shop_name="Nordwind Outfitters",
                                     sender_email="service@shop.example.com",
                                     **mail_config(smtp_url))
    order = factories.make_order(lines=1, parcels=1, channel=channel, tracking_numbers=[DHL])
    return order, order.fulfillments.get()


def test_the_sweep_runs_every_minute_from_the_beat_schedule():
    entry = beat.BEAT_SCHEDULE["aftersales-outbox-sweep"]
    assert entry["task"] == sweep_outbox_task.name
    assert entry["schedule"] <= timedelta(minutes=1)


@pytest.mark.worker
def test_m1_broker_down_during_the_hook_then_back_the_sweep_sends_the_email_once(settings):
    smtp = SmtpServer().start()
    try:
        order, fulfillment = _shipped_order(smtp.url)
        with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):  # the broker is down
            took = timed_hook(handle_fulfillment_event_task, str(fulfillment.pk),
                              "fulfillment_created", str(order.pk))
        assert took < HOOK_BOUND
        assert OutboxTask.objects.count() == 1  # the decision survived the lost publish
        assert not Parcel.objects.exists() and smtp.inbox.messages == []

        broker = settings.REDIS_URL  # the broker is back: a worker, and the beat's sweep
        with broker_at(broker), worker_process(broker, settings.REDIS_URL):
            _grace_elapsed()
            sweep_outbox_task.apply_async()
            wait_for(lambda: len(smtp.inbox.messages) >= 1, timeout=60)
            sweep_outbox_task.apply_async()  # a second sweep finds nothing left to do
            time.sleep(2)
        assert len(smtp.inbox.messages) == 1
        assert smtp.inbox.messages[0]["Subject"] == f"Your order {order.number} is on its way"
        assert NotificationLog.objects.get().state == "sent"
        assert not OutboxTask.objects.exists()
    finally:
        smtp.stop()


def test_m1_lifecycle_event_published_while_the_broker_is_down_is_run_by_the_sweep(db):
    channel = factories.make_channel("default-channel")
    order = factories.make_order(lines=2, channel=channel)
    with broker_at(f"amqp://guest:guest@127.0.0.1:{closed_port()}//"):
        took = timed_hook(handle_order_event_task, str(order.pk), "order_created")
    assert took < HOOK_BOUND
    assert not TrackedOrder.objects.exists()

    sweep_outbox_task.apply()  # within the grace: the publish may still be on its way
    assert OutboxTask.objects.count() == 1 and not TrackedOrder.objects.exists()

    _grace_elapsed()
    result = sweep_outbox_task.apply().get()
    assert result["tasks_done"] == 1
    assert TrackedOrder.objects.filter(order_id=order.pk).exists()
    assert Milestone.objects.filter(order_id=order.pk, kind="received").count() == 1
    assert not OutboxTask.objects.exists()
    sweep_outbox_task.apply()  # nothing runs twice
    assert Milestone.objects.filter(order_id=order.pk, kind="received").count() == 1


def test_m1_a_retry_whose_publish_fails_is_not_lost(settings):
    settings.AFTERSALES_NOTIFICATION_RETRY_BASE = 30
    smtp = SmtpServer()  # not started: SMTP refuses
    order, fulfillment = _shipped_order(smtp.url)
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        timed_hook(handle_fulfillment_event_task, str(fulfillment.pk), "fulfillment_created",
                   str(order.pk))
        _grace_elapsed()
        sweep_outbox_task.apply()  # runs the event: the notification row is queued
        log = NotificationLog.objects.get()
        # The worker runs the send task; SMTP refuses; the retry cannot reach the broker.
        send_notification_task.push_request(id="t-1", retries=0, is_eager=False,
                                            called_directly=False, delivery_info={})
        try:
            with pytest.raises(Reject):
                send_notification_task.run(log.pk)
        finally:
            send_notification_task.pop_request()
    log.refresh_from_db()
    assert (log.state, log.attempts) == ("pending", 1)
    assert log.next_attempt_at > timezone.now() + timedelta(seconds=20)  # its backoff

    smtp.start()
    try:
        sweep_outbox_task.apply()  # not due yet: the backoff holds
        assert smtp.inbox.messages == []
        _grace_elapsed()
        assert sweep_outbox_task.apply().get()["notifications_sent"] == 1
        sweep_outbox_task.apply()
        assert len(smtp.inbox.messages) == 1
        log.refresh_from_db()
        assert (log.state, log.attempts) == ("sent", 2)
    finally:
        smtp.stop()


@pytest.mark.parametrize("scheme", ["amqp", "redis"])
def test_l8_a_hung_broker_costs_the_hook_one_short_timeout_and_the_sweep_does_the_work(scheme):
    channel = factories.make_channel("default-channel")
    orders = [factories.make_order(lines=1, channel=channel) for _ in range(3)]
    broker = SilentBroker()
    url = (f"amqp://guest:guest@127.0.0.1:{broker.port}//" if scheme == "amqp"
           else f"redis://127.0.0.1:{broker.port}/0")
    try:
        with broker_at(url):
            times = [timed_hook(handle_order_event_task, str(o.pk), "order_created")
                     for o in orders]
    finally:
        broker.close()
    assert broker.accepted, "the hook never reached the hung broker"
    assert times[0] < HOOK_BOUND, times
    assert max(times[1:]) < 0.2, times  # paused after the failure: no second timeout
    assert OutboxTask.objects.count() == 3

    _grace_elapsed()
    sweep_outbox_task.apply()
    assert TrackedOrder.objects.count() == 3 and not OutboxTask.objects.exists()


def test_the_sweep_skips_a_row_that_is_running_elsewhere(db):
    channel = factories.make_channel("default-channel")
    order = factories.make_order(lines=1, channel=channel)
    row = outbox.add(handle_order_event_task.name, [str(order.pk), "order_created"])
    _grace_elapsed()
    locked, release = threading.Event(), threading.Event()

    def worker_holding_the_row() -> None:
        with transaction.atomic():
            OutboxTask.objects.select_for_update().get(pk=row.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=worker_holding_the_row)
    thread.start()
    try:
        assert locked.wait(10)
        assert sweep_outbox_task.apply().get()["tasks_skipped"] == 1
        assert not TrackedOrder.objects.exists()
    finally:
        release.set()
        thread.join()
    sweep_outbox_task.apply()
    assert TrackedOrder.objects.exists() and not OutboxTask.objects.exists()


def test_a_failing_task_keeps_its_row_with_a_backoff_and_undoes_its_writes(settings):
    settings.AFTERSALES_OUTBOX_MAX_ATTEMPTS = 2
    row = outbox.add(handle_order_event_task.name, ["8d4f6a7e-0000-4000-8000-0000000000aa",
                                                     "order_exploded"])
    _grace_elapsed()
    assert outbox.run(row.pk, swept=True) == "retry"
    row.refresh_from_db()
    assert row.attempts == 1 and "unknown order event" in row.error
    assert row.due_at > timezone.now()
    assert outbox.run(row.pk, swept=True) == "skipped"  # backing off
    assert outbox.run(row.pk) == "failed"  # the second failure gives up, visibly
    row.refresh_from_db()
    assert row.failed_at is not None
    assert outbox.run(row.pk) == "skipped"
