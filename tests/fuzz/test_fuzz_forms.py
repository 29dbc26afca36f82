"""Form fields under fuzz: the postcode/email gate and the review comment, through the page
form, the widget API and GraphQL, with NUL bytes and odd Unicode.

- Verify: any answer gives 303 (page), 200/400/429 (widget) or a mutation error, never a
  500; no stored row changes; only the right postcode unlocks.
- Review: any comment and rating gives 303 / 200 / 400 or a field error; the order's review
  is either unchanged or holds the comment without control characters; other rows stay.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_aftersales.core.links import make_token
from saleor_aftersales.models import Parcel, Review, TrackedOrder
from tests.web.conftest import BASE, csrf_of, page_url

from .conftest import STORED_TEXT, TEXT

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
VERIFY = """mutation($t: String!, $a: String!) {
  verifyOrderAccess(token: $t, postalCode: $a) { errors { code } }
}"""
REVIEW = """mutation($t: String!, $r: Int!, $c: String) {
  submitReview(token: $t, rating: $r, comment: $c) { errors { field code } }
}"""


def _rows():
    return (list(Parcel.objects.order_by("pk").values()),
            list(TrackedOrder.objects.order_by("pk").values()))


@pytest.fixture
def delivered(shipped_order):
    Parcel.objects.filter(order_id=shipped_order.pk).update(
        status="delivered", delivered_at=timezone.now())
    return shipped_order


@FUZZ
@given(answer=TEXT.filter(lambda a: a.strip() not in ("51147", "erika@example.com")))
def test_verify_answers(client, gql, shipped_order, answer):
    from django.core.cache import cache

    cache.clear()  # rate limits would soon answer every attempt alike
    before, token, url = _rows(), make_token(str(shipped_order.pk), "default-channel"), \
        page_url(shipped_order)
    form = {"csrf_token": csrf_of(client, url), "answer": answer}
    page = client.post(f"{url}/verify", {k: v.encode("utf-8", "surrogatepass").decode(
        "utf-8", "replace") for k, v in form.items()})
    assert page.status_code == 303 and "m=verify_failed" in page["Location"]
    widget = client.post(f"{BASE}/api/status/{token}/verify", {"answer": answer},
                         content_type="application/json")
    assert widget.status_code == 400 and widget.json()["error"]
    status, body = gql(VERIFY, {"t": token, "a": answer})
    surrogate = any("\ud800" <= c <= "\udfff" for c in answer)
    assert status == (400 if surrogate else 200), body
    if status == 200:
        assert body["data"]["verifyOrderAccess"]["errors"][0]["code"] in (
            "VERIFICATION_FAILED", "REQUIRED")
    assert _rows() == before


def _clean(text: str) -> bool:
    return not any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in text)


@FUZZ
@given(comment=STORED_TEXT, rating=st.one_of(st.sampled_from(["4", "5", "0", "x"]), TEXT),
       via=st.sampled_from(["page", "widget", "graphql"]))
def test_review_comments(client, gql, delivered, comment, rating, via):
    before = _rows()
    token = make_token(str(delivered.pk), "default-channel")
    if via == "page":
        url = page_url(delivered)
        # encoded as a browser's form would be, lone surrogates as the raw bytes a hostile
        # client could send (Django's test client refuses to encode them itself)
        form = urlencode({"csrf_token": csrf_of(client, url), "rating": rating,
                          "comment": comment}, errors="surrogatepass")
        response = client.post(f"{url}/review", data=form,
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code in (302, 303)
    elif via == "widget":
        response = client.post(f"{BASE}/api/status/{token}/review",
                               {"rating": rating, "comment": comment},
                               content_type="application/json")
        assert response.status_code in (200, 400) and response.json()
    else:
        status, body = gql(REVIEW, {"t": token, "r": 4, "c": comment})
        assert status == 200, body
    review = Review.objects.filter(order_id=delivered.pk).first()
    assert review is None or _clean(review.comment)
    assert _rows() == before
