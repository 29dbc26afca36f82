"""What a hook costs the shopper's request when the broker is healthy, refusing or hung (L8).

The hook's part of a checkout: the outbox row written in Saleor's transaction and the
publish after its commit (``enqueue.enqueue_on_commit``); the shop's own writes and commit are
not counted. Compared with Celery's own publish as the
plugin used it before the outbox (the app's producer pool, its 4 s connect timeout and a
short retry policy). Medians of ``--runs`` hooks each; needs PostgreSQL and RabbitMQ.

    python -m bench.hook_publish --runs 15
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

PUBLISH_RETRY_BEFORE = {"max_retries": 2, "interval_start": 0, "interval_step": 0.1,
                        "interval_max": 0.3}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aftersales_bench")
    import django

    django.setup()
    from django.db import connection, transaction

    from saleor_aftersales.core import enqueue
    from saleor_aftersales.tasks import handle_order_event_task as task
    from sandbox.celery import app
    from tests.reliability.outbox_support import SilentBroker, broker_at, closed_port

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)

    from sandbox.factories import make_channel

    channel = make_channel("bench")
    order_id = "8d4f6a7e-0000-4000-8000-000000000000"

    def checkout(hook) -> float:
        """Saleor's transaction with a write of its own; returns the hook's seconds."""
        marks: list[float] = []
        with transaction.atomic():
            channel.save(update_fields=["name"])  # the shop's own write
            transaction.on_commit(lambda: marks.append(time.perf_counter()))
            start = time.perf_counter()
            hook()
            during = time.perf_counter() - start
            transaction.on_commit(lambda: marks.append(time.perf_counter()))
        return during + marks[1] - marks[0]

    def outbox_hook() -> float:
        return checkout(lambda: enqueue.enqueue_on_commit(task, order_id, "order_created"))

    def celery_before() -> float:
        return checkout(lambda: transaction.on_commit(lambda: _quiet(lambda: task.apply_async(
            args=(order_id, "order_created"), retry=True, retry_policy=PUBLISH_RETRY_BEFORE))))

    silent = SilentBroker()
    brokers = {
        "healthy (RabbitMQ)": "amqp://guest:guest@127.0.0.1:5672//",
        "refusing": f"amqp://guest:guest@127.0.0.1:{closed_port()}//",
        "hung (accepts, never answers)": f"amqp://guest:guest@127.0.0.1:{silent.port}//",
    }
    print(f"| broker | outbox hook, first (connects) | outbox hook, median of {args.runs} "
          "| Celery publish before, median |")
    print("|---|---|---|---|")
    try:
        for label, url in brokers.items():
            row = [label]
            with broker_at(url):
                app.conf.task_default_queue = "aftersales-bench-publish"
                row.append(_ms([_time(outbox_hook)]))
                row.append(_ms(_times(outbox_hook, args.runs, reset_pause=True)))
                runs = 3 if "healthy" not in label else args.runs  # 4 s each when broken
                row.append(_ms(_times(celery_before, runs, reset_pause=False)))
            print("| " + " | ".join(row) + " |")
    finally:
        silent.close()
        _drop_queue()
        connection.creation.destroy_test_db(name, verbosity=0)


def _quiet(publish) -> None:
    try:
        publish()
    except Exception:  # noqa: S110  (the old hook logged and lost it)
        pass


def _time(hook) -> float:
    return hook()


def _times(hook, runs: int, *, reset_pause: bool) -> list[float]:
    from saleor_aftersales.core import enqueue

    result = []
    for _ in range(runs):
        if reset_pause:  # each hook meets the broken broker, not the pause after it
            enqueue._paused_until = 0.0
        result.append(_time(hook))
    return result


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms"


def _drop_queue() -> None:
    from kombu import Connection

    with Connection("amqp://guest:guest@127.0.0.1:5672//", connect_timeout=2) as conn:
        conn.default_channel.queue_delete("aftersales-bench-publish")


if __name__ == "__main__":
    main()
