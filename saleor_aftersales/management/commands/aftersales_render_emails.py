"""Render every email in English and German into a folder for review (``make emails``).

The files are the real messages: the shipped templates rendered by ``render_email`` (CSS
inlined, dates and prices formatted in the language and the shop's time zone) with the sample
data of ``notifications.samples`` (thumbnails that load offline). ``--channel`` takes the name,
brand colour, logo and time zone from that channel's settings. ``render_all`` is the function
other tools call (``make screenshots`` renders three emails through it).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.html import escape

from ...config import EMAIL_EVENTS, AftersalesConfig
from ...notifications.samples import preview_email, preview_shop

LANGUAGES = ("en", "de")
#: The three emails a reader sees most: confirmation, shipped, and the delay apology.
KEY_EMAILS = ("order_confirmation", "shipped", "delay")


def render_all(
    out: Path,
    *,
    events: Iterable[str] = EMAIL_EVENTS,
    languages: Iterable[str] = LANGUAGES,
    config: AftersalesConfig | None = None,
) -> list[Path]:
    """Write ``<event>.<lang>.html`` / ``.txt`` and an ``index.html``; return the HTML files."""
    out.mkdir(parents=True, exist_ok=True)
    shop = preview_shop(config)
    written: list[Path] = []
    rows = []
    for event in events:
        for language in languages:
            message = preview_email(event, language, shop=shop)
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


def channel_config(slug: str) -> AftersalesConfig:
    """The settings of channel ``slug`` through the configured host."""
    from ...hosts import get_host

    config = get_host().get_config(slug)
    if config is None:
        raise CommandError(f"no active aftersales settings for channel {slug!r}")
    return config


class Command(BaseCommand):
    help = "Render every email in English and German into a folder for review."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="demo/out/emails-review")
        parser.add_argument("--channel", default="",
                            help="use this channel's name, brand colour, logo and time zone")
        parser.add_argument("--key-only", action="store_true",
                            help=f"only {', '.join(KEY_EMAILS)} (for screenshots)")

    def handle(self, *args, out: str, channel: str, key_only: bool, **options):
        config = channel_config(channel) if channel else None
        files = render_all(Path(out), events=KEY_EMAILS if key_only else EMAIL_EVENTS,
                           config=config)
        self.stdout.write(f"{len(files)} emails written to {out}/ (open index.html)")
