"""Tracking numbers and the DHL and AfterShip payload parsers under fuzz.

- ``normalize``/``detect_carrier``/``tracking_url`` take any text without raising; the
  carrier is a known code or ``None``; links are http(s) or ``None``.
- A carrier payload of any JSON shape gives a ``TrackingResult`` or ``MalformedPayload``
  (never another exception); events it keeps have aware times and bounded texts.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from saleor_aftersales.tracking import numbers
from saleor_aftersales.tracking.carriers.aftership import AfterShipClient
from saleor_aftersales.tracking.carriers.base import MalformedPayload, TrackingResult
from saleor_aftersales.tracking.carriers.dhl import DhlClient

from .conftest import STORED_TEXT, TEXT

FAST = settings(max_examples=100, deadline=None)
NUMBER = st.one_of(
    STORED_TEXT,
    st.sampled_from(["00340434161094042557", "1Z999AA10123456784", "RR123456785DE",
                     "JJD000390007001234567", "https://track.example/1", "javascript:alert(1)"])
    .flatmap(lambda n: st.tuples(st.just(n), STORED_TEXT).map(lambda t: t[0] + t[1])),
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
TIMESTAMP = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["2024-05-01T10:00:00Z", "9999-12-31T23:59:59-23:59",
                     "0001-01-01T00:00:00+14:00", "2024-02-30T10:00:00Z", "", "now"]),
    TEXT,
    JSON,
)
FIELD = st.one_of(TEXT, JSON)


@FAST
@given(NUMBER)
def test_tracking_numbers_never_raise(raw):
    normalized = numbers.normalize(raw)
    assert numbers.normalize(normalized) == normalized
    carrier = numbers.detect_carrier(raw)
    assert carrier is None or carrier in numbers.CARRIER_CODES
    for code in (carrier or "dhl", "ups", "nope"):
        link = numbers.tracking_url(code, raw, "de")
        assert link is None or link.startswith(("http://", "https://"))


def _check(result) -> None:
    assert isinstance(result, TrackingResult)
    for event in result.events:
        assert event.occurred_at.tzinfo is not None
        assert len(event.description) <= 2000 and len(event.location) <= 255


def _parse(client, payload) -> None:
    try:
        result = client.parse(payload, None, "00340434161094042557")
    except MalformedPayload:
        return
    _check(result)


dhl_event = st.fixed_dictionaries(
    {"timestamp": TIMESTAMP},
    optional={"statusCode": FIELD, "status": FIELD, "description": FIELD,
              "location": st.one_of(JSON, st.fixed_dictionaries(
                  {"address": st.one_of(JSON, st.fixed_dictionaries(
                      {}, optional={"addressLocality": FIELD, "countryCode": FIELD}))}))},
)
dhl_payload = st.one_of(JSON, st.fixed_dictionaries({"shipments": st.one_of(JSON, st.lists(
    st.one_of(JSON, st.fixed_dictionaries({}, optional={
        "events": st.one_of(JSON, st.lists(st.one_of(dhl_event, JSON), max_size=4)),
        "status": st.one_of(dhl_event, JSON), "estimatedTimeOfDelivery": TIMESTAMP,
    })), max_size=3))}))


@FAST
@given(dhl_payload)
def test_dhl_parser_takes_any_shape(payload):
    _parse(DhlClient.__new__(DhlClient), payload)


checkpoint = st.fixed_dictionaries(
    {"checkpoint_time": TIMESTAMP},
    optional={"tag": st.one_of(FIELD, st.sampled_from(["InTransit", "Delivered", "Exception"])),
              "subtag": FIELD, "message": FIELD, "location": FIELD, "city": FIELD,
              "country_region": FIELD, "subtag_message": FIELD},
)
tracking = st.fixed_dictionaries({}, optional={
    "tracking_number": FIELD, "slug": FIELD,
    "checkpoints": st.one_of(JSON, st.lists(st.one_of(checkpoint, JSON), max_size=4)),
    "expected_delivery": TIMESTAMP,
    "courier_estimated_delivery_date": st.one_of(JSON, st.fixed_dictionaries(
        {"estimated_delivery_date": TIMESTAMP})),
})
aftership_payload = st.one_of(JSON, st.fixed_dictionaries({"data": st.one_of(
    JSON, st.fixed_dictionaries({}, optional={
        "trackings": st.one_of(JSON, st.lists(st.one_of(tracking, JSON), max_size=3)),
        "tracking": st.one_of(tracking, JSON)}))}))


@FAST
@given(aftership_payload)
def test_aftership_parser_takes_any_shape(payload):
    _parse(AfterShipClient.__new__(AfterShipClient), payload)
