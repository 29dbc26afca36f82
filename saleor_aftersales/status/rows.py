"""The plugin's own rows that an order's status view shows, read in one statement.

The tracked order, its outbound parcels with their carrier events (a return parcel is the
return's, not a delivery), the timeline's milestones, open problems, the shopper's review
and the channel's published FAQ entries in the view's language (and English) come back as
one row of JSON arrays (:mod:`prepared`), then as model instances, so the view code works
with the same objects as everywhere else.

Contract: :func:`load` runs exactly one query, whatever the number of parcels and events.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ..core.prepared import Prepared, instances, json_of
from ..models import FaqEntry, Milestone, Parcel, Problem, Review, TrackedOrder, TrackingEvent


@dataclass(frozen=True)
class OrderRows:
    """What :func:`load` read; lists are in each model's ``Meta.ordering``."""

    tracked: TrackedOrder | None
    parcels: list[Parcel]
    events: dict[int, list[TrackingEvent]] = field(default_factory=dict)  # parcel pk → oldest first
    milestones: list[Milestone] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # open ones: kind and parcel_id only
    review: Review | None = None  # rating and comment only
    faq: list[FaqEntry] = field(default_factory=list)  # published, view language or English


def _rows(model, queryset: QuerySet, fields: tuple[str, ...] | None = None) -> QuerySet:
    return queryset.order_by(*model._meta.ordering).values(json=json_of(model, fields))


def _statement(order_id: uuid.UUID, channel_slug: str, language: str) -> dict[str, QuerySet]:
    return {
        "tracked": _rows(TrackedOrder, TrackedOrder.objects.filter(order_id=order_id)),
        "parcels": _rows(Parcel, Parcel.objects.filter(order_id=order_id)),
        "events": _rows(
            TrackingEvent,
            TrackingEvent.objects.filter(
                parcel__order_id=order_id, parcel__direction=Parcel.Direction.OUTBOUND
            ),
        ),
        "milestones": _rows(Milestone, Milestone.objects.filter(order_id=order_id)),
        "problems": _rows(
            Problem,
            Problem.objects.filter(order_id=order_id, resolved_at__isnull=True).exclude(
                parcel__direction=Parcel.Direction.RETURN
            ),
            ("id", "kind", "parcel_id"),
        ),
        "review": _rows(
            Review, Review.objects.filter(order_id=order_id), ("id", "rating", "comment")
        ).order_by("id")[:1],
        "faq": _rows(
            FaqEntry,
            FaqEntry.objects.filter(
                channel_slug=channel_slug, is_published=True, language_code__in=[language, "en"]
            ),
            ("id", "language_code", "context", "question", "answer"),
        ),
    }


_LOAD = Prepared(
    _statement,
    uuid.UUID("5e1f0000-a5a5-4a5a-8a5a-0000000005a5"),
    "aftersales-sentinel-channel",
    "aftersales-sentinel-language",
    json=("tracked", "parcels", "events", "milestones", "problems", "review", "faq"),
)


def load(order_id: str, channel_slug: str, language: str) -> OrderRows:
    """The rows of ``order_id`` (UUID string) for a view in ``language``: one query."""
    (row,) = _LOAD.rows(uuid.UUID(str(order_id)), channel_slug, language)
    events: dict[int, list[TrackingEvent]] = {}
    for event in instances(TrackingEvent, row["events"]):
        events.setdefault(event.parcel_id, []).append(event)
    tracked = instances(TrackedOrder, row["tracked"])
    review = instances(Review, row["review"])
    return OrderRows(
        tracked=tracked[0] if tracked else None,
        parcels=instances(Parcel, row["parcels"]),
        events=events,
        milestones=instances(Milestone, row["milestones"]),
        problems=instances(Problem, row["problems"]),
        review=review[0] if review else None,
        faq=instances(FaqEntry, row["faq"]),
    )
