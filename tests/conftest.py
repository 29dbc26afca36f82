"""Shared fixtures: sandbox shops and orders on the real PostgreSQL test database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache

from sandbox import factories
from sandbox.celery import app as celery_app  # noqa: F401  (tasks bind to it)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and circuit breakers live in Redis: start every test clean (and forget
    any cache outage a test caused, see ``shared_cache``)."""
    from saleor_aftersales.core import shared_cache

    shared_cache.reset()
    cache.clear()
    yield
    shared_cache.reset()
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


# --- headless Chromium from Debian (no browser download), one per test session -----------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent / "out" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium: make browser)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the tests
    # happen between browser steps, never concurrently.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
