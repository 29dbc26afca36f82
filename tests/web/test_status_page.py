"""The status page over HTTP: signed links, content, privacy gate, headers."""

from __future__ import annotations

import time

import pytest
from django.core import signing

from saleor_aftersales.core.links import make_token
from saleor_aftersales.models import EngagementEvent

from .conftest import BASE, csrf_of, page_url, process

pytestmark = pytest.mark.django_db


def test_page_shows_order_timeline_and_parcels(client, shipped_order):
    response = client.get(page_url(shipped_order))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Order {shipped_order.number}" in html
    assert "Parcel 1 of 2" in html and "Parcel 2 of 2" in html
    assert "00340434161094042557" in html
    assert 'class="as-stepper"' in html
    assert "Order received" in html
    assert EngagementEvent.objects.filter(order_id=shipped_order.pk, kind="page_view").count() == 1


def test_page_hides_personal_data_until_verified(client, shipped_order):
    html = client.get(page_url(shipped_order)).content.decode()
    for secret in ("Mustermann", "Erika", "Heidestraße", "erika@example.com", "51147"):
        assert secret not in html
    assert 'name="answer"' in html


def test_bare_uuid_is_not_a_link(client, shipped_order):
    assert client.get(f"{BASE}/status/{shipped_order.pk}").status_code == 403


def test_tampered_link_shows_nothing(client, shipped_order):
    token = make_token(str(shipped_order.pk), "default-channel")
    response = client.get(f"{BASE}/status/{token[:-3]}abc")
    assert response.status_code == 403
    html = response.content.decode()
    assert "not valid" in html
    assert str(shipped_order.number) not in html


def test_expired_link_says_so(client, shipped_order, monkeypatch):
    token = make_token(str(shipped_order.pk), "default-channel")
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() + 91 * 24 * 3600)
    response = client.get(f"{BASE}/status/{token}")
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert str(shipped_order.number) not in response.content.decode()


def test_link_of_other_channel_is_refused(client, shipped_order):
    from sandbox.factories import make_channel

    make_channel("other")
    token = make_token(str(shipped_order.pk), "default-channel")
    other = f"/plugins/channel/other/io.github.saleor-aftersales/status/{token}"
    assert client.get(other).status_code == 403


def test_language_from_order_and_switch(client, make_order):
    order = make_order(lines=1, language_code="de")
    process(order)
    html = client.get(page_url(order)).content.decode()
    assert '<html lang="de">' in html and f"Bestellung {order.number}" in html
    html = client.get(page_url(order) + "?lang=en").content.decode()
    assert '<html lang="en">' in html and f"Order {order.number}" in html


def test_security_headers(client, shipped_order):
    response = client.get(page_url(shipped_order))
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'self' https://shop.example.com" in csp
    assert "form-action 'self' https://shop.example.com" in csp
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "private, no-cache"  # kept only by the reader, revalidated
    assert response["X-Content-Type-Options"] == "nosniff"


def test_verify_with_postcode_unlocks(client, shipped_order):
    url = page_url(shipped_order)
    csrf = csrf_of(client, url)
    response = client.post(f"{url}/verify", {"csrf_token": csrf, "answer": " 511 47 "})
    assert response.status_code == 303
    html = client.get(url).content.decode()
    assert "Erika Mustermann" in html and "Heidestraße 17" in html and "erika@example.com" in html


def test_verify_with_email_unlocks(client, shipped_order):
    url = page_url(shipped_order)
    csrf = csrf_of(client, url)
    client.post(f"{url}/verify", {"csrf_token": csrf, "answer": "ERIKA@example.com"})
    assert "Erika Mustermann" in client.get(url).content.decode()


def test_wrong_answer_reveals_nothing(client, shipped_order):
    url = page_url(shipped_order)
    csrf = csrf_of(client, url)
    wrong_postcode = client.post(f"{url}/verify", {"csrf_token": csrf, "answer": "99999"})
    wrong_email = client.post(f"{url}/verify", {"csrf_token": csrf, "answer": "x@example.com"})
    assert wrong_postcode["Location"] == wrong_email["Location"]
    html = client.get(wrong_postcode["Location"]).content.decode()
    assert "did not match" in html and "Mustermann" not in html


def test_verify_is_rate_limited_per_link(client, shipped_order):
    url = page_url(shipped_order)
    csrf = csrf_of(client, url)
    for _ in range(5):
        client.post(f"{url}/verify", {"csrf_token": csrf, "answer": "00000"})
    response = client.post(f"{url}/verify", {"csrf_token": csrf, "answer": "51147"})
    assert "m=verify_limited" in response["Location"]
    assert "Mustermann" not in client.get(url).content.decode()


def test_verify_is_rate_limited_per_ip(client, make_order):
    orders = [make_order(lines=1) for _ in range(5)]
    for order in orders:
        process(order)
    attempts = 0
    for order in orders:
        url = page_url(order)
        csrf = csrf_of(client, url)
        for _ in range(5):
            client.post(f"{url}/verify", {"csrf_token": csrf, "answer": "00000"})
            attempts += 1
    assert attempts > 20
    url = page_url(orders[-1])
    fresh = make_order(lines=1)
    process(fresh)
    url = page_url(fresh)
    csrf = csrf_of(client, url)
    response = client.post(f"{url}/verify", {"csrf_token": csrf, "answer": "51147"})
    assert "m=verify_limited" in response["Location"]


def test_post_without_csrf_is_refused(client, shipped_order):
    url = page_url(shipped_order)
    client.get(url)
    response = client.post(f"{url}/verify", {"answer": "51147"})
    assert "m=form_expired" in response["Location"]
    assert "Mustermann" not in client.get(url).content.decode()


def test_post_from_foreign_origin_is_refused(client, shipped_order):
    url = page_url(shipped_order)
    csrf = csrf_of(client, url)
    response = client.post(
        f"{url}/verify", {"csrf_token": csrf, "answer": "51147"}, HTTP_ORIGIN="https://evil.example"
    )
    assert "m=form_expired" in response["Location"]


def test_unlock_cookie_is_scoped_to_the_link(client, shipped_order, make_order):
    other = make_order(lines=1)
    process(other)
    url = page_url(shipped_order)
    client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url), "answer": "51147"})
    assert "Mustermann" not in client.get(page_url(other)).content.decode()


def test_assets_have_content_type_and_caching(client, channel):
    js = client.get(f"{BASE}/assets/aftersales-status.js")
    assert js.status_code == 200 and js["Content-Type"].startswith("text/javascript")
    assert "max-age=3600" in js["Cache-Control"] and js["ETag"]
    again = client.get(f"{BASE}/assets/aftersales-status.js", HTTP_IF_NONE_MATCH=js["ETag"])
    assert again.status_code == 304
    css = client.get(f"{BASE}/assets/status.css")
    assert css["Content-Type"].startswith("text/css")
    assert client.get(f"{BASE}/assets/secret.js").status_code == 404


def test_health_still_answers(client, channel):
    assert client.get(f"{BASE}/health").json()["ok"] is True


def _page_queries(client, url) -> int:
    from django.core.cache import cache
    from django.db import connection

    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    cache.clear()  # measure building the view, not the cached copy
    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    return len(executed)


def test_page_queries_do_not_grow_with_lines_and_parcels(client, make_order):
    from saleor_aftersales.models import Parcel, TrackingEvent

    small = make_order(lines=1, parcels=1, metadata={"marketing_consent": "true"})
    big = make_order(lines=6, parcels=4, metadata={"marketing_consent": "true"})
    for order in (small, big):
        process(order)
        for parcel in Parcel.objects.filter(order_id=order.pk):
            for i in range(5):
                TrackingEvent.objects.create(
                    parcel=parcel, occurred_at=parcel.shipped_at, status="in_transit",
                    source="dhl", source_id=f"{parcel.pk}-{i}",
                )
    client.get(page_url(small))  # warm caches (content types, translations)
    assert _page_queries(client, page_url(big)) == _page_queries(client, page_url(small))
