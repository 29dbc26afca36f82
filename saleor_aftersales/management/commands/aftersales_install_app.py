"""``manage.py aftersales_install_app <Saleor URL | manifest URL>``: install the dashboard app.

The same ``appInstall`` the dashboard's "Install from manifest URL" performs, for shops that
set up from a shell or a deploy script. Given Saleor's public URL, the manifest is
``<URL>/plugins/<PLUGIN_ID>/dashboard/manifest.json``. Exits non-zero when it fails.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ...core.ids import PLUGIN_ID
from ...dashboard.manifest import APP_ID, PERMISSIONS, PREFIX
from ...hosts import get_host


def manifest_url(url: str) -> str:
    """``url`` itself when it names the manifest, else the manifest under Saleor's ``url``."""
    url = url.strip()
    if url.endswith("/manifest.json"):
        return url
    return f"{url.rstrip('/')}/plugins/{PLUGIN_ID}{PREFIX}/manifest.json"


class Command(BaseCommand):
    help = "Install the Aftersales dashboard app into Saleor from the plugin's manifest."

    def add_arguments(self, parser):
        parser.add_argument("url", help="Saleor's public URL (or the full manifest URL).")
        parser.add_argument("--name", default="Aftersales", help="The app's name.")

    def handle(self, *args, **options):
        if get_host().name != "saleor":
            raise CommandError("This command installs the app into Saleor; Saleor is not here.")
        from ...hosts.saleor_dashboard import install_app

        url = manifest_url(options["url"])
        ok, message = install_app(url, APP_ID, name=options["name"], permissions=PERMISSIONS)
        if not ok:
            raise CommandError(f"Aftersales app from {url}: {message}")
        self.stdout.write(self.style.SUCCESS(f"Aftersales app from {url}: {message}"))
