"""Shopper API: aftersalesStatus by token and the four shopper mutations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import signing
from django.utils import timezone

from saleor_aftersales.core.links import STATUS_SALT
from saleor_aftersales.graphql import shopper
from saleor_aftersales.models import (
    EngagementEvent,
    FaqEntry,
    Parcel,
    Review,
    TrackingEvent,
)
from saleor_aftersales.status import access
from sandbox import factories
from sandbox import models as shop

from .conftest import process, status_token

pytestmark = pytest.mark.django_db

STATUS = """
query($t: String!, $u: String, $lang: String) {
  aftersalesStatus(token: $t, unlockToken: $u, language: $lang) {
    orderId number state stateLabel stateText languageCode estimatedDelivery verified
    timeline { key label state at parcelId sidePath }
    parcels {
      id number carrier carrierName trackingNumber trackingUrl status statusText
      estimatedDelivery confidence
      events { occurredAt status statusText location description relevant }
      allEvents: events(all: true) { description }
      lines { productName quantity }
    }
    unshippedLines { productName quantity }
    buyAgain { name quantity available reason reasonText price { amount currency } }
    faq { id question answerHtml }
    review { enabled submitted rating comment platformUrl }
    recommendations { name slug url price { amount currency } }
    problems { kind text }
    brand { shopName color }
    personal { name email shippingAddress { postalCode city } }
  }
}
"""

VERIFY = """
mutation($t: String!, $p: String!) {
  verifyOrderAccess(token: $t, postalCode: $p) {
    unlockToken
    status { verified personal { name email shippingAddress { postalCode } } }
    errors { field code message }
  }
}
"""


def _deliver(order):
    now = timezone.now()
    Parcel.objects.filter(order_id=order.pk).update(status="delivered", delivered_at=now)


def test_status_has_timeline_parcels_events_eta_and_engagement(gql, make_order, channel):
    # another order makes a product "bought together" for recommendations
    order = process(
        make_order(
            lines=2, parcels=2, tracking_numbers=["00340434161094042557", ""],
            metadata={"marketing_consent": "true"},
        )
    )
    other_variant = factories.make_product("Rain Jacket")
    first_variant = order.lines.first().variant
    factories.make_order(channel=channel, lines=2, variants=[first_variant, other_variant])
    parcel = Parcel.objects.filter(order_id=order.pk).first()
    Parcel.objects.filter(pk=parcel.pk).update(
        status="in_transit", estimated_delivery=date.today() + timedelta(days=2)
    )
    for i, relevant in enumerate([True, False]):
        TrackingEvent.objects.create(
            parcel=parcel, occurred_at=timezone.now() - timedelta(hours=5 - i),
            status="in_transit", location="Köln", description=f"Scan {i}", source="dhl",
            source_id=f"e{i}", relevant=relevant,
        )
    FaqEntry.objects.create(
        channel_slug="default-channel", question="Where is my parcel?",
        answer="<p>Follow the <a href='https://x.example'>link</a><script>x</script></p>",
    )

    status, body = gql(STATUS, {"t": status_token(order)})

    assert status == 200 and "errors" not in body, body
    data = body["data"]["aftersalesStatus"]
    assert data["number"] == str(order.number)
    assert data["timeline"][0]["key"] == "received"
    first = data["parcels"][0]
    assert first["trackingNumber"] == "00340434161094042557"
    assert first["status"] == "IN_TRANSIT"
    assert first["estimatedDelivery"] == (date.today() + timedelta(days=2)).isoformat()
    # noise folded away; an unverified reader gets no carrier text and no town (privacy.py)
    assert [(e["description"], e["location"]) for e in first["events"]] == [("", "")]
    assert len(first["allEvents"]) == 2
    assert first["lines"]
    assert data["estimatedDelivery"] == first["estimatedDelivery"]
    # "Product (Variant)"; product names may hold brackets themselves ("Socks (3-pack)")
    assert {b["name"] for b in data["buyAgain"]} == {
        li.product_name + (f" ({li.variant_name})" if li.variant_name else "")
        for li in order.lines.all()
    }
    assert all(b["available"] and b["price"]["currency"] == "EUR" for b in data["buyAgain"])
    assert data["faq"][0]["question"] == "Where is my parcel?"
    assert "<script>" not in data["faq"][0]["answerHtml"]
    assert data["review"] == {
        "enabled": False, "submitted": False, "rating": None, "comment": "", "platformUrl": ""
    }
    assert [r["name"] for r in data["recommendations"]] == ["Rain Jacket"]
    assert data["recommendations"][0]["url"].startswith("https://shop.example.com/products/")
    assert data["brand"]["shopName"] == "Nordwind Outfitters"
    assert data["verified"] is False and data["personal"] is None


def test_status_in_german_on_request(gql, make_order):
    from django.utils import translation

    from saleor_aftersales.core.parcel_status import ParcelStatus

    order = process(make_order(lines=1, parcels=1))
    for lang in ("de", "en"):
        _, body = gql(STATUS, {"t": status_token(order), "lang": lang})
        data = body["data"]["aftersalesStatus"]
        assert data["languageCode"] == lang
        with translation.override(lang):
            expected = str(ParcelStatus.PENDING.label)
        assert data["parcels"][0]["statusText"] == expected


def test_personal_data_only_after_verification(gql, make_order):
    order = process(make_order(lines=1, parcels=1))
    token = status_token(order)

    _, wrong = gql(VERIFY, {"t": token, "p": "99999"})
    payload = wrong["data"]["verifyOrderAccess"]
    assert payload["unlockToken"] is None and payload["status"] is None
    assert payload["errors"] == [
        {"field": "postalCode", "code": "VERIFICATION_FAILED", "message": "That did not match."}
    ]

    _, right = gql(VERIFY, {"t": token, "p": " 51147 "})
    payload = right["data"]["verifyOrderAccess"]
    assert payload["errors"] == []
    assert payload["status"]["personal"]["name"] == "Erika Mustermann"
    unlock = payload["unlockToken"]

    _, locked = gql(STATUS, {"t": token})
    assert locked["data"]["aftersalesStatus"]["personal"] is None
    _, unlocked = gql(STATUS, {"t": token, "u": unlock})
    personal = unlocked["data"]["aftersalesStatus"]["personal"]
    assert personal["email"] == "erika@example.com"
    assert personal["shippingAddress"] == {"postalCode": "51147", "city": "Köln"}
    _, by_header = gql(STATUS, {"t": token}, HTTP_X_AFTERSALES_UNLOCK=unlock)
    assert by_header["data"]["aftersalesStatus"]["verified"] is True


def test_unlock_token_of_another_order_unlocks_nothing(gql, make_order):
    mine = process(make_order(lines=1))
    theirs = process(make_order(lines=1, email="other@example.com"))
    unlock = access.make_unlock_token(str(mine.pk))
    _, body = gql(STATUS, {"t": status_token(theirs), "u": unlock})
    assert body["data"]["aftersalesStatus"]["personal"] is None


def test_verification_attempts_are_limited(gql, make_order):
    order = process(make_order(lines=1))
    token = status_token(order)
    codes = [
        gql(VERIFY, {"t": token, "p": "00000"})[1]["data"]["verifyOrderAccess"]["errors"][0]["code"]
        for _ in range(access.LINK_LIMIT + 1)
    ]
    assert codes[-1] == "RATE_LIMITED"
    _, body = gql(VERIFY, {"t": token, "p": "51147"})  # even the right answer waits now
    assert body["data"]["verifyOrderAccess"]["errors"][0]["code"] == "RATE_LIMITED"


@pytest.mark.parametrize(
    "token,message",
    [
        ("", "missing or oversized token"),
        ("not-a-token", "this link is not valid"),
        ("x" * 3000, "missing or oversized token"),
    ],
)
def test_bad_tokens_are_rejected(gql, channel, token, message):
    status, body = gql(STATUS, {"t": token})
    assert status == 200
    assert body["data"]["aftersalesStatus"] is None
    assert body["errors"][0]["message"] == message


def test_expired_and_foreign_tokens(gql, make_order, channel, monkeypatch):
    import time

    order = process(make_order(lines=1))
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now - 91 * 86400)  # validity is 90 days
    expired = status_token(order)
    monkeypatch.setattr(time, "time", lambda: now)
    _, body = gql(STATUS, {"t": expired})
    assert body["data"]["aftersalesStatus"] is None
    assert body["errors"][0]["message"] == "this link has expired"
    _, body = gql(VERIFY, {"t": expired, "p": "51147"})
    assert body["data"]["verifyOrderAccess"]["errors"][0]["code"] == "EXPIRED_TOKEN"

    # a token naming the order with another channel is refused
    factories.make_channel("other-channel")
    foreign = signing.dumps(
        {"o": str(order.pk), "c": "other-channel"}, salt=STATUS_SALT, compress=True
    )
    _, body = gql(STATUS, {"t": foreign})
    assert body["data"]["aftersalesStatus"] is None
    assert body["errors"][0]["message"] == "this link is not valid"


def test_token_resolution_is_rate_limited_per_ip(gql, make_order, monkeypatch):
    monkeypatch.setattr(shopper, "TOKEN_LIMIT", 3)
    order = process(make_order(lines=1))
    token = status_token(order)
    results = [gql(STATUS, {"t": token})[1] for _ in range(4)]
    assert all(r["data"]["aftersalesStatus"] for r in results[:3])
    assert results[3]["data"]["aftersalesStatus"] is None
    assert results[3]["errors"][0]["extensions"]["exception"]["code"] == "RateLimited"
    # another address is not affected
    _, other = gql(STATUS, {"t": token}, REMOTE_ADDR="10.0.0.2")
    assert other["data"]["aftersalesStatus"]["number"] == str(order.number)
    # mutations resolving a token count too
    _, mutation = gql(VERIFY, {"t": token, "p": "51147"})
    assert mutation["data"]["verifyOrderAccess"]["errors"][0]["code"] == "RATE_LIMITED"


REVIEW = """
mutation($t: String!, $r: Int!, $c: String) {
  submitReview(token: $t, rating: $r, comment: $c) {
    review { enabled submitted rating comment }
    errors { field code message }
  }
}
"""


def test_submit_review_after_delivery(gql, make_order):
    order = process(make_order(lines=1, parcels=1))
    token = status_token(order)
    _, early = gql(REVIEW, {"t": token, "r": 5})
    assert early["data"]["submitReview"]["errors"][0]["code"] == "NOT_AVAILABLE"
    assert not Review.objects.exists()

    _deliver(order)
    _, body = gql(REVIEW, {"t": token, "r": 4, "c": "  Quick and well packed. "})
    payload = body["data"]["submitReview"]
    assert payload["errors"] == []
    assert payload["review"] == {
        "enabled": True, "submitted": True, "rating": 4, "comment": "Quick and well packed."
    }
    _, again = gql(REVIEW, {"t": token, "r": 5})
    assert again["data"]["submitReview"]["review"]["rating"] == 5
    assert Review.objects.get(order_id=order.pk).rating == 5
    assert EngagementEvent.objects.filter(order_id=order.pk, kind="review").count() == 2
    _, status = gql(STATUS, {"t": token})
    assert status["data"]["aftersalesStatus"]["review"]["rating"] == 5


@pytest.mark.parametrize(
    "rating,comment,field",
    [(0, "", "rating"), (6, "", "rating"), (5, "x" * 5001, "comment")],
)
def test_submit_review_bad_input(gql, make_order, rating, comment, field):
    order = process(make_order(lines=1, parcels=1))
    _deliver(order)
    _, body = gql(REVIEW, {"t": status_token(order), "r": rating, "c": comment})
    errors = body["data"]["submitReview"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, "INVALID")]
    assert not Review.objects.exists()


def test_submit_review_when_reviews_are_off(gql, make_order, channel):
    factories.make_channel("default-channel", reviews_enabled=False)
    order = process(make_order(lines=1, parcels=1))
    _deliver(order)
    _, body = gql(REVIEW, {"t": status_token(order), "r": 5})
    assert body["data"]["submitReview"]["errors"][0]["code"] == "FEATURE_DISABLED"


BUY_AGAIN = """
mutation($t: String!) {
  createBuyAgainCheckout(token: $t) {
    checkoutId checkoutUrl unavailable
    errors { field code message }
  }
}
"""


def test_buy_again_creates_a_checkout_with_available_items(gql, make_order):
    gone = factories.make_product("Leather Belt", stock=0)
    kept = factories.make_product("Wool Beanie")
    order = process(make_order(lines=2, variants=[kept, gone]))
    _, body = gql(BUY_AGAIN, {"t": status_token(order)})
    payload = body["data"]["createBuyAgainCheckout"]
    assert payload["errors"] == []
    checkout = shop.Checkout.objects.get(token=payload["checkoutId"])
    assert checkout.lines == [[str(kept.pk), 1]]
    assert checkout.email == "erika@example.com"
    assert payload["checkoutUrl"] == (
        f"https://shop.example.com/checkout?checkout={payload['checkoutId']}"
    )
    assert payload["unavailable"] == ["Leather Belt (M)"]
    assert EngagementEvent.objects.filter(kind="buy_again", order_id=order.pk).count() == 1


def test_buy_again_with_nothing_available(gql, make_order):
    gone = factories.make_product(stock=0)
    order = process(make_order(lines=1, variants=[gone]))
    _, body = gql(BUY_AGAIN, {"t": status_token(order)})
    payload = body["data"]["createBuyAgainCheckout"]
    assert payload["checkoutId"] is None
    assert payload["errors"][0]["code"] == "NOT_AVAILABLE"
    assert not shop.Checkout.objects.exists()


def test_buy_again_switched_off(gql, make_order, channel):
    factories.make_channel("default-channel", buy_again_enabled=False)
    order = process(make_order(lines=1))
    _, body = gql(BUY_AGAIN, {"t": status_token(order)})
    assert body["data"]["createBuyAgainCheckout"]["errors"][0]["code"] == "FEATURE_DISABLED"


ENGAGE = """
mutation($t: String!, $k: AftersalesEngagementKind!, $target: String) {
  recordEngagement(token: $t, kind: $k, target: $target) { recorded errors { field code } }
}
"""


def test_record_engagement(gql, make_order):
    order = process(make_order(lines=1))
    token = status_token(order)
    for kind in ("PAGE_VIEW", "CLICK"):
        _, body = gql(ENGAGE, {"t": token, "k": kind, "target": "tracking"})
        assert body["data"]["recordEngagement"] == {"recorded": True, "errors": []}
    kinds = sorted(EngagementEvent.objects.filter(order_id=order.pk).values_list("kind", flat=True))
    assert kinds == ["click", "page_view"]


def test_record_engagement_bad_input(gql, make_order):
    order = process(make_order(lines=1))
    status, body = gql(ENGAGE, {"t": status_token(order), "k": "OPEN"})
    assert status == 400 and "OPEN" in body["errors"][0]["message"]
    _, body = gql(ENGAGE, {"t": status_token(order), "k": "CLICK", "target": "x" * 3000})
    assert body["data"]["recordEngagement"]["errors"] == [{"field": "target", "code": "INVALID"}]
    _, body = gql(ENGAGE, {"t": "forged", "k": "CLICK"})
    assert body["data"]["recordEngagement"]["errors"] == [
        {"field": "token", "code": "INVALID_TOKEN"}
    ]
    assert not EngagementEvent.objects.exists()
