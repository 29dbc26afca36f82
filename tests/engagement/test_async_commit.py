"""Engagement rows commit without waiting for their WAL flush (``core.bulk.insert``), and
that choice never reaches anyone else's writes."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from saleor_aftersales.core import bulk
from saleor_aftersales.engagement import events
from saleor_aftersales.models import EngagementEvent


def _setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('synchronous_commit')")
        return cursor.fetchone()[0]


def _statements(action) -> list[str]:
    sent: list[str] = []

    def keep(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        action()
    return sent


def _rows_seen_by_another_connection(order_id: uuid.UUID) -> int:
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
        password=settings["PASSWORD"] or None, dbname=settings["NAME"],
    ) as other:
        return other.execute(
            "SELECT count(*) FROM saleor_aftersales_engagementevent WHERE order_id = %s",
            [order_id],
        ).fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_page_view_is_stored_at_once_without_waiting_for_the_disk():
    order_id = uuid.uuid4()
    sent = _statements(
        lambda: events.record(events.Kind.PAGE_VIEW, order_id=str(order_id), channel_slug="main")
    )
    assert len(sent) == 1 and sent[0].startswith("SET LOCAL synchronous_commit TO OFF; INSERT")
    assert _rows_seen_by_another_connection(order_id) == 1, "committed: visible to others"
    assert _setting() == "on", "the setting ended with the row's own transaction"


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_callers_writes_keep_their_durability():
    order_id = uuid.uuid4()
    with transaction.atomic():
        sent = _statements(
            lambda: events.record(events.Kind.CLICK, order_id=str(order_id), channel_slug="main")
        )
        assert _setting() == "on"
    assert not any("synchronous_commit" in sql for sql in sent)
    assert EngagementEvent.objects.filter(order_id=order_id).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_row_leaves_the_connection_usable():
    row = EngagementEvent(order_id=uuid.uuid4(), channel_slug="main", kind="page_view",
                          notification_id=10**9)  # no such message: fails at commit
    with pytest.raises(IntegrityError):
        bulk.insert(row, synchronous=False)
    assert _setting() == "on"
    events.record(events.Kind.PAGE_VIEW, order_id=str(row.order_id), channel_slug="main")
    assert EngagementEvent.objects.filter(order_id=row.order_id).count() == 1
