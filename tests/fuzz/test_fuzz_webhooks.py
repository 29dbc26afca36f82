"""AfterShip push bodies under fuzz, each with a valid signature (the sender holds the key).

Any body answers 200, 400, 413 or 415 with a JSON ``error`` message, never a 500; when it
is refused, no parcel or event row changed.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.models import Parcel, TrackingEvent
from saleor_aftersales.tracking import webhooks
from tests.tracking.test_push import NUMBER, receiver  # noqa: F401

from .conftest import TEXT
from .test_fuzz_tracking import JSON, aftership_payload, tracking

pytestmark = pytest.mark.django_db
URL = f"/plugins/channel/default-channel/{PLUGIN_ID}/webhooks/aftership"
SECRET = "whsec-test"
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _snapshot():
    return (list(Parcel.objects.order_by("pk").values()),
            list(TrackingEvent.objects.order_by("pk").values()))


def _ours(msg):
    """Mostly aim at the stored parcel, so the apply path is fuzzed too."""
    if isinstance(msg, dict):
        return {**msg, "tracking_number": NUMBER, "slug": "ups"}
    return msg


bodies = st.one_of(
    st.builds(lambda m, e: json.dumps({"event": e, "msg": _ours(m)}).encode(),
              st.one_of(tracking, JSON), TEXT),
    st.builds(lambda p: json.dumps(p).encode(), st.one_of(aftership_payload, JSON)),
    st.binary(max_size=200),
    st.integers(1, 3000).map(lambda n: b'{"msg": ' + b"[" * n + b"]" * n + b"}"),
)


@FUZZ
@given(body=bodies)
def test_signed_push_bodies_never_fail(client, receiver, body):  # noqa: F811
    before = _snapshot()
    response = client.post(URL, data=body, content_type="application/json",
                           HTTP_AFTERSHIP_HMAC_SHA256=webhooks.sign(SECRET, body))
    assert response.status_code in (200, 400, 415), response.content
    if response.status_code != 200:
        assert response.json()["error"]
        assert _snapshot() == before
