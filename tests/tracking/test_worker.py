"""A real Celery worker (subprocess, Redis broker) runs the polling path end to end."""

from __future__ import annotations

import os
import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_aftersales.models import Parcel, Problem, TrackingEvent
from saleor_aftersales.orchestration import lifecycle
from sandbox import factories
from tests.workers import broker_at, wait_for, worker_process

from .fakes import dhl_event, dhl_payload

NUMBER = "00340434161094042557"


@pytest.fixture
def worker(settings):
    """A worker process on a queue of its own; tasks sent to that queue go through Redis."""
    broker = os.environ.get("CELERY_BROKER_URL") or settings.REDIS_URL
    queue = f"aftersales-test-{uuid.uuid4().hex[:8]}"
    # same shared cache as this process: circuit breakers are common
    with worker_process(broker, settings.REDIS_URL, queue=queue), broker_at(broker):
        yield queue


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_polls_due_parcels_and_detects_problems(tracking_channel, carrier_server, worker):
    from saleor_aftersales.tasks import detect_problems_task, poll_due_parcels_task

    order = factories.make_order(lines=1, parcels=1, channel=tracking_channel,
                                 tracking_numbers=[NUMBER])
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    parcel = Parcel.objects.get(order_id=order.pk)
    day = timezone.now() - timedelta(days=6)
    carrier_server.dhl[NUMBER] = dhl_payload(NUMBER, [
        dhl_event(day.isoformat(), "pre-transit", "Elektronisch angekündigt"),
        dhl_event((day + timedelta(hours=9)).isoformat(), "transit", "Im Paketzentrum bearbeitet"),
    ], eta=(day + timedelta(days=2)).isoformat())
    Parcel.objects.filter(pk=parcel.pk).update(next_check_at=timezone.now())

    poll_due_parcels_task.apply_async(queue=worker)
    # the worker polls the parcel
    wait_for(lambda: Parcel.objects.get(pk=parcel.pk).status == "in_transit", timeout=60)
    parcel.refresh_from_db()
    assert TrackingEvent.objects.filter(parcel=parcel).count() == 2
    assert carrier_server.calls[NUMBER] == 1
    assert parcel.next_check_at > timezone.now()

    # the carrier's date passed four days ago: exactly one delay problem, however often run
    for _ in range(2):
        detect_problems_task.apply_async(queue=worker)
    wait_for(lambda: Problem.objects.filter(parcel=parcel, kind="overdue").exists(), timeout=60)
    time.sleep(1)
    assert Problem.objects.filter(parcel=parcel).count() == 1
