"""A stock ``celery beat`` of the app runs our periodic tasks: nothing in the settings names
them (the sandbox's settings, like Saleor's, define no ``CELERY_BEAT_SCHEDULE`` of ours)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

from saleor_aftersales import beat

ROOT = Path(__file__).resolve().parents[2]


def test_settings_name_none_of_our_entries():
    assert not set(getattr(settings, "CELERY_BEAT_SCHEDULE", {}) or {}) & set(beat.BEAT_SCHEDULE)


def test_register_adds_our_entries_and_keeps_the_owners():
    app = Celery("elsewhere", set_as_current=False)
    mine = {"task": "saleor_aftersales.tasks.poll_due_parcels_task", "schedule": 60.0}
    app.conf.beat_schedule = {"aftersales-poll-parcels": mine, "shop-task": {"task": "x"}}
    added = beat.register(app)
    assert "aftersales-poll-parcels" not in added and "aftersales-outbox-sweep" in added
    assert app.conf.beat_schedule["aftersales-poll-parcels"] is mine
    assert set(app.conf.beat_schedule) == set(beat.BEAT_SCHEDULE) | {"shop-task"}
    assert beat.register(app) == []  # idempotent


def run_beat(app: str, env: dict[str, str], tmp_path: Path, cwd: Path = ROOT) -> str:
    """Start ``celery -A <app> beat`` and return its log once it listed its schedule."""
    log = tmp_path / "beat.log"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        app,
        "beat",
        "-l",
        "debug",
        "--schedule",
        str(tmp_path / "schedule"),
        "--pidfile=",
        "--logfile",
        str(log),
    ]
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = log.read_text() if log.exists() else ""
            if "Current schedule:" in text and "aftersales" in text.split("Current schedule:")[1]:
                return text
            if process.poll() is not None:
                break
            time.sleep(0.3)
        return log.read_text() if log.exists() else ""
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.worker
def test_a_stock_celery_beat_schedules_our_entries(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    text = run_beat("sandbox.celery:app", env, tmp_path)
    schedule = text.split("Current schedule:")[-1]
    for name, entry in beat.BEAT_SCHEDULE.items():
        assert f"<ScheduleEntry: {name} {entry['task']}" in schedule, text[-2000:]


def test_register_reaches_a_schedule_read_from_django_style_settings():
    """Saleor's app reads ``CELERY_BEAT_SCHEDULE`` through the ``CELERY`` namespace; that
    setting shadows ``conf.beat_schedule = …``, so the entries must land in it."""

    class Settings:
        CELERY_BEAT_SCHEDULE = {"shop-task": {"task": "x", "schedule": 60.0}}

    app = Celery("saleor-like", set_as_current=False)
    app.config_from_object(Settings, namespace="CELERY")
    beat.register(app)
    assert set(app.conf.beat_schedule) == set(beat.BEAT_SCHEDULE) | {"shop-task"}


def test_django_setup_leaves_the_projects_celery_app_current_in_every_thread(tmp_path):
    """Registering must not create Celery's fallback app: a request thread would take it as its
    current app and send its tasks to a broker nobody reads (the demo's Play lost its emails)."""
    script = (
        "import django, threading; django.setup()\n"
        "from celery import Celery, current_app, _state\n"
        "app = Celery('project', broker='memory://')\n"
        "seen = []\n"
        "t = threading.Thread(target=lambda: seen.append(current_app.main)); t.start(); t.join()\n"
        "print(_state.default_app.main, seen[0])\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "demo.settings"}
    env["AFTERSALES_DEMO_OUT"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=60, check=True,
    ).stdout.split()
    assert out == ["project", "project"], out  # before: ["default", "default"]
