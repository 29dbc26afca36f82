"""M2: a failing cache only costs speed — with Redis refusing or stalled, shoppers still get
an answer quickly (200, or a clear 429 with a message), never a 500, and the gate holds."""

from __future__ import annotations

import json
import time

import pytest
from django.core import checks
from django.test import override_settings

from saleor_aftersales.checks import check_settings
from saleor_aftersales.core import shared_cache
from saleor_aftersales.status import access
from tests.graphql.conftest import URL as GRAPHQL_URL
from tests.web.conftest import BASE, csrf_of, page_url, process

pytestmark = pytest.mark.django_db

#: Each shopper request must answer within this, whatever the cache does.
BOUND = 3.0


@pytest.fixture
def shipped_order(make_order):
    order = make_order(lines=3, parcels=2, tracking_numbers=["00340434161094042557", ""])
    process(order)
    return order


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    elapsed = time.monotonic() - started
    assert elapsed < BOUND, f"answered after {elapsed:.1f} s"
    assert response.status_code < 500, response.content[:300]
    return response


def test_m2_status_page_with_redis_down_answers_in_time(client, shipped_order, redis_fault):
    for _ in range(3):  # the first request meets the fault, later ones skip the cache
        response = timed(client.get, page_url(shipped_order))
        assert response.status_code == 200
        assert f"Order {shipped_order.number}" in response.content.decode()


def test_m2_verify_with_redis_down_answers_clearly(client, shipped_order, redis_fault):
    url = page_url(shipped_order)
    wrong = timed(client.post, f"{url}/verify",
                  {"csrf_token": csrf_of(client, url), "answer": "99999"}, follow=True)
    assert "That did not match." in wrong.content.decode()
    right = timed(client.post, f"{url}/verify",
                  {"csrf_token": csrf_of(client, url), "answer": "51147"}, follow=True)
    assert "Mustermann" in right.content.decode()


def test_m2_verify_gate_still_holds_with_redis_down(client, shipped_order, redis_fault):
    """No open gate: without the shared counter, this process still counts attempts."""
    url = page_url(shipped_order)
    for _ in range(access.LINK_LIMIT):
        client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url), "answer": "00000"})
    limited = timed(client.post, f"{url}/verify",
                    {"csrf_token": csrf_of(client, url), "answer": "51147"}, follow=True)
    html = limited.content.decode()
    assert "Too many attempts. Please try again later." in html and "Mustermann" not in html


def _token(client, order):
    return client.post(f"{BASE}/api/token",
                       {"order_id": str(order.pk), "email": "erika@example.com"},
                       content_type="application/json")


def test_m2_widget_with_redis_down_answers_clearly(client, shipped_order, redis_fault):
    response = timed(_token, client, shipped_order)
    assert response.status_code == 200
    token = response.json()["token"]
    status = timed(client.get, f"{BASE}/api/status/{token}")
    assert status.status_code == 200 and status.json()["personal"] is None
    verify = f"{BASE}/api/status/{token}/verify"
    bad = timed(client.post, verify, {"answer": "99999"}, content_type="application/json")
    assert bad.status_code == 400
    good = timed(client.post, verify, {"answer": "51147"}, content_type="application/json")
    assert good.status_code == 200 and good.json()["unlock"]
    for _ in range(access.TOKEN_LIMIT):
        _token(client, shipped_order)
    limited = timed(_token, client, shipped_order)
    assert limited.status_code == 429 and limited.json() == {"error": "rate_limited"}


def test_m2_buy_again_with_redis_down_creates_the_checkout(client, shipped_order, redis_fault):
    url = page_url(shipped_order)
    response = timed(client.post, f"{url}/buy-again", {"csrf_token": csrf_of(client, url)})
    assert response.status_code in (302, 303)
    assert response["Location"].startswith("https://shop.example.com/checkout?checkout=")


def test_m2_graphql_shopper_queries_with_redis_down(client, shipped_order, redis_fault):
    from tests.graphql.conftest import status_token

    query = "query($t: String!) { aftersalesStatus(token: $t) { number state verified } }"
    response = timed(client.post, GRAPHQL_URL,
                     data=json.dumps({"query": query, "variables": {"t": status_token(
                         shipped_order)}}),
                     content_type="application/json")
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    assert body["data"]["aftersalesStatus"] == {
        "number": str(shipped_order.number), "state": body["data"]["aftersalesStatus"]["state"],
        "verified": False,
    }


def test_m2_order_hooks_with_redis_down_still_track_parcels(make_order, redis_fault):
    """Saleor's order and fulfillment hooks run the lifecycle (estimates read lane history
    from the cache): with the cache down they still create the parcels."""
    from saleor_aftersales.models import Parcel

    order = make_order(lines=2, parcels=1, tracking_numbers=["00340434161094042557"])
    started = time.monotonic()
    process(order)
    assert time.monotonic() - started < BOUND
    assert Parcel.objects.filter(order_id=order.pk).count() == 1


def test_m2_cache_back_after_outage_is_used_again(client, shipped_order, monkeypatch):
    """An outage is skipped for a while, then the shared cache is tried again."""
    monkeypatch.setattr(shared_cache, "OUTAGE_SECONDS", 0.05)
    shared_cache.mark_down()
    assert not shared_cache.available()
    time.sleep(0.06)
    assert shared_cache.available()
    client.get(page_url(shipped_order))
    from django.core.cache import cache

    assert cache.get(f"aftersales:status-view:{shipped_order.pk}") is not None


def _redis(options=None):
    default = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
               "LOCATION": "redis://127.0.0.1:6379/0"}
    if options is not None:
        default["OPTIONS"] = options
    return {"default": default}


@pytest.mark.parametrize("options", [None, {"socket_timeout": 1}, {"socket_connect_timeout": 1}])
def test_m2_check_warns_about_redis_without_timeouts(options):
    with override_settings(CACHES=_redis(options)):
        found = [p for p in check_settings(None) if p.id == "aftersales.W002"]
    assert len(found) == 1 and found[0].level == checks.WARNING
    assert "socket_connect_timeout" in found[0].hint and "socket_timeout" in found[0].hint


def test_m2_check_accepts_redis_with_timeouts():
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    with override_settings(CACHES=_redis(options)):
        assert not [p for p in check_settings(None) if p.id == "aftersales.W002"]
