"""The demo as the README starts it, once per module, on the embedded default.

``make demo`` is ``make install`` plus ``python -m demo.run``; the install step is what
``make test`` has just done, so the fixture runs ``python -m demo.run`` itself, from the
repository root, with no ``DATABASE_URL`` (nothing but the embedded server), a free port and
its data in a temporary ``AFTERSALES_DEMO_OUT``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READY = "Demo index: http://"
START_TIMEOUT = 300  # first start: initdb, migrate, the whole sample shop (slow, shared CI)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DemoProcess:
    """``python -m demo.run`` in its own process group; ``lines`` is everything it printed."""

    def __init__(self, out: Path, port: int) -> None:
        self.out, self.port = out, port
        self.url = ""
        self.lines: list[str] = []
        self.process: subprocess.Popen | None = None

    def start(self) -> str:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
        env.update(AFTERSALES_DEMO_HOST="127.0.0.1", AFTERSALES_DEMO_PORT=str(self.port),
                   AFTERSALES_DEMO_OUT=str(self.out), PYTHONUNBUFFERED="1")
        self.lines = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "demo.run"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        ready = threading.Event()

        def read() -> None:
            assert self.process is not None and self.process.stdout is not None
            for line in self.process.stdout:
                self.lines.append(line.rstrip("\n"))
                if line.startswith(READY):
                    self.url = line.removeprefix("Demo index:").strip()
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(START_TIMEOUT) or not self.url:
            self.stop()
            pytest.fail("python -m demo.run printed no 'Demo index:' line:\n"
                        + "\n".join(self.lines[-40:]), pytrace=False)
        return self.url

    def stop(self) -> int | None:
        """SIGTERM (what Ctrl-C does to a terminal's process group); SIGKILL if it hangs."""
        process = self.process
        if process is None or process.poll() is not None:
            return process.poll() if process else None
        os.killpg(process.pid, signal.SIGTERM)
        try:
            return process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            return process.wait(10)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    process = DemoProcess(tmp_path_factory.mktemp("demo-out"), free_port())
    process.start()
    yield process
    process.stop()
