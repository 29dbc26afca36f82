"""A real Celery worker (subprocess, Redis broker) runs the polling path end to end."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from saleor_aftersales.models import Parcel, Problem, TrackingEvent
from saleor_aftersales.orchestration import lifecycle
from sandbox import factories

from .fakes import dhl_event, dhl_payload

NUMBER = "00340434161094042557"
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker(settings):
    from django.conf import settings as dj

    from sandbox.celery import app

    broker = os.environ.get("CELERY_BROKER_URL") or dj.REDIS_URL
    queue = f"aftersales-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),  # the test database pytest-django created
        "CELERY_BROKER_URL": broker,
        "REDIS_URL": dj.REDIS_URL,  # same shared cache: circuit breakers are common
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sandbox.celery", "worker",
         "--pool=solo", "-Q", queue, "-l", "warning", "--without-gossip", "--without-mingle",
         "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    old = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    try:
        yield queue
    finally:
        app.conf.task_always_eager, app.conf.broker_url = old
        proc.terminate()
        try:
            output = proc.communicate(timeout=15)[0]
        except subprocess.TimeoutExpired:
            proc.kill()
            output = proc.communicate()[0]
        if output and b"Traceback" in output:
            print(output.decode(errors="replace")[-3000:])


def _wait(predicate, timeout=60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


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
    assert _wait(lambda: Parcel.objects.get(pk=parcel.pk).status == "in_transit"), \
        "the worker did not poll the parcel"
    parcel.refresh_from_db()
    assert TrackingEvent.objects.filter(parcel=parcel).count() == 2
    assert carrier_server.calls[NUMBER] == 1
    assert parcel.next_check_at > timezone.now()

    # the carrier's date passed four days ago: exactly one delay problem, however often run
    for _ in range(2):
        detect_problems_task.apply_async(queue=worker)
    assert _wait(lambda: Problem.objects.filter(parcel=parcel, kind="overdue").exists())
    time.sleep(1)
    assert Problem.objects.filter(parcel=parcel).count() == 1
