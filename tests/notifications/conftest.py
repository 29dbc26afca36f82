"""A real SMTP server on loopback (aiosmtpd) and a channel that sends through it."""

from __future__ import annotations

import email
import socket
import threading
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.notifications import email as email_module
from sandbox import celery as sandbox_celery
from sandbox import factories

BASE = f"http://testserver/plugins/channel/default-channel/{PLUGIN_ID}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """Messages the SMTP server accepted, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> SmtpServer:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process with the sandbox Celery app (eager, from Django settings)."""
    sandbox_celery.app.set_current()
    sandbox_celery.app.set_default()
    yield


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def mail_config(smtp_url: str, **extra) -> dict:
    return {
        "emails_enabled": "true",
        "smtp_url": smtp_url,
        "status_page_url": BASE,
        "review_platform_url": "https://reviews.example.org/shop",
        **extra,
    }


@pytest.fixture
def mail_channel(channel, smtp):
    """The default channel, emails on, sending through the loopback SMTP server."""
    return factories.make_channel("default-channel", **mail_config(smtp.url))


@pytest.fixture(autouse=True)
def _fresh_template_cache():
    email_module.clear_cache()
    yield
    email_module.clear_cache()


def parts(message: EmailMessage) -> tuple[str, str]:
    """(text, html) of a multipart/alternative message."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def local(url: str) -> str:
    """A link from an email as a path for Django's test client."""
    assert url.startswith("http://testserver/"), url
    return url[len("http://testserver"):]
