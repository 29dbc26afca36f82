"""First start of the demo (initdb + migrate + the whole sample shop), median of N fresh starts.

    .venv/bin/python bench/demo_start.py [N]

Each run starts ``python -m demo.run`` with an empty ``AFTERSALES_DEMO_OUT`` and a free port,
waits for the ``Demo index:`` line, reads the phases the demo prints, and stops it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_start() -> tuple[float, dict[str, float]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out = tempfile.mkdtemp(prefix="demo-bench-")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",
                                                              "DJANGO_SETTINGS_MODULE")}
    env.update(AFTERSALES_DEMO_OUT=out, AFTERSALES_DEMO_PORT=str(port), PYTHONUNBUFFERED="1")
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "demo.run"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    phases: dict[str, float] = {}
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"ready in [\d.]+ s \((.*)\)", line)
        if found:
            phases = {k: float(v) for k, v in
                      (p.rsplit(" ", 1) for p in found.group(1).split(", "))}
        if line.startswith("Demo index:"):
            break
    elapsed = time.monotonic() - started
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(60)
    subprocess.run(["rm", "-rf", out], check=False)
    return elapsed, phases


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    results = [one_start() for _ in range(runs)]
    totals = [t for t, _ in results]
    print(f"demo first start, {runs} fresh runs: median {statistics.median(totals):.1f} s "
          f"(runs: {', '.join(f'{t:.1f}' for t in totals)})")
    for name in results[0][1]:
        values = [p.get(name, 0.0) for _, p in results]
        print(f"  {name:<12} median {statistics.median(values):.1f} s")
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
