"""A bad day for email: a stalled SMTP server (L1) and line breaks in header settings (L4)."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from saleor_aftersales.config import validate_config
from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import NotificationLog
from saleor_aftersales.notifications import delivery
from sandbox import factories

from .conftest import mail_config

pytestmark = pytest.mark.django_db


class StalledSmtp:
    """Accepts connections on loopback and never says a word (no greeting, no replies).

    It drops every connection after ``give_up`` seconds, so code without a timeout fails the
    test instead of hanging the suite.
    """

    def __init__(self, give_up: float = 20) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.give_up = give_up
        self.accepted = 0
        self._open: list[socket.socket] = []
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            self._open.append(conn)
            threading.Timer(self.give_up, conn.close).start()

    def close(self) -> None:
        self._stop.set()
        for conn in self._open:
            conn.close()
        self.sock.close()


@pytest.fixture
def stalled():
    server = StalledSmtp()
    yield server
    server.close()


def _queued(make_order) -> NotificationLog:
    order = make_order(lines=1, parcels=0)
    config = get_host().get_config("default-channel")
    return delivery.queue(config, "order_confirmation", order_id=str(order.id))


def _deliver_timed(log: NotificationLog) -> tuple[float, delivery.RetryLater]:
    started = time.monotonic()
    with pytest.raises(delivery.RetryLater) as raised:
        delivery.deliver(log.pk)
    return time.monotonic() - started, raised.value


def test_stalled_smtp_server_of_the_channel_times_out_and_the_row_stays_retryable(
    channel, make_order, stalled, settings
):
    settings.AFTERSALES_SMTP_TIMEOUT = 1
    factories.make_channel("default-channel",
                           **mail_config(f"smtp://127.0.0.1:{stalled.port}"))
    log = _queued(make_order)
    elapsed, retry = _deliver_timed(log)
    assert stalled.accepted == 1
    assert elapsed < 5  # the setting, not the 15 s default and not forever
    log.refresh_from_db()
    assert (log.state, log.attempts) == ("pending", 1) and retry.countdown > 0
    assert "timed out" in log.error.lower()


def test_stalled_smtp_server_behind_djangos_default_backend_times_out_too(
    channel, make_order, stalled, settings
):
    """No ``smtp_url``: Django's SMTP backend with ``EMAIL_TIMEOUT = None`` (its default)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", stalled.port
    settings.EMAIL_TIMEOUT = None
    settings.AFTERSALES_SMTP_TIMEOUT = 1
    factories.make_channel("default-channel", **mail_config(""))
    log = _queued(make_order)
    elapsed, _ = _deliver_timed(log)
    assert stalled.accepted == 1 and elapsed < 5
    log.refresh_from_db()
    assert (log.state, log.attempts) == ("pending", 1)
    assert "timed out" in log.error.lower()


@pytest.mark.parametrize("field", ["shop_name", "sender_name", "sender_email", "brand_color"])
@pytest.mark.parametrize("value", ["Nordwind\r\nBcc: evil@example.com", "Nordwind\nX", "A\rB"])
def test_line_breaks_in_one_line_settings_are_refused_with_a_field_error(field, value):
    errors = validate_config({field: value})
    assert "one line" in errors[field] or field in ("sender_email", "brand_color")
    assert field in errors


def test_a_line_break_inside_a_subject_setting_is_refused():
    errors = validate_config({"email_subjects": "shipped = Hi\rBcc: evil@example.com"})
    assert "email_subjects" in errors


def test_a_stored_shop_name_with_line_breaks_cannot_inject_headers(channel, make_order, smtp):
    """A value saved before validation existed: sent, on one line, to the shopper only."""
    factories.make_channel("default-channel", **mail_config(
        smtp.url, shop_name="Nordwind\r\nBcc: evil@example.com", sender_name="",
        email_subjects="order_confirmation = {{ shop.name }}: order {{ order.number }}",
    ))
    log = _queued(make_order)
    assert delivery.deliver(log.pk) == "sent"
    (message,) = smtp.inbox.messages
    assert smtp.inbox.envelopes[0][1] == ["erika@example.com"]
    assert message["Bcc"] is None
    assert message["From"] == '"Nordwind Bcc: evil@example.com" <service@shop.example.com>'
    assert message["Subject"].startswith("Nordwind Bcc: evil@example.com: order ")


def test_a_header_django_refuses_fails_the_row_with_the_error_instead_of_escaping(
    channel, make_order, smtp
):
    """A stored status page URL with a line break reaches the List-Unsubscribe header:
    Django raises ``BadHeaderError``; the row records it and is not left pending."""
    factories.make_channel("default-channel", **mail_config(
        smtp.url, status_page_url="https://shop.example.com/as\r\nBcc: evil@example.com",
    ))
    order = make_order(lines=1, parcels=0)
    config = get_host().get_config("default-channel")
    log = delivery.queue(config, "delivered", order_id=str(order.id))
    assert delivery.deliver(log.pk) == "failed"  # no BadHeaderError out of deliver()
    log.refresh_from_db()
    assert log.state == "failed" and log.attempts == 1
    assert log.error.startswith("message refused: Header values can't contain newlines")
    assert smtp.inbox.messages == []
    assert delivery.deliver(log.pk) == "failed"  # not pending: nobody retries a bad header


def test_an_unparseable_sender_address_fails_the_row_too(channel, make_order, smtp):
    factories.make_channel("default-channel", **mail_config(
        smtp.url, sender_email="service@shop.example.com\nBcc: evil@example.com",
    ))
    log = _queued(make_order)
    assert delivery.deliver(log.pk) == "failed"
    log.refresh_from_db()
    assert log.state == "failed" and "Invalid address" in log.error
    assert smtp.inbox.messages == []
