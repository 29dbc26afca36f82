"""``manage.py aftersales_export [--out DIR] [--since DATE] [--channel SLUG]``: CSV files of
parcels, problems, messages, KPIs and the insights charts (see
``saleor_aftersales.operations.export``)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...hosts import task_scope
from ...operations import export
from .aftersales_backfill import parse_since


class Command(BaseCommand):
    help = (
        "Write parcels.csv, problems.csv, messages.csv, kpis.csv and insights.csv "
        "(the Aftersales page's figures) for one or every channel."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", type=Path, default=Path("aftersales-export"), help="Folder to write into."
        )
        parser.add_argument(
            "--since",
            type=parse_since,
            default=None,
            help="Start of the period (ISO date); default: 30 days ago.",
        )
        parser.add_argument("--channel", default=None, help="Only this channel (slug).")

    def handle(self, *args, **options):
        since = options["since"] or timezone.now() - timedelta(days=30)
        if since > timezone.now():
            raise CommandError("--since lies in the future")
        with task_scope():
            channels = export.all_channels()
            if options["channel"]:
                if options["channel"] not in channels:
                    raise CommandError(f"unknown channel {options['channel']!r}")
                channels = [options["channel"]]
            written = export.export(options["out"], since, channels)
        for item in written:
            self.stdout.write(f"{item.path}: {item.rows} rows")
