"""``manage.py aftersales_doctor``: OK or what to fix, one line per check; exit 1 on failure."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ...operations.doctor import run


class Command(BaseCommand):
    help = (
        "Check what Aftersales needs: migrations, cache, broker, worker, beat, and per "
        "channel the configuration, SMTP and carrier credentials."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=3.0,
            help="Seconds to wait for the broker, a worker and APIs.",
        )

    def handle(self, *args, **options):
        lines = run(timeout=options["timeout"])
        for line in lines:
            style = self.style.SUCCESS if line.ok else self.style.ERROR
            self.stdout.write(style(str(line)))
        failed = sum(not line.ok for line in lines)
        if failed:
            self.stderr.write(f"{failed} check(s) failed.")
            raise SystemExit(1)
        self.stdout.write("All checks passed.")
