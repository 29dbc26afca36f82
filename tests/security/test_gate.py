"""The postcode/email gate under attack.

- brute force: wrong answers are limited per link and per client address; after the limit
  even the right postcode is refused.
- spoofed forwarding headers: a new ``X-Forwarded-For`` per attempt buys no new attempts.
- counters shared across page, widget and GraphQL: attempts through one surface count
  against the others (one budget per link).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from saleor_aftersales.core import ratelimit
from saleor_aftersales.core.links import make_token
from tests.web.conftest import BASE, csrf_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_window(monkeypatch):
    """Rate limits count in fixed windows: keep every attempt of a test in one window."""
    fixed = 4 * 3600 * 1000 + 60.0
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: fixed))
VERIFY = """mutation($t: String!, $a: String!) {
  verifyOrderAccess(token: $t, postalCode: $a) { errors { code } }
}"""


def _page(client, order, answer, **headers):
    url = f"{BASE}/status/{_token(order)}"
    response = client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url),
                                              "answer": answer}, **headers)
    return response["Location"]


def _widget(client, order, answer, **headers):
    return client.post(f"{BASE}/api/status/{_token(order)}/verify", {"answer": answer},
                       content_type="application/json", **headers)


def _graphql(gql, order, answer, **headers):
    status, body = gql(VERIFY, {"t": _token(order), "a": answer}, **headers)
    assert status == 200, body
    return body["data"]["verifyOrderAccess"]["errors"]


_TOKENS: dict[str, str] = {}


def _token(order) -> str:
    """One link per order (a new token is a new link with its own per-link budget)."""
    return _TOKENS.setdefault(str(order.pk), make_token(str(order.pk), "default-channel"))


def test_brute_force_is_limited_then_even_the_right_answer_fails(client, shipped_order):
    for guess in ("10115", "20095", "80331", "50667", "60311"):
        assert "m=verify_failed" in _page(client, shipped_order, guess)
    assert "m=verify_limited" in _page(client, shipped_order, "51147")
    assert "Mustermann" not in client.get(f"{BASE}/status/{_token(shipped_order)}").content.decode()


def test_spoofed_forwarded_for_buys_no_attempts(client, shipped_order):
    for n in range(8):
        _widget(client, shipped_order, f"0000{n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
                HTTP_X_REAL_IP=f"198.51.100.{n}")
    response = _widget(client, shipped_order, "51147", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


@pytest.mark.parametrize("first,then", [("page", "widget"), ("widget", "graphql"),
                                        ("graphql", "page")])
def test_counters_are_shared_across_page_widget_and_graphql(client, gql, shipped_order,
                                                            first, then):
    surfaces = {
        "page": lambda answer: _page(client, shipped_order, answer),
        "widget": lambda answer: _widget(client, shipped_order, answer),
        "graphql": lambda answer: _graphql(gql, shipped_order, answer),
    }
    for guess in ("10115", "20095", "80331", "50667", "60311"):
        surfaces[first](guess)
    result = surfaces[then]("51147")
    if then == "page":
        assert "m=verify_limited" in result
    elif then == "widget":
        assert result.status_code == 429
    else:
        assert result[0]["code"] == "RATE_LIMITED"
