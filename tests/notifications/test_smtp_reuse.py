"""A worker keeps its SMTP connection open between messages, and survives losing it."""

from __future__ import annotations

import pytest

from saleor_aftersales.config import parse_config
from saleor_aftersales.notifications import channels
from saleor_aftersales.notifications.email import RenderedEmail

from .conftest import SmtpServer


class CountingServer(SmtpServer):
    """The loopback SMTP server, counting the sessions (one EHLO or HELO each)."""

    def start(self) -> CountingServer:
        self.sessions = 0
        server = self

        async def handle_EHLO(srv, session, envelope, hostname, responses):
            server.sessions += 1
            session.host_name = hostname
            return responses

        self.inbox.handle_EHLO = handle_EHLO
        return super().start()


@pytest.fixture(autouse=True)
def _fresh_connections():
    channels.close_kept_connections()
    yield
    channels.close_kept_connections()


def _send(url: str, to: str) -> None:
    config = parse_config({"smtp_url": url, "sender_email": "service@shop.example.com"})
    message = RenderedEmail("Your parcel", "It is there.\n", "<p>It is there.</p>")
    channels.send_email(config, message, to, headers={})


def test_many_messages_share_one_smtp_session():
    server = CountingServer().start()
    try:
        for i in range(5):
            _send(server.url, f"shopper{i}@example.com")
    finally:
        server.stop()
    assert [m["To"] for m in server.inbox.messages] == [f"shopper{i}@example.com" for i in range(5)]
    assert server.sessions == 1


def test_a_restarted_server_gets_the_next_message_on_a_new_session(settings):
    settings.AFTERSALES_SMTP_CHECK_IDLE = 60  # no NOOP: the kept connection fails on use
    first = CountingServer().start()
    _send(first.url, "a@example.com")
    first.stop()  # the relay restarts: the kept connection is dead
    second = CountingServer(port=first.port).start()
    try:
        _send(second.url, "b@example.com")
    finally:
        second.stop()
    assert [m["To"] for m in second.inbox.messages] == ["b@example.com"]
    assert second.sessions == 1


def test_an_idle_connection_is_checked_before_use(settings):
    settings.AFTERSALES_SMTP_CHECK_IDLE = 0
    server = CountingServer().start()
    try:
        _send(server.url, "a@example.com")
        _send(server.url, "b@example.com")  # NOOP answered: same session
    finally:
        server.stop()
    assert len(server.inbox.messages) == 2
    assert server.sessions == 1
