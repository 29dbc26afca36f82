"""Render every email in English and German into a folder for review (``make emails``)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.html import escape

from ...config import EMAIL_EVENTS
from ...notifications.email import render_email
from ...notifications.samples import sample_context

LANGUAGES = ("en", "de")


def render_all(out: Path) -> list[Path]:
    """Write ``<event>.<lang>.html`` / ``.txt`` and an ``index.html``; return the HTML files."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    rows = []
    for event in EMAIL_EVENTS:
        for language in LANGUAGES:
            context = {**sample_context(event), "language": language}
            message = render_email(event, context, language=language)
            html = out / f"{event}.{language}.html"
            html.write_text(message.html, encoding="utf-8")
            (out / f"{event}.{language}.txt").write_text(
                f"Subject: {message.subject}\n\n{message.text}", encoding="utf-8"
            )
            written.append(html)
            link = f'<a href="{html.name}">{event} ({language})</a>'
            rows.append(f"<li>{link}: {escape(message.subject)}</li>")
    (out / "index.html").write_text(
        "<!DOCTYPE html><meta charset='utf-8'><title>Emails</title><ul>"
        + "".join(rows) + "</ul>", encoding="utf-8"
    )
    return written


class Command(BaseCommand):
    help = "Render every email in English and German into a folder for review."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="demo/out/emails-review")

    def handle(self, *args, out: str, **options):
        files = render_all(Path(out))
        self.stdout.write(f"{len(files)} emails written to {out}/ (open index.html)")
