"""Run the npm gateway (``gateway.mjs``) on loopback from a test, standard library only.

Used by ``tests/graphql/test_gateway.py`` (stand-in Saleor) and by the Saleor suite (real
Saleor 3.23). Load it by path, since ``tests/saleor`` is not a package::

    spec = importlib.util.spec_from_file_location("gateway_harness", HARNESS_PATH)

``unavailable_reason()`` says why the gateway cannot run here (no node/npm, old node, registry
unreachable); ``install()`` runs ``npm ci`` once per lockfile; ``running_gateway(subgraphs)``
is a context manager yielding the gateway's URL and stopping the process afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCK = HERE / "package-lock.json"
INSTALLED_LOCK = HERE / "node_modules" / ".package-lock.json"
STAMP = HERE / "node_modules" / ".aftersales-lock-hash"
MIN_NODE = 20


def unavailable_reason() -> str | None:
    """Why the gateway cannot run on this machine, or ``None`` when it can."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return "node and npm are needed for the federation gateway (apt-get install nodejs npm)"
    try:
        version = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
        major = int(version.lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        return "could not run node --version"
    if major < MIN_NODE:
        return f"the gateway needs node >= {MIN_NODE}, found {version}"
    return None


def _lock_hash() -> str:
    import hashlib

    return hashlib.sha256(LOCK.read_bytes()).hexdigest()


def install(timeout: float = 600) -> None:
    """``npm ci`` from the npm registry, skipped when node_modules matches the lockfile."""
    if STAMP.exists() and STAMP.read_text() == _lock_hash():
        return
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE, check=True, timeout=timeout, capture_output=True, text=True,
    )
    STAMP.write_text(_lock_hash())


@contextlib.contextmanager
def running_gateway(subgraphs: list[dict[str, str]], timeout: float = 120) -> Iterator[str]:
    """Start the gateway over ``[{"name", "url"}, …]``; yield its URL; stop it afterwards.

    Raises ``RuntimeError`` with the gateway's own message when composition fails.
    """
    env = {**os.environ, "SUBGRAPHS": json.dumps(subgraphs), "PORT": "0"}
    process = subprocess.Popen(
        ["node", str(HERE / "gateway.mjs")], cwd=HERE, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    first_line: list[str] = []
    reader = threading.Thread(
        target=lambda: first_line.append(process.stdout.readline()), daemon=True
    )
    reader.start()
    reader.join(timeout)
    try:
        line = first_line[0] if first_line else ""
        try:
            message = json.loads(line) if line.strip() else {}
        except ValueError:
            message = {"error": line}
        if "ready" not in message:
            process.kill()
            _out, err = process.communicate(timeout=10)
            raise RuntimeError(
                f"gateway did not start: {message.get('error') or 'timeout'}\n{err[-4000:]}"
            )
        yield message["ready"]
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
