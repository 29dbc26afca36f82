"""One statement for a view's own rows: same objects as the ORM's, compiled once, any values."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleor_aftersales.core.prepared import Prepared, instances, json_of, padded
from saleor_aftersales.models import (
    FaqEntry,
    Milestone,
    Parcel,
    Problem,
    Review,
    TrackedOrder,
    TrackingEvent,
)
from saleor_aftersales.orchestration import (
    lifecycle,
)
from saleor_aftersales.status import (
    rows as status_rows,
)

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def tracked_order(make_order):
    order = make_order(lines=2, parcels=2, tracking_numbers=["00340434161094042557", ""])
    lifecycle.handle_order_event(str(order.pk), "order_created")
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    first, second = Parcel.objects.filter(order_id=order.pk)
    Parcel.objects.filter(pk=first.pk).update(
        estimated_delivery=date(2026, 12, 3), estimate_confidence=0.75,
        first_scan_at=F("shipped_at"),
    )
    now = timezone.now()
    for i, parcel in enumerate((first, second, first)):
        TrackingEvent.objects.create(
            parcel=parcel, occurred_at=now - timedelta(hours=i), status="in_transit",
            location="Köln", description=f"<b>Scan</b> {i} \"quoted\"", source="dhl",
            source_id=f"e{i}", relevant=bool(i % 2),
        )
    Problem.objects.create(key=f"{order.pk}:open", order_id=order.pk, channel_slug="x",
                           parcel=second, kind="overdue")
    Problem.objects.create(key=f"{order.pk}:done", order_id=order.pk, channel_slug="x",
                           kind="no_scan", resolved_at=now)
    Review.objects.create(order_id=order.pk, channel_slug="default-channel", rating=4,
                          comment="Schnell & gut")
    for language, question in (("de", "Wo ist mein Paket?"), ("en", "Where is it?"),
                               ("fr", "Où est-il ?")):
        FaqEntry.objects.create(channel_slug="default-channel", language_code=language,
                                question=question, answer="<p>Hier.</p>")
    FaqEntry.objects.create(channel_slug="default-channel", language_code="de",
                            question="Unveröffentlicht", answer="x", is_published=False)
    FaqEntry.objects.create(channel_slug="other", language_code="de", question="Fremd",
                            answer="x")
    return order


def test_load_reads_what_the_orm_reads_in_one_query(tracked_order):
    order_id = str(tracked_order.pk)
    with CaptureQueriesContext(connection) as queries:
        rows = status_rows.load(order_id, "default-channel", "de")
    assert len(queries) == 1

    assert _fields(rows.tracked) == _fields(TrackedOrder.objects.get(order_id=order_id))
    orm_parcels = list(Parcel.objects.filter(order_id=order_id))
    assert [_fields(p) for p in rows.parcels] == [_fields(p) for p in orm_parcels]
    assert rows.parcels[0].estimated_delivery == date(2026, 12, 3)
    assert rows.parcels[0].estimate_confidence == 0.75
    for parcel in orm_parcels:
        assert [_fields(e) for e in rows.events.get(parcel.pk, [])] == [
            _fields(e) for e in TrackingEvent.objects.filter(parcel=parcel)
        ]
    assert [_fields(m) for m in rows.milestones] == [
        _fields(m) for m in Milestone.objects.filter(order_id=order_id)
    ]
    assert [(p.kind, p.parcel_id) for p in rows.problems] == [("overdue", orm_parcels[1].pk)]
    assert (rows.review.rating, rows.review.comment) == (4, "Schnell & gut")
    assert sorted(e.question for e in rows.faq) == ["Where is it?", "Wo ist mein Paket?"]


def test_load_of_an_order_without_rows_and_other_values(make_order):
    """Unprocessed order, another language: the compiled statement takes the new values."""
    order = make_order(lines=1, parcels=0)
    FaqEntry.objects.create(channel_slug="default-channel", language_code="fr",
                            question="Où est-il ?", answer="Ici.")
    rows = status_rows.load(str(order.pk), "default-channel", "fr")
    assert rows.tracked is None and rows.parcels == [] and rows.events == {}
    assert rows.review is None and rows.problems == [] and rows.milestones == []
    assert [e.question for e in rows.faq] == ["Où est-il ?"]
    with pytest.raises(ValueError):
        status_rows.load("not-a-uuid", "default-channel", "en")


def test_prepared_statement_runs_with_each_calls_values(tracked_order):
    statement = Prepared(
        lambda channel, language: FaqEntry.objects.filter(
            channel_slug=channel, language_code=language
        ).values("question", json=json_of(FaqEntry, ["id", "answer"])),
        "sentinel-channel",
        "sentinel-language",
        json=("json",),
    )
    assert [r["question"] for r in statement.rows("default-channel", "de")] == [
        "Wo ist mein Paket?", "Unveröffentlicht",
    ]
    assert [r["question"] for r in statement.rows("other", "de")] == ["Fremd"]
    assert statement.rows("default-channel", "xx") == []
    (row,) = statement.rows("default-channel", "fr")
    assert row["json"]["answer"] == "<p>Hier.</p>"


def test_a_sentinel_missing_from_the_statement_is_refused(db):
    statement = Prepared(lambda slug: FaqEntry.objects.values("id"), "sentinel-channel")
    with pytest.raises(ValueError, match="sentinel"):
        statement.rows("default-channel")


def test_instances_keep_types_and_defer_missing_fields(tracked_order):
    parcel = Parcel.objects.filter(order_id=tracked_order.pk).first()
    (row,) = Parcel.objects.filter(pk=parcel.pk).values_list(json_of(Parcel), flat=True)
    (copy,) = instances(Parcel, [row])
    assert _fields(copy) == _fields(parcel)
    assert isinstance(copy.order_id, uuid.UUID) and copy.shipped_at.tzinfo is not None
    (partial,) = instances(Problem, [{"id": 1, "kind": "overdue", "parcel_id": None}])
    assert partial.get_deferred_fields() >= {"detail", "detected_at"}


def test_padded_lengths_are_powers_of_two():
    assert padded([], 0) == [0]
    assert padded([5], 0) == [5]
    assert padded([1, 2, 3], -1) == [1, 2, 3, -1]
    assert len(padded(list(range(9)), -1)) == 16
