"""Time to answer hostile GraphQL documents at the endpoint's check (issue 13, H1 and L2).

Usage:
    python -m bench.graphql_limits [--runs 5] [--timeout 60] [--sizes 16,18,20,22,30,2000]

For each size ``n`` it builds the fan-out document of H1, ``query{...F0}`` with
``fragment Fi on Query{...F(i+1) ...F(i+1)}`` and ``fragment F(n-1) on Query{__typename}``
(under 1 KB at n=22), and runs it through :func:`run_operation` (parse, limits, validation,
execution) with the real schema: the median of ``--runs`` wall times, and the answer (the first
error message, or "passed"). A run that exceeds ``--timeout`` seconds is stopped and reported
as ``> timeout``. Then L2's chain of 2,000 fragments and a query nested 900 levels. No
database is needed: every document is rejected or only asks for
``__typename``.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]


class _Timeout(Exception):
    pass


def fanout(n: int) -> str:
    """H1's document: n fragments, each spreading the next one twice."""
    parts = ["query{...F0}"]
    parts += [f"fragment F{i} on Query{{...F{i + 1} ...F{i + 1}}}" for i in range(n - 1)]
    parts.append(f"fragment F{n - 1} on Query{{__typename}}")
    return " ".join(parts)


def chain(n: int) -> str:
    """L2's chain: n fragments, each spreading the next once."""
    parts = ["query{...F0}"]
    parts += [f"fragment F{i} on Query{{...F{i + 1}}}" for i in range(n - 1)]
    parts.append(f"fragment F{n - 1} on Query{{__typename}}")
    return " ".join(parts)


def nested(levels: int) -> str:
    """L2's deep query: ``{a{a{…}}}`` nested ``levels`` deep."""
    return "{" + "aftersalesStatus{" * levels + "number" + "}" * (levels + 1)


def _alarm(_signum, _frame):
    raise _Timeout


def time_one(schema, query: str, timeout: int) -> tuple[float | None, str]:
    from saleor_aftersales.graphql.execution import run_operation

    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    start = time.perf_counter()
    try:
        body, _invalid = run_operation(schema, query, variables={})
    except _Timeout:
        return None, "stopped"
    except RecursionError:
        return time.perf_counter() - start, "RecursionError (a 500)"
    except Exception as exc:
        return time.perf_counter() - start, f"{type(exc).__name__} (a 500)"
    finally:
        signal.alarm(0)
    elapsed = time.perf_counter() - start
    errors = body.get("errors")
    return elapsed, errors[0]["message"] if errors else "passed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--sizes", default="16,18,20,22,30,2000")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from saleor_aftersales.graphql.schema import schema

    cases = [(f"fanout {n}", fanout(int(n))) for n in args.sizes.split(",")]
    cases += [("chain 2000", chain(2000)), ("nested 900", nested(900))]
    print(f"{'document':>12} {'bytes':>7} {'median ms':>11}  answer")
    for name, query in cases:
        times, answer = [], ""
        for _ in range(args.runs):
            elapsed, answer = time_one(schema, query, args.timeout)
            if elapsed is None:
                break
            times.append(elapsed)
        shown = f"{statistics.median(times) * 1000:11.2f}" if times else f"> {args.timeout} s"
        print(f"{name:>12} {len(query):>7} {shown:>11}  {answer[:90]}", flush=True)


if __name__ == "__main__":
    main()
