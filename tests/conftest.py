"""Shared fixtures: sandbox shops and orders on the real PostgreSQL test database."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from saleor_aftersales.sandbox import factories
from saleor_aftersales.sandbox.celery import app as celery_app  # noqa: F401  (tasks bind to it)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and circuit breakers live in Redis: start every test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def channel(db):
    return factories.make_channel(
        "default-channel",
        shop_name="Nordwind Outfitters",
        storefront_url="https://shop.example.com",
        checkout_url="https://shop.example.com/checkout?checkout={checkout_id}",
        product_url_template="https://shop.example.com/products/{slug}",
        sender_email="service@shop.example.com",
        sender_name="Nordwind Outfitters",
        staff_email="ops@shop.example.com",
    )


@pytest.fixture
def make_order(channel):
    """``make_order(lines=3, parcels=2, tracking_numbers=[...])`` in the default channel."""

    def make(**kwargs):
        kwargs.setdefault("channel", channel)
        return factories.make_order(**kwargs)

    return make
