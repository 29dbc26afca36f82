"""``manage.py aftersales_backfill --since DATE``: track orders placed before the install.

Idempotent and resumable (orders already tracked are skipped); no emails about the past
(see ``saleor_aftersales.operations.backfill``). Exit 1 when some orders failed (rerun to
retry them).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ...hosts import get_host, task_scope
from ...operations import backfill


def parse_since(value: str) -> dt.datetime:
    """An ISO date or date-time; a date means its midnight in the current time zone."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--since: {value!r} is no ISO date (2026-01-31)") from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = (
        "Bring orders placed since --since under tracking (parcels, carriers, status page) "
        "without emailing shoppers about the past. Safe to rerun or resume after a kill."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            required=True,
            type=parse_since,
            help="Orders placed on or after this date (ISO, e.g. 2026-01-31).",
        )
        parser.add_argument("--channel", default=None, help="Only this channel (slug).")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=100,
            help="Orders per batch (one check of what is tracked per batch).",
        )
        parser.add_argument(
            "--news-days",
            type=int,
            default=7,
            help="Orders placed within this many days get carrier news (out for delivery, "
            "delivered, delay) from now on; older ones are tracked silently.",
        )
        parser.add_argument(
            "--pause",
            type=float,
            default=0.0,
            help="Seconds to wait between batches, to spare the database.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        if options["batch_size"] < 1 or options["news_days"] < 0 or options["pause"] < 0:
            raise CommandError(
                "--batch-size must be positive, --news-days and --pause not negative"
            )
        host = get_host()
        with task_scope():
            ids = backfill.list_orders(host, options["since"], options["channel"])
            console = Console(file=self.stderr._out, stderr=True)
            columns = (
                TextColumn("backfill"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
            )
            with Progress(*columns, console=console, disable=options["no_progress"]) as bar:
                task = bar.add_task("orders", total=len(ids))
                stats = backfill.run(
                    host,
                    options["since"],
                    options["channel"],
                    batch_size=options["batch_size"],
                    news_days=options["news_days"],
                    pause=options["pause"],
                    order_ids=ids,
                    progress=lambda n: bar.advance(task, n),
                )
        self.stdout.write(
            f"{stats.listed} orders since {options['since'].date().isoformat()}: "
            f"{stats.tracked} now tracked, {stats.already} already tracked, "
            f"{stats.skipped_inactive} in channels where Aftersales is off, "
            f"{stats.failed} failed."
        )
        if stats.failed:
            self.stderr.write("Some orders failed (see the log); run the command again.")
            raise SystemExit(1)
