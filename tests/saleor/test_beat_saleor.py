"""A stock ``celery -A saleor.celeryconf:app beat`` schedules our periodic tasks: Saleor's
settings are not edited, the plugin registers its entries when Django sets up."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from django.conf import settings

from saleor_aftersales import beat


def test_saleors_own_beat_lists_our_entries(tmp_path, db):
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "saleor.tests.settings", "DATABASE_URL": url}
    out = tmp_path / "beat.out"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "saleor.celeryconf:app",
        "beat",
        "-l",
        "debug",
        "--schedule",
        str(tmp_path / "schedule"),
        "--pidfile=",
    ]
    with out.open("w") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and process.poll() is None:
                if "beat: Waking up" in out.read_text():
                    break
                time.sleep(0.5)
        finally:
            process.terminate()
            process.wait(timeout=30)
    text = out.read_text()
    schedule = text.split("Current schedule:")[-1]
    assert "saleor.warehouse.tasks" in schedule, text[-3000:]  # Saleor's own entries …
    for name, entry in beat.BEAT_SCHEDULE.items():  # … and ours
        assert f"<ScheduleEntry: {name} {entry['task']}" in schedule, text[-3000:]
