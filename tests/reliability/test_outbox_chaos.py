"""The chaos run, small: ~100 orders through a real worker, RabbitMQ, Redis, SMTP and a carrier
API while the broker, SMTP, Redis, the carrier and the worker fail on a seeded schedule.
Every message due arrives exactly once, every parcel ends delivered, no hook ever raises."""

from __future__ import annotations

import socket

import pytest

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _rabbitmq() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _rabbitmq(), reason="RabbitMQ is not running on 127.0.0.1:5672")
def test_chaos_small_nothing_lost_nothing_twice_every_parcel_delivered():
    from bench import chaos

    report = chaos.run(orders=100, seed=13, faults=6, span=60, drain_timeout=240, echo=print)
    print(report.table())
    assert report.hook_calls == 200 and report.hook_errors == 0
    assert report.due == 300
    assert report.lost == 0, report.table()
    assert report.duplicated == 0 and report.unexpected == 0, report.table()
    assert report.parcels_right == report.parcels == 100, report.table()
    assert max(report.hook_times) < 1.5  # a hook never waits for a broken broker
