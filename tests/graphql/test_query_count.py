"""The number of SQL queries of the API does not grow with parcels or lines."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from graphql_relay import to_global_id

from saleor_aftersales.models import Parcel, TrackingEvent

from .conftest import URL, process, status_token

pytestmark = pytest.mark.django_db

STATUS = """
query($t: String!) {
  aftersalesStatus(token: $t) {
    number state timeline { key }
    parcels { trackingNumber status events(all: true) { status } lines { productName } }
    unshippedLines { productName } buyAgain { name available price { amount } }
    faq { question } review { enabled } recommendations { name } problems { kind }
  }
}
"""
ENTITIES = """
query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Order { aftersales { parcels { trackingNumber status events { status } lines {
      productName } } buyAgain { name } } }
  }
}
"""


def _order(make_order, lines, parcels):
    numbers = [f"0034043416109404255{i}" for i in range(parcels)]
    order = process(
        make_order(lines=lines, parcels=parcels, tracking_numbers=numbers,
                   metadata={"marketing_consent": "true"})
    )
    for parcel in Parcel.objects.filter(order_id=order.pk):
        for i in range(3):
            TrackingEvent.objects.create(
                parcel=parcel, occurred_at=timezone.now(), status="in_transit", source="dhl",
                source_id=f"{parcel.pk}-{i}",
            )
    return order


def _count(client, query, variables, token=None) -> int:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            URL, data=json.dumps({"query": query, "variables": variables}),
            content_type="application/json", **headers,
        )
    body = response.json()
    assert "errors" not in body, body
    return len(ctx.captured_queries)


def test_status_query_count_is_fixed(client, make_order):
    small = _order(make_order, lines=1, parcels=1)
    big = _order(make_order, lines=8, parcels=5)
    counts = [_count(client, STATUS, {"t": status_token(o)}) for o in (small, big)]
    assert counts[0] == counts[1], counts


def test_entity_query_count_is_fixed(client, make_order, staff_token):
    small = _order(make_order, lines=1, parcels=1)
    big = _order(make_order, lines=8, parcels=5)
    counts = [
        _count(
            client, ENTITIES,
            {"reps": [{"__typename": "Order", "id": to_global_id("Order", str(o.pk))}]},
            token=staff_token,
        )
        for o in (small, big)
    ]
    assert counts[0] == counts[1], counts
