"""Rendered anonymous pages kept per process (``web.memo``): a repeat view skips rendering,
yet every response has its own CSP nonce and its reader's own form token, a verified reader
always gets a fresh page, and news shows at once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel
from saleor_aftersales.tracking import service
from saleor_aftersales.tracking.carriers.base import CarrierEvent, TrackingResult
from saleor_aftersales.web import memo

from .conftest import BASE, csrf_of, page_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_memo():
    memo.pages.clear()
    memo.widget_bodies.clear()
    yield
    memo.pages.clear()
    memo.widget_bodies.clear()


def _get(client, url: str):
    """The response, how many templates were rendered and how many queries it took."""
    rendered = []

    def count(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(count)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    finally:
        template_rendered.disconnect(count)
    assert response.status_code == 200
    return response, len(rendered), len(queries)


def _nonces(response) -> tuple[str, set[str]]:
    """The CSP header's nonce and every nonce attribute in the page."""
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    return header, set(re.findall(r'nonce="([^"]+)"', response.content.decode()))


def test_a_repeat_view_renders_nothing_but_has_its_own_nonce(client, shipped_order):
    url = page_url(shipped_order)
    first, first_renders, first_queries = _get(client, url)
    again, renders, queries = _get(client, url)
    assert first_renders > 0 and renders == 0, "the repeat view is served as rendered"
    assert queries < first_queries
    assert again.content.decode().count(f"Order {shipped_order.number}") >= 1
    (nonce_1, in_page_1), (nonce_2, in_page_2) = _nonces(first), _nonces(again)
    assert nonce_1 != nonce_2, "each response gets a new CSP nonce"
    assert in_page_1 == {nonce_1} and in_page_2 == {nonce_2}, "the inline style still runs"
    html = again.content.decode()
    assert memo.NONCE not in html and memo.FORM_TOKEN not in html


def test_each_reader_gets_their_own_form_token(client, shipped_order, channel):
    url = page_url(shipped_order)
    other = Client()
    token_a = csrf_of(client, url)
    token_b = csrf_of(other, url)  # served from the memo, filled for the second browser
    assert token_a != token_b
    assert token_b not in client.get(url).content.decode()
    response = other.post(f"{url}/review", {"csrf_token": token_b, "rating": "5"})
    assert response.status_code == 303 and "form_expired" not in response["Location"]


def test_a_verified_reader_gets_a_fresh_page_and_shares_nothing(client, shipped_order):
    url = page_url(shipped_order)
    anonymous = Client()
    assert "Mustermann" not in anonymous.get(url).content.decode()
    client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url), "answer": "51147"})
    assert "Mustermann" in client.get(url).content.decode()
    again, renders, _ = _get(anonymous, url)
    assert renders == 0 and "Mustermann" not in again.content.decode()


def test_carrier_news_replaces_the_kept_page(
    client, shipped_order, django_capture_on_commit_callbacks
):
    url = page_url(shipped_order)
    client.get(url)
    assert "Austria" not in client.get(url).content.decode()
    parcel = Parcel.objects.get(order_id=shipped_order.pk, tracking_number="00340434161094042557")
    news = CarrierEvent(source_id="ev-ofd", occurred_at=timezone.now() - timedelta(minutes=5),
                        status="out_for_delivery", description="Out for delivery",
                        location="Zustellbasis Wien-Ost, AT")
    with django_capture_on_commit_callbacks(execute=True):
        service.apply_result(parcel, TrackingResult(source="dhl", events=(news,)),
                             get_host().get_config("default-channel"))
    assert "Austria" in client.get(url).content.decode()


def test_the_language_asked_for_is_its_own_page(client, shipped_order):
    url = page_url(shipped_order)
    assert 'lang="en"' in client.get(url).content.decode()
    german = client.get(f"{url}?lang=de")
    assert 'lang="de"' in german.content.decode() and german["Content-Language"] == "de"
    assert client.get(url)["Content-Language"] == "en"


def test_widget_repeat_is_the_same_body_for_less(client, shipped_order):
    token = client.post(
        f"{BASE}/api/token", {"order_id": str(shipped_order.pk), "email": "erika@example.com"},
        content_type="application/json",
    ).json()["token"]
    url = f"{BASE}/api/status/{token}"
    first, _, first_queries = _get(client, url)
    again, _, queries = _get(client, url)
    assert again.content == first.content and queries < first_queries
    assert again["Content-Type"] == "application/json"
    assert again.json()["personal"] is None
    unlock = client.post(f"{url}/verify", {"answer": "51147"},
                         content_type="application/json").json()["unlock"]
    personal = client.get(url, HTTP_X_AFTERSALES_UNLOCK=unlock).json()["personal"]
    assert personal["name"] == "Erika Mustermann"
    assert client.get(url).json()["personal"] is None


def test_the_memo_is_bounded():
    kept = memo.Memo(size=3)
    for n in range(5):
        kept.put(n, str(n))
    assert kept.get(0) is None and kept.get(1) is None
    assert kept.get(2) == "2"  # now the most recent
    kept.put(5, "5")
    assert kept.get(3) is None and kept.get(2) == "2"
