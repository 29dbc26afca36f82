"""Cost of the plugin's hooks in the shopper's ``checkoutComplete`` request (Saleor 3.23).

Run with Saleor's interpreter from the repo root:
    SALEOR_PYTHON=… make bench-hooks      (or: $SALEOR_PYTHON bench/hook_overhead.py)
Prints the median time ratio active/inactive (target ≤ 1.05) and the added SQL queries (≤ 2).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# bench/email.py would shadow the standard library's ``email`` when run as a script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import pytest  # noqa: E402

SUITE = Path(__file__).resolve().parent.parent / "tests" / "saleor"


def main() -> int:
    import saleor

    os.environ.setdefault("SALEOR_ROOT", str(Path(saleor.__file__).resolve().parent.parent))
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/saleor")
    os.environ.pop("REDIS_URL", None)
    # A real broker: the hook publishes to Redis instead of running the task inline.
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/9")
    os.chdir(SUITE)
    return pytest.main(
        [
            "-c", "pytest.ini", "--reuse-db", "-q", "-s",
            "-o", "python_functions=bench_*", "-o", "python_files=bench_*.py",
            "bench_hook_overhead.py",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
