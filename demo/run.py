"""`make demo`: migrate the embedded database, load sample orders, serve, print the URLs."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from demo.seed import seed

    call_command("migrate", verbosity=0)
    urls = seed()
    host = os.environ.get("AFTERSALES_DEMO_HOST", "127.0.0.1")
    port = os.environ.get("AFTERSALES_DEMO_PORT", "8000")
    base = f"http://{host}:{port}"
    print("\nsaleor-aftersales demo: open these in a browser\n")
    for label, path in urls:
        print(f"  {label:<34} {base}{path}")
    print(f"\nEmails are written to {os.path.relpath(django.conf.settings.EMAIL_FILE_PATH)}\n")
    sys.stdout.flush()
    if os.environ.get("AFTERSALES_DEMO_NO_SERVER"):
        return
    call_command("runserver", f"{host}:{port}", use_reloader=False)


if __name__ == "__main__":
    main()
