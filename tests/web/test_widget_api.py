"""The thank-you widget's JSON API: token by order id + email, status JSON, actions."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest

from saleor_aftersales.models import EngagementEvent, Parcel, Review

from .conftest import BASE, process

pytestmark = pytest.mark.django_db


def _token(client, order, email="erika@example.com", order_id=None):
    return client.post(
        f"{BASE}/api/token",
        {"order_id": order_id or str(order.pk), "email": email},
        content_type="application/json",
    )


def test_token_for_uuid_and_global_id(client, shipped_order):
    response = _token(client, shipped_order)
    assert response.status_code == 200
    data = response.json()
    assert data["status_url"].startswith("http://testserver/plugins/channel/default-channel/")
    assert data["status_url"].endswith(data["token"])
    global_id = base64.b64encode(f"Order:{shipped_order.pk}".encode()).decode()
    assert _token(client, shipped_order, "ERIKA@example.com", global_id).status_code == 200


def test_wrong_id_and_wrong_email_look_the_same(client, shipped_order):
    wrong_email = _token(client, shipped_order, "someone@example.com")
    wrong_id = _token(client, shipped_order, order_id="4b3d5c77-7f4e-4a43-9a7e-1f5a2b9c0d11")
    garbage = _token(client, shipped_order, order_id="Order:<script>")
    assert wrong_email.status_code == wrong_id.status_code == garbage.status_code == 404
    assert wrong_email.json() == wrong_id.json() == garbage.json() == {"error": "not_found"}


def test_email_guesses_for_one_order_are_limited_with_retry_after(client, shipped_order):
    from saleor_aftersales.status.access import ORDER_TOKEN_LIMIT, TOKEN_WINDOW

    for _ in range(ORDER_TOKEN_LIMIT):
        assert _token(client, shipped_order, "guess@example.com").status_code == 404
    limited = _token(client, shipped_order)
    assert limited.status_code == 429 and limited.json() == {"error": "rate_limited"}
    assert 0 < int(limited["Retry-After"]) <= TOKEN_WINDOW


def test_shoppers_behind_one_ip_are_not_locked_out(client, make_order):
    """An office or a mobile network shares one address: 40 thank-you pages in a row."""
    orders = [make_order(lines=1) for _ in range(40)]
    for order in orders:
        process(order)
    assert {_token(client, order).status_code for order in orders} == {200}


def test_widget_verify_limit_says_when_to_retry(client, shipped_order):
    from saleor_aftersales.status.access import LINK_LIMIT

    token = _token(client, shipped_order).json()["token"]
    for _ in range(LINK_LIMIT):
        client.post(f"{BASE}/api/status/{token}/verify", {"answer": "00000"},
                    content_type="application/json")
    limited = client.post(f"{BASE}/api/status/{token}/verify", {"answer": "51147"},
                          content_type="application/json")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


def test_status_json_carries_the_pages_formatted_dates_and_prices(client, make_order):
    from datetime import UTC, date, datetime

    from saleor_aftersales.models import TrackingEvent
    from sandbox.factories import make_channel

    make_channel("default-channel", time_zone="Europe/Berlin")
    order = make_order(lines=2, parcels=1, language_code="de")
    process(order)
    parcel = Parcel.objects.get(order_id=order.pk)
    Parcel.objects.filter(pk=parcel.pk).update(status="in_transit",
                                               estimated_delivery=date(2031, 4, 11),
                                               promised_delivery=date(2031, 4, 11))
    for hour, relevant in ((8, True), (12, False)):
        TrackingEvent.objects.create(
            parcel=parcel, occurred_at=datetime(2025, 3, 14, hour, 45, tzinfo=UTC),
            status="in_transit", description=f"Scan {hour}", source="dhl",
            source_id=str(hour), relevant=relevant)
    token = _token(client, order).json()["token"]
    unlock = client.post(f"{BASE}/api/status/{token}/verify", {"answer": "51147"},
                         content_type="application/json").json()["unlock"]
    data = client.get(f"{BASE}/api/status/{token}", HTTP_X_AFTERSALES_UNLOCK=unlock).json()
    [item] = data["parcels"]
    assert item["estimated_delivery_text"] == "Freitag, 11. April 2031"  # as the page says it
    newest = item["latest_events"][0]  # the newest event, although classed as noise
    assert (newest["description"], newest["occurred_at_text"]) == (
        "Scan 12", "14. März 2025, 13:45 MEZ")
    assert data["summary"]["total_text"].endswith("\xa0€")  # "89,70 €" with Babel's space
    second = data["buy_again"][1]  # two pieces: what both cost, as the page shows it
    cost = f"{Decimal(second['price']) * 2:.2f}".replace(".", ",")
    assert second["quantity"] == 2 and second["total_text"] == f"{cost}\xa0€"
    assert [s["state"] for s in data["progress"]][:3] == ["done", "done", "current"]


def test_status_json_has_no_personal_data(client, shipped_order):
    token = _token(client, shipped_order).json()["token"]
    response = client.get(f"{BASE}/api/status/{token}")
    assert response.status_code == 200
    data = response.json()
    assert data["number"] == str(shipped_order.number)
    assert len(data["parcels"]) == 2 and data["personal"] is None
    assert "Mustermann" not in response.content.decode()
    assert "erika@example.com" not in response.content.decode()
    assert response["Cache-Control"] == "private, no-cache"
    assert EngagementEvent.objects.filter(kind="widget_view", order_id=shipped_order.pk).exists()


def test_verify_returns_unlock_header_token(client, shipped_order):
    token = _token(client, shipped_order).json()["token"]
    bad = client.post(f"{BASE}/api/status/{token}/verify", {"answer": "12345"},
                      content_type="application/json")
    assert bad.status_code == 400 and "unlock" not in bad.json()
    good = client.post(f"{BASE}/api/status/{token}/verify", {"answer": "51147"},
                       content_type="application/json")
    unlock = good.json()["unlock"]
    data = client.get(f"{BASE}/api/status/{token}", HTTP_X_AFTERSALES_UNLOCK=unlock).json()
    assert data["personal"]["name"] == "Erika Mustermann"


def test_cors_admits_storefront_only(client, shipped_order):
    token = _token(client, shipped_order).json()["token"]
    ok = client.get(f"{BASE}/api/status/{token}", HTTP_ORIGIN="https://shop.example.com")
    assert ok["Access-Control-Allow-Origin"] == "https://shop.example.com"
    evil = client.get(f"{BASE}/api/status/{token}", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in evil
    preflight = client.options(f"{BASE}/api/token", HTTP_ORIGIN="https://shop.example.com")
    assert preflight.status_code == 204 and "POST" in preflight["Access-Control-Allow-Methods"]


def test_buy_again_returns_checkout_url(client, shipped_order):
    from sandbox.models import Checkout

    token = _token(client, shipped_order).json()["token"]
    data = client.post(f"{BASE}/api/status/{token}/buy-again").json()
    checkout = Checkout.objects.get()
    assert data["checkout_url"] == f"https://shop.example.com/checkout?checkout={checkout.token}"
    assert sorted(checkout.lines) == sorted(
        [[str(li.variant_id), li.quantity] for li in shipped_order.lines.all()]
    )


def test_review_needs_delivery(client, shipped_order):
    token = _token(client, shipped_order).json()["token"]
    response = client.post(f"{BASE}/api/status/{token}/review", {"rating": 5},
                           content_type="application/json")
    assert response.status_code == 400 and not Review.objects.exists()
    Parcel.objects.filter(order_id=shipped_order.pk).update(status="delivered")
    response = client.post(f"{BASE}/api/status/{token}/review", {"rating": 4, "comment": "Gut"},
                           content_type="application/json")
    assert response.json()["ok"] is True
    assert Review.objects.get(order_id=shipped_order.pk).rating == 4


def test_invalid_token_gets_403(client, channel):
    assert client.get(f"{BASE}/api/status/not-a-real-token-at-all").status_code == 403


def test_unprocessed_order_still_gets_a_view(client, make_order):
    order = make_order(lines=1)
    process(order)
    token = _token(client, order).json()["token"]
    assert client.get(f"{BASE}/api/status/{token}").json()["parcels"] == []
