"""The briefly cached anonymous status view: faster repeats, never stale news, no personal data.

Writes run inside ``django_capture_on_commit_callbacks(execute=True)``: the cache drops an
order's entry after commit, and pytest-django's transactions never commit by themselves.
"""

from __future__ import annotations

import pickle
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import EngagementEvent, FaqEntry
from saleor_aftersales.status import cache as status_cache
from saleor_aftersales.tracking import service
from sandbox import factories

from .conftest import BASE, carrier_news, csrf_of, dhl_parcel, out_for_delivery, page_url

pytestmark = pytest.mark.django_db

SECRETS = ("Mustermann", "erika@example.com", "51147", "Heidestraße")


def _get(client, url: str) -> tuple[str, int]:
    """The page's HTML and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_repeat_view_is_served_from_cache(client, shipped_order):
    url = page_url(shipped_order)
    _, cold = _get(client, url)
    second, warm = _get(client, url)
    assert warm < cold
    assert f"Order {shipped_order.number}" in second and "Parcel 2 of 2" in second
    # the page view is still counted on a cached view
    assert EngagementEvent.objects.filter(order_id=shipped_order.pk, kind="page_view").count() == 2


def test_carrier_news_shows_on_the_next_view(
    client, shipped_order, django_capture_on_commit_callbacks
):
    url = page_url(shipped_order)
    before, _ = _get(client, url)
    assert "Austria" not in before  # an unverified reader sees the event's country only
    carrier_news(shipped_order, django_capture_on_commit_callbacks)
    after, _ = _get(client, url)
    assert "Austria" in after


def test_polling_bookkeeping_keeps_the_cached_view(
    client, shipped_order, django_capture_on_commit_callbacks
):
    url = page_url(shipped_order)
    _, cold = _get(client, url)
    parcel = dhl_parcel(shipped_order)
    parcel.next_check_at = timezone.now() + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        parcel.save(update_fields=["next_check_at", "updated_at"])
    _, warm = _get(client, url)
    assert warm < cold
    # a save the shopper can see drops the entry
    parcel.status = "delivered"
    with django_capture_on_commit_callbacks(execute=True):
        parcel.save()
    _, rebuilt = _get(client, url)
    assert rebuilt > warm


def test_new_faq_entry_shows(client, shipped_order, django_capture_on_commit_callbacks):
    url = page_url(shipped_order)
    assert "Can I change the address?" not in _get(client, url)[0]
    with django_capture_on_commit_callbacks(execute=True):
        FaqEntry.objects.create(
            channel_slug="default-channel",
            language_code="en",
            context="any",
            question="Can I change the address?",
            answer="Write to us.",
            is_published=True,
        )
    assert "Can I change the address?" in _get(client, url)[0]


def test_configuration_change_shows(client, shipped_order):
    url = page_url(shipped_order)
    assert "Zebra Outfitters" not in _get(client, url)[0]
    factories.make_channel("default-channel", shop_name="Zebra Outfitters")
    assert "Zebra Outfitters" in _get(client, url)[0]


def test_languages_are_cached_apart(client, shipped_order):
    url = page_url(shipped_order)
    german, cold = _get(client, f"{url}?lang=de")
    english, _ = _get(client, f"{url}?lang=en")
    assert f"Bestellung {shipped_order.number}" in german
    assert f"Order {shipped_order.number}" in english
    german_again, warm = _get(client, f"{url}?lang=de")
    english_again, _ = _get(client, f"{url}?lang=en")
    assert warm < cold
    assert f"Bestellung {shipped_order.number}" in german_again
    assert f"Order {shipped_order.number}" in english_again


def test_verified_view_bypasses_cache_and_leaves_no_personal_data(client, shipped_order):
    from django.test import Client

    url = page_url(shipped_order)
    _get(client, url)
    csrf = csrf_of(client, url)
    client.post(f"{url}/verify", {"csrf_token": csrf, "answer": "51147"})
    verified, _ = _get(client, url)
    assert "Mustermann" in verified
    entry = pickle.dumps(cache.get(f"aftersales:status-view:{shipped_order.pk}"))
    for secret in SECRETS:
        assert secret.encode() not in entry
    stranger, _ = _get(Client(), url)
    for secret in SECRETS:
        assert secret not in stranger


def test_broken_cache_still_serves_the_page(client, shipped_order):
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    with override_settings(CACHES=broken):
        html, _ = _get(client, page_url(shipped_order))
        assert f"Order {shipped_order.number}" in html
        # and nothing is lost when the cache cannot be told to forget
        status_cache.forget([shipped_order.pk])


def test_widget_json_uses_the_cache_and_sees_news(
    client, shipped_order, django_capture_on_commit_callbacks
):
    token = client.post(
        f"{BASE}/api/token",
        {"order_id": str(shipped_order.pk), "email": "erika@example.com"},
        content_type="application/json",
    ).json()["token"]
    url = f"{BASE}/api/status/{token}"
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        data = client.get(url).json()
    assert len(warm) < len(cold) and data["personal"] is None
    parcel = dhl_parcel(shipped_order)
    parcel.status = "delivered"
    with django_capture_on_commit_callbacks(execute=True):
        parcel.save()
    statuses = [p["status"] for p in client.get(url).json()["parcels"]]
    assert "delivered" in statuses


def test_order_cancelled_in_saleor_shows(client, shipped_order, django_capture_on_commit_callbacks):
    from saleor_aftersales.orchestration import lifecycle

    url = page_url(shipped_order)
    assert "Your order has been cancelled." not in _get(client, url)[0]
    shipped_order.status = "canceled"
    shipped_order.save()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.handle_order_event(str(shipped_order.pk), "order_cancelled")
    assert "Your order has been cancelled." in _get(client, url)[0]


def test_views_cached_by_another_release_are_not_served(client, shipped_order, monkeypatch):
    url = page_url(shipped_order)
    _, cold = _get(client, url)
    assert _get(client, url)[1] < cold
    monkeypatch.setattr(status_cache, "__version__", "99.0.0")  # a deploy
    assert _get(client, url)[1] == cold


def test_a_view_built_while_news_commits_is_never_served_afterwards(
    client, shipped_order, django_capture_on_commit_callbacks
):
    from saleor_aftersales.orchestration.status_view import build_status_view

    config = get_host().get_config("default-channel")
    parcel = dhl_parcel(shipped_order)
    news = out_for_delivery("ev-late")

    def racing_build():  # e.g. the widget polling while a carrier update is stored
        view = build_status_view(str(shipped_order.pk), config)
        with django_capture_on_commit_callbacks(execute=True):
            service.apply_result(parcel, news, config)
        return view  # built from the data before the update, cached after it committed

    status_cache.get_or_build(str(shipped_order.pk), None, config, racing_build)
    assert "Austria" in _get(client, page_url(shipped_order))[0]
