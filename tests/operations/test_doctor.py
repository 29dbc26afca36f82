"""``manage.py aftersales_doctor`` against real PostgreSQL, Redis, a Celery worker, an SMTP
server and a carrier API on loopback; then with each of them broken, one at a time."""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from saleor_aftersales.beat import BEAT_SCHEDULE
from sandbox import factories
from sandbox.celery import app
from tests.notifications.conftest import SmtpServer
from tests.reliability.conftest import cache_at, closed_port
from tests.tracking.fakes import FakeCarrierServer

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def doctor() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("aftersales_doctor", "--timeout", "3", stdout=out, stderr=io.StringIO())
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


def line(text: str, start: str) -> str:
    found = [entry for entry in text.splitlines() if start in entry]
    assert found, text
    return found[0]


@pytest.fixture
def broker(settings):
    """The sandbox app with a real Redis broker instead of eager tasks."""
    old = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    app.set_current()
    yield settings.REDIS_URL
    app.conf.task_always_eager, app.conf.broker_url = old


@pytest.fixture
def worker(broker):
    s = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}",
        "CELERY_BROKER_URL": broker,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sandbox.celery",
            "worker",
            "--pool=solo",
            "-Q",
            f"doctor-{uuid.uuid4().hex[:8]}",
            "-n",
            "doctor@%h",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(60):  # until it answers a ping
            if app.control.ping(timeout=1.0):
                break
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture
def shop():
    """A channel with its own SMTP server and DHL on loopback, both healthy."""
    smtp = SmtpServer().start()
    carrier = FakeCarrierServer().__enter__()
    channel = factories.make_channel(
        "default-channel",
        shop_name="Nordwind",
        emails_enabled="true",
        sender_email="service@shop.example.com",
        smtp_url=smtp.url,
        dhl_api_key="dhl-key",
        dhl_api_url=carrier.dhl_url,
    )
    yield channel
    carrier.__exit__(None, None, None)
    smtp.stop()


@pytest.mark.worker
def test_a_healthy_setup_is_all_ok(worker, shop):
    code, text = doctor()
    print(text)
    assert code == 0, text
    assert "FAIL" not in text
    for topic in (
        "migrations",
        "cache",
        "broker",
        "worker: doctor@",
        f"beat: {len(BEAT_SCHEDULE)} entries",
        "[default-channel] configuration",
        "[default-channel] smtp",
        "[default-channel] carrier dhl: credentials accepted",
    ):
        assert topic in text, text


@pytest.mark.worker
def test_a_wrong_broker_url_fails_with_what_to_fix(broker, shop):
    app.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    code, text = doctor()
    assert code == 1
    assert "unreachable" in line(text, "FAIL broker") and "CELERY_BROKER_URL" in text


@pytest.mark.worker
def test_no_worker_fails(broker, shop):
    code, text = doctor()
    assert code == 1
    assert "no worker answered" in line(text, "FAIL worker")


def test_bad_carrier_credentials_fail(shop):
    factories.make_channel("default-channel", dhl_api_key="wrong-key")
    code, text = doctor()
    assert code == 1
    assert "credentials refused (HTTP 401)" in line(text, "carrier dhl")


def test_an_unreachable_smtp_server_fails(shop):
    factories.make_channel("default-channel", smtp_url=f"smtp://127.0.0.1:{closed_port()}")
    code, text = doctor()
    assert code == 1
    assert "fix smtp_url" in line(text, "FAIL [default-channel] smtp")


def test_a_broken_cache_fails(shop):
    with cache_at(f"redis://127.0.0.1:{closed_port()}/0"):
        code, text = doctor()
    assert code == 1
    assert "unreachable" in line(text, "FAIL cache")


def test_a_missing_migration_fails_and_names_it(shop):
    from django.db.migrations.loader import MigrationLoader

    leaf = max(
        n for a, n in MigrationLoader(connection).graph.leaf_nodes() if a == "saleor_aftersales"
    )
    parent = sorted(
        n
        for a, n in MigrationLoader(connection).graph.nodes
        if a == "saleor_aftersales" and n < leaf
    )[-1]
    call_command("migrate", "saleor_aftersales", parent, verbosity=0)
    try:
        code, text = doctor()
    finally:
        call_command("migrate", "saleor_aftersales", verbosity=0)
    assert code == 1
    assert f"{leaf} not applied" in line(text, "FAIL migrations")
    assert doctor()[1].count("OK   migrations") == 1


class _TwilioAccount(BaseHTTPRequestHandler):
    """Twilio's account resource: 200 for the right keys, 401 otherwise; sending is refused
    (the check must never send a message)."""

    sent: list[str] = []

    def do_GET(self):
        good = "Basic " + base64.b64encode(b"AC1:tok").decode()
        ok = self.path == "/2010-04-01/Accounts/AC1.json" and self.headers["Authorization"] == good
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"sid": "AC1", "status": "active"}' if ok else b'{"code": 20003}')

    def do_POST(self):
        self.sent.append(self.path)
        self.send_response(500)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio():
    server = HTTPServer(("127.0.0.1", 0), _TwilioAccount)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/2010-04-01/Accounts/{{sid}}/Messages.json"
    server.shutdown()


@pytest.mark.parametrize(("token", "ok"), [("tok", True), ("wrong", False)])
def test_the_sms_provider_keys_are_checked_without_sending(shop, twilio, token, ok):
    factories.make_channel(
        "default-channel", sms_enabled="true", sms_api_url=twilio, sms_account_sid="AC1",
        sms_auth_token=token, sms_from="+4930123",
    )
    code, text = doctor()
    if ok:
        assert "credentials accepted (HTTP 200)" in line(text, "OK   [default-channel] sms")
    else:
        assert code == 1
        assert "fix sms_account_sid / sms_auth_token" in line(text, "FAIL [default-channel] sms")
    assert _TwilioAccount.sent == []
