"""Hostile input at the boundary (L2): a clear 4xx or cleaned text, never a 500.

- NUL and other control characters in a review comment: page form, widget API, GraphQL.
- NUL in a ``recordEngagement`` target.
- Lone surrogates (``"\\ud800"`` in JSON) anywhere in a JSON body: 400.
- Deeply nested JSON to ``/api/token``, ``/api/status/…/verify`` and ``/…/review``: 400 with
  a message (and CORS, so the storefront can read it), no traceback logged.
- An oversized JSON body to the widget API: 413.
"""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from saleor_aftersales.core.links import make_token
from saleor_aftersales.models import EngagementEvent, Parcel, Review
from tests.web.conftest import BASE, csrf_of, page_url

pytestmark = pytest.mark.django_db

HOSTILE = "Gut\x00 verpackt\x01\x7f\u0085\r\nDanke\x1b[31m"
CLEANED = "Gut verpackt\nDanke[31m"
REVIEW = """mutation($t: String!, $c: String) {
  submitReview(token: $t, rating: 4, comment: $c) { errors { field code message } }
}"""
ENGAGE = """mutation($t: String!, $target: String) {
  recordEngagement(token: $t, kind: CLICK, target: $target) { recorded errors { code } }
}"""


def _no_traceback(caplog) -> None:
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL") or r.exc_info]


@pytest.fixture
def delivered(shipped_order):
    Parcel.objects.filter(order_id=shipped_order.pk).update(
        status="delivered", delivered_at=timezone.now()
    )
    return shipped_order


def _token(order) -> str:
    return make_token(str(order.pk), "default-channel")


def test_l2_nul_in_review_comment_page_form(client, delivered, caplog):
    url = page_url(delivered)
    response = client.post(f"{url}/review", {"csrf_token": csrf_of(client, url), "rating": "4",
                                             "comment": HOSTILE})
    assert response.status_code == 303
    assert Review.objects.get(order_id=delivered.pk).comment == CLEANED
    _no_traceback(caplog)


def test_l2_nul_in_review_comment_widget_api(client, delivered, caplog):
    response = client.post(f"{BASE}/api/status/{_token(delivered)}/review",
                           {"rating": 4, "comment": HOSTILE}, content_type="application/json")
    assert response.status_code == 200 and response.json()["ok"] is True
    assert Review.objects.get(order_id=delivered.pk).comment == CLEANED
    _no_traceback(caplog)


def test_l2_nul_in_review_comment_graphql(gql, delivered, caplog):
    status, body = gql(REVIEW, {"t": _token(delivered), "c": HOSTILE})
    assert status == 200 and body["data"]["submitReview"]["errors"] == [], body
    assert Review.objects.get(order_id=delivered.pk).comment == CLEANED
    _no_traceback(caplog)


def test_lone_surrogates_in_json_are_a_clear_400(gql, delivered, caplog):
    status, body = gql(REVIEW, {"t": _token(delivered), "c": "A\ud800B"})
    assert status == 400
    assert body["errors"][0]["message"] == (
        "The JSON body contains invalid Unicode (a lone surrogate)."
    )
    assert not Review.objects.exists()
    _no_traceback(caplog)


def test_l2_nul_in_record_engagement_target(gql, shipped_order, caplog):
    status, body = gql(ENGAGE, {"t": _token(shipped_order), "target": "track\x00ing\nlink"})
    assert status == 200, body
    assert body["data"]["recordEngagement"] == {"recorded": True, "errors": []}
    assert EngagementEvent.objects.get(order_id=shipped_order.pk, kind="click").target == (
        "tracking link"
    )
    _no_traceback(caplog)


DEEP = b'{"order_id": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"


@pytest.mark.parametrize("path", ["/api/token", "/api/status/{t}/verify",
                                  "/api/status/{t}/review"])
def test_l2_deeply_nested_json_to_widget_api_is_a_clear_400(client, shipped_order, caplog, path):
    url = BASE + path.format(t=_token(shipped_order))
    response = client.post(url, data=DEEP, content_type="application/json",
                           HTTP_ORIGIN="https://shop.example.com")
    assert response.status_code == 400
    assert response.json() == {"error": "bad_request",
                               "message": "The JSON body nests more than 32 levels deep."}
    assert response["Access-Control-Allow-Origin"] == "https://shop.example.com"
    assert not Review.objects.exists()
    _no_traceback(caplog)


def test_widget_api_refuses_oversized_and_non_object_bodies(client, shipped_order):
    big = json.dumps({"order_id": "x" * 70_000}).encode()
    response = client.post(f"{BASE}/api/token", data=big, content_type="application/json")
    assert response.status_code == 413 and response.json()["error"] == "payload_too_large"
    for body in (b"[1, 2]", b"{not json"):
        response = client.post(f"{BASE}/api/token", data=body, content_type="application/json")
        assert response.status_code == 400 and response.json()["error"] == "bad_request"
