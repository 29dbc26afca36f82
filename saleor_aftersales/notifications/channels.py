"""Delivery media: email through Django's email backend, text messages through HTTP.

Email uses the plugin's own SMTP server when ``smtp_url`` is set, else Django's configured
backend (inside Saleor: Saleor's ``EMAIL_URL`` settings). Every SMTP connection has a socket
timeout (``AFTERSALES_SMTP_TIMEOUT``, 15 s; Django's own ``EMAIL_TIMEOUT`` when that is set), so
a stalled server costs one retry, never a worker holding the row's lock forever. A message
Django refuses to build (``BadHeaderError``: a line break in a header) is a permanent failure.
Each process (and thread) keeps its SMTP connection open between messages, so a busy worker
pays the connect, TLS and login once, not per message: one idle longer than
``AFTERSALES_SMTP_CHECK_IDLE`` seconds (5) is checked with ``NOOP``, one idle longer than
``AFTERSALES_SMTP_MAX_IDLE`` (60) is closed, and a kept connection the server dropped is
replaced by a fresh one for one more try (not after a timeout: that is the message's error).
Text messages (SMS, WhatsApp) go through one :class:`TextProvider` interface;
:class:`TwilioProvider` speaks the Twilio-compatible ``Messages`` API.
Both are off until the owner switches them on.
"""

from __future__ import annotations

import atexit
import os
import smtplib
import socket
import threading
import time
from dataclasses import dataclass
from email.utils import formataddr
from urllib.parse import unquote, urlparse

import requests
from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend

from ..config import AftersalesConfig
from ..core.exceptions import AftersalesError, ConfigurationError
from .email import RenderedEmail

#: Errors after which delivery is worth retrying (server down, busy, timeout).
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPException,
    socket.error,
    TimeoutError,
)


class DeliveryError(AftersalesError):
    """A message could not be handed over; ``transient`` says whether to retry."""

    def __init__(self, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


def smtp_timeout() -> float:
    """Seconds any one SMTP socket operation may take (connect, each command, the data)."""
    return float(getattr(settings, "AFTERSALES_SMTP_TIMEOUT", 15))


def smtp_connection(smtp_url: str, timeout: float | None = None) -> EmailBackend:
    """``smtp://user:pass@host:port`` (``smtps://`` for TLS, ``?starttls`` for STARTTLS)."""
    parsed = urlparse(smtp_url)
    if parsed.scheme not in ("smtp", "smtps") or not parsed.hostname:
        raise ConfigurationError("SMTP URL: use smtp://user:pass@host:port")
    ssl = parsed.scheme == "smtps"
    return EmailBackend(
        host=parsed.hostname,
        port=parsed.port or (465 if ssl else 25),
        username=unquote(parsed.username or ""),
        password=unquote(parsed.password or ""),
        use_ssl=ssl,
        use_tls=not ssl and "starttls" in (parsed.query or ""),
        timeout=smtp_timeout() if timeout is None else timeout,
        fail_silently=False,
    )


def email_connection(config: AftersalesConfig):
    """Our SMTP server, else Django's backend; an SMTP backend always gets a timeout."""
    if config.smtp_url:
        return smtp_connection(config.smtp_url)
    connection = get_connection(fail_silently=False)
    if isinstance(connection, EmailBackend) and connection.timeout is None:
        connection.timeout = smtp_timeout()  # Django's EMAIL_TIMEOUT defaults to None
    return connection


def sender(config: AftersalesConfig) -> str:
    """``Name <address>``; the name on one line whatever the settings hold."""
    address = config.sender_email or settings.DEFAULT_FROM_EMAIL
    name = " ".join((config.sender_name or config.shop_name or "").split())
    return formataddr((name, address)) if address else ""


def build_email(
    config: AftersalesConfig,
    message: RenderedEmail,
    to: str,
    *,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """A multipart (text + HTML) message from the shop's sender."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=sender(config),
        to=[to],
        headers=headers or {},
    )
    email.attach_alternative(message.html, "text/html")
    return email


def send_email(
    config: AftersalesConfig, message: RenderedEmail, to: str, *, headers: dict[str, str]
) -> None:
    """Hand the message to the SMTP server; raise :class:`DeliveryError` if that fails."""
    try:
        email = build_email(config, message, to, headers=headers)
        backend = email_connection(config)
        if not isinstance(backend, EmailBackend):  # locmem, console …: nothing to keep
            email.connection = backend
            sent = email.send(fail_silently=False)
        else:
            sent = _send_kept(email, backend)
    except (BadHeaderError, ValueError) as exc:  # a header Django will not send; no retry
        raise DeliveryError(f"message refused: {exc}", transient=False) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"recipient refused: {exc}", transient=False) from exc
    except TRANSIENT_ERRORS as exc:
        raise DeliveryError(f"{exc.__class__.__name__}: {exc}") from exc
    if not sent:
        raise DeliveryError("the email backend accepted no message")


class _Kept(threading.local):
    """This thread's open SMTP connections: key → (backend, last used, monotonic s)."""

    def __init__(self) -> None:
        self.backends: dict[tuple, tuple[EmailBackend, float]] = {}


_kept = _Kept()


def _key(backend: EmailBackend) -> tuple:
    return (
        backend.host,
        backend.port,
        backend.username,
        backend.password,
        backend.use_tls,
        backend.use_ssl,
        backend.timeout,
        backend.ssl_certfile,
        backend.ssl_keyfile,
    )


def _close(backend: EmailBackend) -> None:
    try:
        backend.close()  # QUIT; Django's close() swallows a dead socket's errors
    except Exception:  # noqa: S110  (a broken connection may fail to close)
        pass


def close_kept_connections() -> None:
    """Close this thread's kept SMTP connections (worker shutdown, tests)."""
    for backend, _used in _kept.backends.values():
        _close(backend)
    _kept.backends.clear()


def _forget_after_fork() -> None:
    global _kept
    _kept = _Kept()  # a forked child never writes to its parent's sockets


os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(close_kept_connections)


def _alive(backend: EmailBackend) -> bool:
    try:
        return backend.connection is not None and backend.connection.noop()[0] == 250
    except Exception:
        return False


def _reusable(key: tuple) -> EmailBackend | None:
    entry = _kept.backends.pop(key, None)
    if entry is None:
        return None
    backend, used = entry
    idle = time.monotonic() - used
    max_idle = float(getattr(settings, "AFTERSALES_SMTP_MAX_IDLE", 60))
    check_idle = float(getattr(settings, "AFTERSALES_SMTP_CHECK_IDLE", 5))
    if (
        backend.connection is not None
        and idle <= max_idle
        and (idle <= check_idle or _alive(backend))
    ):
        return backend
    _close(backend)
    return None


def _send_kept(email: EmailMultiAlternatives, backend: EmailBackend) -> int:
    """Send over this thread's kept connection to the same server, else a new kept one."""
    key = _key(backend)
    kept = _reusable(key)
    if kept is not None:
        email.connection = kept
        try:
            sent = email.send(fail_silently=False)
        except (smtplib.SMTPRecipientsRefused, TimeoutError):
            _close(kept)  # a stalled server would stall a fresh connection too
            raise
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError):
            _close(kept)  # the server dropped or refused the kept connection: once more, fresh
        except Exception:
            _close(kept)
            raise
        else:
            _kept.backends[key] = (kept, time.monotonic())
            return sent
    backend.open()  # opened here, send_messages leaves it open for the next message
    email.connection = backend
    try:
        sent = email.send(fail_silently=False)
    except Exception:
        _close(backend)
        raise
    _kept.backends[key] = (backend, time.monotonic())
    return sent


# --- text messages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TextMessage:
    to: str  # E.164 number, e.g. +491701234567
    body: str


class TextProvider:
    """One HTTP provider for SMS and WhatsApp; subclasses fill in ``request``."""

    name = "base"

    def request(self, message: TextMessage) -> tuple[str, dict, tuple[str, str] | None]:
        """Return (url, form data, basic auth) for the provider's send call."""
        raise NotImplementedError

    def parse_id(self, response: requests.Response) -> str:
        try:
            return str(response.json().get("sid") or response.json().get("id") or "")
        except ValueError:
            return ""

    def send(self, message: TextMessage, timeout: float = 10) -> str:
        """Send; return the provider's message id or raise :class:`DeliveryError`."""
        url, data, auth = self.request(message)
        try:
            response = requests.post(url, data=data, auth=auth, timeout=timeout)
        except requests.RequestException as exc:
            raise DeliveryError(f"{self.name}: {exc}") from exc
        if response.status_code >= 400:
            transient = response.status_code == 429 or response.status_code >= 500
            raise DeliveryError(
                f"{self.name}: HTTP {response.status_code}: {response.text[:200]}",
                transient=transient,
            )
        return self.parse_id(response)

    def check(self, timeout: float = 5) -> str:
        """One authenticated call that sends nothing; returns what the provider said, or
        raises :class:`DeliveryError` (``transient=False`` when the credentials are refused)."""
        raise DeliveryError(f"{self.name}: no check without sending", transient=True)


class TwilioProvider(TextProvider):
    """Twilio's ``POST /2010-04-01/Accounts/{sid}/Messages.json`` and compatible APIs.

    A sender starting with ``whatsapp:`` sends WhatsApp messages: the recipient gets the
    same prefix, as Twilio expects.
    """

    name = "twilio"

    def __init__(self, api_url: str, account_sid: str, auth_token: str, sender: str) -> None:
        if not (api_url and account_sid and auth_token and sender):
            raise ConfigurationError("SMS: provider URL, account SID, auth token and sender needed")
        self.api_url = api_url.replace("{sid}", account_sid).replace("{account_sid}", account_sid)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sender = sender

    def request(self, message: TextMessage) -> tuple[str, dict, tuple[str, str] | None]:
        to = message.to
        if self.sender.startswith("whatsapp:") and not to.startswith("whatsapp:"):
            to = f"whatsapp:{to}"
        data = {"From": self.sender, "To": to, "Body": message.body}
        return self.api_url, data, (self.account_sid, self.auth_token)

    def check(self, timeout: float = 5) -> str:
        """``GET …/Accounts/{sid}.json``: the account resource, read with the same keys."""
        if not self.api_url.endswith("/Messages.json"):
            return super().check(timeout)
        url = self.api_url.removesuffix("/Messages.json") + ".json"
        try:
            response = requests.get(
                url, auth=(self.account_sid, self.auth_token), timeout=timeout
            )
        except requests.RequestException as exc:
            raise DeliveryError(f"{self.name}: {exc}") from exc
        if response.status_code in (401, 403):
            raise DeliveryError(
                f"{self.name}: credentials refused (HTTP {response.status_code})",
                transient=False,
            )
        if response.status_code >= 400:
            raise DeliveryError(f"{self.name}: HTTP {response.status_code}")
        return f"HTTP {response.status_code}"


def text_provider(config: AftersalesConfig) -> TextProvider | None:
    """The configured provider, or ``None`` while text messages are off or unconfigured."""
    if not config.sms_enabled or not config.sms_api_url:
        return None
    return TwilioProvider(
        config.sms_api_url, config.sms_account_sid, config.sms_auth_token, config.sms_from
    )
