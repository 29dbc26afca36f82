"""Emails rendered + CSS-inlined per second: template cache vs. premailer on every message.

    .venv/bin/python -m bench.email [--seconds 3]

Runs on one core (one process, one thread) with the demo settings; prints the median
throughput of several rounds for each path and the ratio. Targets: ≥ 20x faster with the
cache and ≥ 200 messages/s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")


def rate(fn, seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn(count)
        count += 1
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0, help="per round and path")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from django.template import Context
    from django.utils.translation import override

    from saleor_aftersales.config import EMAIL_EVENTS
    from saleor_aftersales.notifications import email
    from saleor_aftersales.notifications.samples import sample_context

    sources = {event: email.html_source(None, event) for event in EMAIL_EVENTS}
    events = list(EMAIL_EVENTS)

    def cached(i: int) -> None:
        event = events[i % len(events)]
        with override("de" if i % 2 else "en"):
            email.inlined_template(sources[event]).render(Context(sample_context(event, i)))

    def premailer_each(i: int) -> None:
        event = events[i % len(events)]
        with override("de" if i % 2 else "en"):
            email.inline_after_render(sources[event], sample_context(event, i))

    for i in range(len(events)):  # warm: templates inlined once, translations loaded
        cached(i)
        premailer_each(i)
    fast, slow = [], []
    for _ in range(args.rounds):
        fast.append(rate(cached, args.seconds))
        slow.append(rate(premailer_each, args.seconds))
    f, s = statistics.median(fast), statistics.median(slow)
    print(f"templates: {len(events)} triggers, en/de alternating, {args.rounds} rounds")
    print(f"cached inlined template : median {f:8.1f} msgs/s  ({1000 / f:6.2f} ms/msg)")
    print(f"premailer every message : median {s:8.1f} msgs/s  ({1000 / s:6.2f} ms/msg)")
    print(f"ratio                   : {f / s:8.1f}x   (target >= 20x, cached >= 200 msgs/s)")


if __name__ == "__main__":
    main()
