"""Repeat views: the status page and the widget's JSON answer ``If-None-Match`` with ``304``.

A reader whose copy is current gets ``304 Not Modified`` without the view being built; any
change the reader would see (carrier news, language, verification, another order, the
order's cache window) gives ``200`` with a new ``ETag``. Real PostgreSQL and Redis.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleor_aftersales.core import (
    shared_cache,
)
from saleor_aftersales.models import EngagementEvent
from saleor_aftersales.status import (
    access,
)
from saleor_aftersales.status import (
    cache as status_cache,
)

from .conftest import carrier_news, csrf_of, page_url, process

pytestmark = pytest.mark.django_db

PERSONAL = ("Mustermann", "Heidestraße")


def _again(client, url: str, response, **headers):
    return client.get(url, HTTP_IF_NONE_MATCH=response["ETag"], **headers)


def _widget_url(order) -> str:
    return page_url(order).replace("/status/", "/api/status/")


# --------------------------------------------------------------------------- the page


def test_unchanged_repeat_view_is_304_without_building_the_view(client, shipped_order):
    url = page_url(shipped_order)
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    assert first["Cache-Control"] == "private, no-cache"
    assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in first["Vary"].split(",")}

    with CaptureQueriesContext(connection) as queries:
        again = _again(client, url, first)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["Cache-Control"] == "private, no-cache"
    # no new CSP (its nonce would block the stored page's stylesheet), no cookie
    assert "Content-Security-Policy" not in again and not again.cookies
    # the page view is written; nothing of the order is read (the sandbox host reads the
    # channel's configuration, which Saleor's plugin manager hands to a plugin)
    statements = [q["sql"] for q in queries.captured_queries]
    assert [s.split()[0] for s in statements] == ["SELECT", "INSERT"]
    assert 'FROM "aftersales_sandbox_channel"' in statements[0]
    assert EngagementEvent.objects.filter(order_id=shipped_order.pk, kind="page_view").count() == 2
    assert client.get(url, HTTP_IF_NONE_MATCH="*").status_code == 200  # only copies we served


def test_carrier_news_gives_200_with_a_new_etag(
    client, shipped_order, django_capture_on_commit_callbacks
):
    url = page_url(shipped_order)
    first = client.get(url)
    carrier_news(shipped_order, django_capture_on_commit_callbacks)
    after = _again(client, url, first)
    assert after.status_code == 200 and "Austria" in after.content.decode()
    assert after["ETag"] != first["ETag"]
    assert _again(client, url, after).status_code == 304


def test_the_cache_window_ends_a_copy(client, shipped_order):
    """What Saleor changes without telling the plugin (stock, prices) is confirmed for no
    longer than the status cache's staleness bound."""
    url = page_url(shipped_order)
    first = client.get(url)
    with time_machine.travel(timezone.now() + timedelta(seconds=status_cache.TTL)):
        later = _again(client, url, first)
    assert later.status_code == 200 and later["ETag"] != first["ETag"]


def test_no_304_across_languages(client, shipped_order):
    url = page_url(shipped_order)
    english = client.get(url)
    german = client.get(f"{url}?lang=de", HTTP_IF_NONE_MATCH=english["ETag"])
    assert german.status_code == 200 and '<html lang="de">' in german.content.decode()
    assert german["ETag"] != english["ETag"]
    assert _again(client, f"{url}?lang=de", german).status_code == 304


def test_verified_and_unverified_readers_never_share_an_etag(client, shipped_order):
    url = page_url(shipped_order)
    csrf = csrf_of(client, url)
    anonymous = client.get(url)
    client.post(f"{url}/verify", {"csrf_token": csrf, "answer": "51147"})

    verified = _again(client, url, anonymous)  # the anonymous copy is not the reader's now
    assert verified.status_code == 200 and all(s in verified.content.decode() for s in PERSONAL)
    assert verified["ETag"] != anonymous["ETag"]
    assert verified["Cache-Control"] == "private, no-store"  # personal data is never stored
    assert _again(client, url, verified).status_code == 304

    del client.cookies[access.UNLOCK_COOKIE]  # the unlock expired (or was never had)
    locked = _again(client, url, verified)
    assert locked.status_code == 200 and not any(s in locked.content.decode() for s in PERSONAL)
    assert locked["ETag"] == anonymous["ETag"]


def test_no_304_for_another_order_or_another_reader(client, shipped_order, make_order):

    other = make_order(lines=1, parcels=1, tracking_numbers=["00340434161094042558"])
    process(other)
    url = page_url(shipped_order)
    first = client.get(url)
    elsewhere = client.get(page_url(other), HTTP_IF_NONE_MATCH=first["ETag"])
    assert elsewhere.status_code == 200 and f"Order {other.number}" in elsewhere.content.decode()
    # a reader with another CSRF cookie: the stored copy's form token would not match theirs
    stranger = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert stranger.status_code == 200 and stranger["ETag"] != first["ETag"]
    # a tampered link learns nothing, whatever validator it sends
    tampered = client.get(url[:-3] + "abc", HTTP_IF_NONE_MATCH=first["ETag"])
    assert tampered.status_code == 403 and "ETag" not in tampered


def test_without_the_cache_nothing_is_vouched_for(client, shipped_order):
    url = page_url(shipped_order)
    first = client.get(url)
    shared_cache.mark_down()  # Redis failed a moment ago
    again = _again(client, url, first)
    assert again.status_code == 200 and "ETag" not in again
    assert again["Cache-Control"] == "no-store, private"


# --------------------------------------------------------------------------- the widget


def test_widget_json_repeat_is_304_and_news_is_200(
    client, shipped_order, django_capture_on_commit_callbacks
):
    url = _widget_url(shipped_order)
    origin = {"HTTP_ORIGIN": "https://shop.example.com"}
    first = client.get(url, **origin)
    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    assert first["Cache-Control"] == "private, no-cache"
    assert "X-Aftersales-Unlock" in first["Vary"] and "Origin" in first["Vary"]

    again = _again(client, url, first, **origin)
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "https://shop.example.com"
    assert (
        EngagementEvent.objects.filter(order_id=shipped_order.pk, kind="widget_view").count() == 2
    )

    german = _again(client, f"{url}?lang=de", first)
    assert german.status_code == 200 and german.json()["language_code"] == "de"

    carrier_news(shipped_order, django_capture_on_commit_callbacks)
    after = _again(client, url, first)
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    assert after.json()["parcels"][0]["status"] == "out_for_delivery"


def test_widget_unlock_header_has_its_own_etag(client, shipped_order, make_order):
    url = _widget_url(shipped_order)
    anonymous = client.get(url)
    unlock = client.post(
        f"{url}/verify", {"answer": "51147"}, content_type="application/json"
    ).json()["unlock"]
    verified = _again(client, url, anonymous, HTTP_X_AFTERSALES_UNLOCK=unlock)
    assert verified.status_code == 200 and verified.json()["personal"] is not None
    assert verified["ETag"] != anonymous["ETag"]
    assert verified["Cache-Control"] == "private, no-store"
    assert _again(client, url, verified, HTTP_X_AFTERSALES_UNLOCK=unlock).status_code == 304

    without = _again(client, url, verified)  # the verified copy, but no unlock sent
    assert without.status_code == 200 and without.json()["personal"] is None
    # another order's unlock token unlocks nothing here
    other_unlock = access.make_unlock_token(str(make_order(lines=1).pk))
    forged = _again(client, url, verified, HTTP_X_AFTERSALES_UNLOCK=other_unlock)
    assert forged.status_code == 200 and forged.json()["personal"] is None
