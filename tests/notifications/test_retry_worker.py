"""A real Celery worker: SMTP down, then up → delivered exactly once after a retry.

The worker runs in a thread with Celery's in-memory broker (kombu's Redis transport needs a
newer redis-py than the one pinned for Django's cache); retries go through the broker with
their countdown, as in production.
"""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from saleor_aftersales.models import NotificationLog
from saleor_aftersales.orchestration import lifecycle
from sandbox import celery as sandbox_celery
from sandbox import factories
from tests.workers import broker_at, wait_for

from .conftest import SmtpServer, mail_config

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_app(settings):
    with (
        broker_at("memory://", result_backend="cache+memory://"),
        start_worker(sandbox_celery.app, pool="solo", perform_ping_check=False,
                     loglevel="WARNING", shutdown_timeout=10),
    ):
        yield sandbox_celery.app


def test_smtp_down_then_up_delivers_exactly_once_after_a_retry(channel, settings, worker_app):
    settings.AFTERSALES_NOTIFICATION_RETRY_BASE = 1
    server = SmtpServer()  # its port is not listening yet: the SMTP server is down
    factories.make_channel("default-channel", **mail_config(server.url))
    order = factories.make_order(lines=1, parcels=1, channel=channel,
                                 tracking_numbers=["00340434161094042557"])
    lifecycle.handle_fulfillment_event(str(order.fulfillments.first().pk), "fulfillment_created")
    try:
        log = wait_for(lambda: NotificationLog.objects.filter(attempts__gte=1).first())
        assert log.state == "pending" and "refused" in log.error.lower()
        server.start()  # back up before the retry comes due
        wait_for(lambda: NotificationLog.objects.filter(pk=log.pk, state="sent").exists())
        time.sleep(1.5)  # nothing else is on its way
        log.refresh_from_db()
        assert len(server.inbox.messages) == 1
        assert log.attempts == 2
        assert server.inbox.messages[0]["Subject"] == f"Your order {order.number} is on its way"
    finally:
        server.stop()
