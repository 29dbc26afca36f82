"""The status page renders its carrier events and items in one loop each, without a template
include per row (an include costs Django a template lookup and a context push per row).

The reference is the page as it was rendered through ``_event.html`` and ``_item.html``
includes (kept in ``reference_templates/``, put first in the template dirs): whole pages
rendered both ways must be identical except for the per-response nonce and CSRF token.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from saleor_aftersales.models import Parcel, TrackingEvent
from sandbox import factories

from .conftest import csrf_of, page_url, process

REFERENCE = Path(__file__).resolve().parent / "reference_templates"
_VOLATILE = re.compile(r'(nonce="|nonce-|name="csrf_token" value=")[^"\']+')


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return _VOLATILE.sub(r"\1…", response.content.decode())


def _order(language: str, state: str):
    channel = factories.make_channel(
        "default-channel",
        shop_name="Nordwind",
        storefront_url="https://shop.example.com",
        time_zone="Europe/Berlin",
    )
    parcels = {"preparing": 0, "partly": 1}.get(state, 2)
    order = factories.make_order(
        lines=3,
        parcels=parcels,
        channel=channel,
        language_code=language,
        tracking_numbers=["00340434161094042557", "1Z999AA10123456784"][:parcels],
    )
    process(order)
    start = datetime(2025, 3, 29, 20, 0, tzinfo=UTC)
    for parcel in Parcel.objects.filter(order_id=order.pk):
        TrackingEvent.objects.bulk_create(
            TrackingEvent(
                parcel=parcel,
                occurred_at=start + timedelta(hours=5 * i),
                status="in_transit",
                # a description equal to the status is not repeated; <b> is escaped
                description=[f"Scan <b>{i}</b>", "In transit", ""][i % 3],
                location="Leipzig" if i % 2 else "",
                source="test",
                source_id=f"{parcel.pk}-{i}",
                relevant=i % 2 == 0,
            )
            for i in range(9)
        )
        if state == "delivered":
            Parcel.objects.filter(pk=parcel.pk).update(
                status="delivered", delivered_at=start + timedelta(days=2)
            )
    return order


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("state", ["shipped", "delivered", "preparing", "partly"])
@pytest.mark.parametrize("verified", [False, True])
def test_page_is_unchanged_without_includes(client, settings, language, state, verified):
    url = page_url(_order(language, state))
    if verified:  # carrier texts are shown to a verified reader only
        client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url), "answer": "51147"})
    page = _page(client, url)
    assert ('class="as-address"' in page) == verified
    if state != "preparing":
        assert page.count('<li class="as-event">') > 9  # latest news and the full list
        assert ("Scan &lt;b&gt;3&lt;/b&gt;" in page) == verified
    assert '<li class="as-item">' in page
    settings.TEMPLATES = [
        {**engine, "DIRS": [str(REFERENCE), *engine.get("DIRS", [])]}
        for engine in settings.TEMPLATES
    ]
    reference = _page(client, url)
    assert "as-event" in reference or state == "preparing"
    assert page == reference
