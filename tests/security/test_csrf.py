"""Cross-site request forgery against the page's forms (verify, buy again, review).

- no token, a forged token, a token without its cookie: refused (``form_expired``).
- a foreign ``Origin``: refused even with a valid token.
- ``Origin: null`` (sandboxed frames, ``data:`` pages): refused without a valid token and
  cookie; with both (a privacy-minded same-site browser) the form works, because the
  SameSite cookie cannot come from another site.
- the widget API and GraphQL use no cookies: a cross-site POST gains nothing without the
  token, and CORS admits only the storefront's origin.
"""

from __future__ import annotations

import pytest

from saleor_aftersales.models import Review
from sandbox.models import Checkout
from tests.web.conftest import BASE, csrf_of, page_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form", ["verify", "buy-again", "review"])
@pytest.mark.parametrize("attack", ["no-token", "forged-token", "no-cookie", "foreign-origin",
                                    "null-origin-forged"])
def test_forged_posts_change_nothing(client, shipped_order, form, attack):
    url = page_url(shipped_order)
    token = csrf_of(client, url)
    data = {"answer": "51147", "rating": "5", "comment": "forged"}
    headers = {}
    if attack == "forged-token":
        data["csrf_token"] = "0" * 64
    elif attack == "no-cookie":
        data["csrf_token"] = token
        client.cookies.clear()
    elif attack == "foreign-origin":
        data["csrf_token"] = token
        headers["HTTP_ORIGIN"] = "https://evil.example"
    elif attack == "null-origin-forged":
        data["csrf_token"] = "f" * 64
        headers["HTTP_ORIGIN"] = "null"
    response = client.post(f"{url}/{form}", data, **headers)
    assert response.status_code == 303 and "m=form_expired" in response["Location"]
    assert not Checkout.objects.exists() and not Review.objects.exists()
    assert "Mustermann" not in client.get(url).content.decode()


def test_null_origin_with_token_and_cookie_works(client, shipped_order):
    url = page_url(shipped_order)
    response = client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url),
                                              "answer": "51147"}, HTTP_ORIGIN="null")
    assert "m=unlocked" in response["Location"]


def test_widget_api_admits_only_the_storefront(client, shipped_order):
    for origin in ("https://evil.example", "null"):
        response = client.options(f"{BASE}/api/token", HTTP_ORIGIN=origin)
        assert "Access-Control-Allow-Origin" not in response
    response = client.options(f"{BASE}/api/token", HTTP_ORIGIN="https://shop.example.com")
    assert response["Access-Control-Allow-Origin"] == "https://shop.example.com"
