"""The demo's outbox: every email the pipeline sends, one ``.eml`` file each, readable again.

:class:`OutboxBackend` is a Django email backend (``EMAIL_BACKEND``) that writes each message
as ``<OUTBOX_DIR>/<sequence>.eml``; :func:`messages` and :func:`load` read them back for the
outbox pages and the demo test.
"""

from __future__ import annotations

import email
import email.policy
import itertools
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

_lock = threading.Lock()


def outbox_dir() -> Path:
    return Path(settings.OUTBOX_DIR)


class OutboxBackend(BaseEmailBackend):
    """Write every message to its own numbered ``.eml`` file (never overwrites one)."""

    def send_messages(self, email_messages) -> int:
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            data = message.message().as_bytes(linesep="\n")
            with _lock:
                start = len(list(folder.glob("*.eml"))) + 1
                for n in itertools.count(start):
                    path = folder / f"{n:04d}.eml"
                    try:
                        with path.open("xb") as handle:
                            handle.write(data)
                        break
                    except FileExistsError:
                        continue
            sent += 1
        return sent


@dataclass(frozen=True)
class StoredEmail:
    """One email of the outbox, as a reader needs it."""

    name: str  # file stem, e.g. "0007"
    to: str
    subject: str
    event: str  # X-Aftersales-Event ("" for none)
    sent_at: object  # datetime or None
    html: str
    text: str


def _part(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return ""
    return part.get_content()


def load(name: str) -> StoredEmail | None:
    """The stored email ``name`` (digits only), or ``None``."""
    if not name.isdigit():
        return None
    path = outbox_dir() / f"{name}.eml"
    if not path.is_file():
        return None
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    try:
        sent_at = parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return StoredEmail(
        name=name,
        to=str(message["To"] or ""),
        subject=str(message["Subject"] or ""),
        event=str(message["X-Aftersales-Event"] or ""),
        sent_at=sent_at,
        html=_part(message, "html"),
        text=_part(message, "plain"),
    )


def messages() -> list[StoredEmail]:
    """Every stored email, newest first (by its Date header, then by arrival)."""
    folder = outbox_dir()
    if not folder.is_dir():
        return []
    names = sorted((p.stem for p in folder.glob("*.eml")), reverse=True)
    found = [m for m in (load(n) for n in names) if m is not None]
    return sorted(found, key=lambda m: (m.sent_at.timestamp() if m.sent_at else 0, m.name),
                  reverse=True)
