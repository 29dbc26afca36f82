"""An engagement event is one plain INSERT (every status page view writes one)."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleor_aftersales.engagement import events
from saleor_aftersales.models import EngagementEvent

pytestmark = pytest.mark.django_db


def test_a_page_view_is_stored_with_one_statement():
    order_id = str(uuid.uuid4())
    before = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        events.record(events.Kind.PAGE_VIEW, order_id=order_id, channel_slug="main")
        events.record(events.Kind.CLICK, order_id=None, channel_slug="main", target="a\nb\x00c")
    assert len(queries) == 2 and all(q["sql"].startswith("INSERT") for q in queries)
    view, click = EngagementEvent.objects.order_by("pk")
    assert (str(view.order_id), view.channel_slug, view.kind, view.target) == (
        order_id,
        "main",
        "page_view",
        "",
    )
    assert view.variant == "" and view.notification_id is None
    assert before <= view.created_at <= timezone.now()
    assert click.order_id is None and click.kind == "click" and "\n" not in click.target
    with pytest.raises(ValueError):
        events.record("nonsense", order_id=order_id, channel_slug="main")
