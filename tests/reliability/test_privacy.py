"""M3: a forwarded status link shows carrier places no finer than the country.

Real-world DHL and AfterShip answers (postcodes, streets, house numbers, a neighbour's name)
come through the loopback carrier APIs and the real poll; then every way an unverified
reader can look — page, widget JSON, GraphQL, the cached view — is searched for them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from saleor_aftersales.models import Parcel
from saleor_aftersales.orchestration import (
    lifecycle,
)
from saleor_aftersales.status import (
    cache as status_cache,
)
from saleor_aftersales.status import (
    privacy,
)
from saleor_aftersales.tracking.polling import poll_due_parcels
from sandbox import factories
from tests.graphql.conftest import URL as GRAPHQL_URL
from tests.graphql.conftest import status_token
from tests.graphql.test_shopper import STATUS
from tests.tracking.fakes import FakeCarrierServer, aftership_tracking
from tests.web.conftest import BASE, csrf_of, page_url

pytestmark = pytest.mark.django_db

DHL_NUMBER = "00340434161094042557"
UPS_NUMBER = "1Z999AA10123456784"
#: What must not reach a reader who has not verified (casefolded).
SECRETS = ("51147", "53113", "köln", "koeln", "bonn", "hauptstr", "porz", "krause",
           "mailbox")


def _at(hours: int) -> str:
    moment = datetime.now(UTC) - timedelta(days=2) + timedelta(hours=hours)
    return moment.isoformat().replace("+00:00", "Z")


def _dhl_answer() -> dict:
    """DHL Unified API shapes, with the full address objects DHL sends for some services."""
    events = [
        {"timestamp": _at(20), "statusCode": "transit", "status": "In Zustellung",
         "description": "Die Sendung wurde in das Zustellfahrzeug geladen.",
         "location": {"address": {"addressLocality": "KÖLN-PORZ", "countryCode": "DE"}}},
        {"timestamp": _at(10), "statusCode": "transit", "status": "Bearbeitet",
         "description": "Die Sendung wurde im Paketzentrum bearbeitet.",
         "location": {"address": {"addressLocality": "Bonn", "postalCode": "53113",
                                  "streetAddress": "Hauptstr. 5", "countryCode": "DE"}}},
        {"timestamp": _at(30), "statusCode": "delivered", "status": "Zugestellt",
         "description": "Zustellung an Nachbar Herrn Krause, Hauptstr. 7, 51147 Köln",
         "location": {"address": {"addressLocality": "51147 Köln", "countryCode": "DE"}}},
    ]
    return {"shipments": [{"id": DHL_NUMBER, "service": "parcel-de", "status": events[2],
                           "events": events}]}


def _aftership_answer() -> dict:
    checkpoints = [
        {"checkpoint_time": _at(5), "tag": "InTransit", "subtag": "InTransit_001",
         "message": "Arrived at facility", "location": "Hauptstr. 5, 53113 Bonn"},
        {"checkpoint_time": _at(15), "tag": "OutForDelivery", "subtag": "OutForDelivery_001",
         "message": "Out for delivery", "location": "51147 Köln, DE"},
        {"checkpoint_time": _at(25), "tag": "Delivered", "subtag": "Delivered_001",
         "message": "Delivered, In/At Mailbox, KOELN 51147", "city": "Köln",
         "country_region": "DEU"},
    ]
    return aftership_tracking(UPS_NUMBER, checkpoints, tag="Delivered", slug="ups")


@pytest.fixture
def tracked_order(channel):
    """An order whose DHL and UPS parcels were polled from the loopback APIs."""
    with FakeCarrierServer() as server:
        factories.make_channel("default-channel", dhl_api_key="dhl-key",
                               dhl_api_url=server.dhl_url, aftership_api_key="as-key",
                               aftership_api_url=server.aftership_url)
        server.dhl[DHL_NUMBER] = _dhl_answer()
        server.aftership[UPS_NUMBER] = _aftership_answer()
        order = factories.make_order(lines=2, parcels=2, channel=channel,
                                     tracking_numbers=[DHL_NUMBER, UPS_NUMBER])
        lifecycle.handle_order_event(str(order.pk), "order_created")
        for fulfillment in order.fulfillments.all():
            lifecycle.handle_fulfillment_event(str(fulfillment.pk), "fulfillment_created")
        Parcel.objects.filter(order_id=order.pk).update(next_check_at=timezone.now())
        stats = poll_due_parcels()
    assert stats.checked == 2, stats.errors
    return order


def _leaks(text: str) -> list[str]:
    folded = text.casefold()
    return [secret for secret in SECRETS if secret in folded]


def _json_text(data) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def test_m3_verified_reader_sees_the_carrier_places(client, tracked_order):
    """The places are really stored and shown — to the shopper who proved the postcode."""
    url = page_url(tracked_order)
    client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url), "answer": "51147"})
    html = client.get(url).content.decode()
    assert "51147 Köln, DE" in html and "Hauptstr. 5, 53113 Bonn" in html


def test_m3_unverified_page_shows_no_place_finer_than_the_country(tracked_order):
    for language, country in (("en", "Germany"), ("de", "Deutschland")):
        html = Client().get(f"{page_url(tracked_order)}?lang={language}").content.decode()
        assert _leaks(html) == []
        assert country in html


def test_m3_unverified_widget_json_shows_no_place_finer_than_the_country(tracked_order):
    client = Client()
    token = client.post(f"{BASE}/api/token",
                        {"order_id": str(tracked_order.pk), "email": "erika@example.com"},
                        content_type="application/json").json()["token"]
    data = client.get(f"{BASE}/api/status/{token}").json()
    assert data["personal"] is None
    assert _leaks(_json_text(data)) == []
    places = {e["location"] for p in data["parcels"] for e in p["events"]}
    assert places <= {"Germany", ""} and "Germany" in places


def test_m3_unverified_graphql_shows_no_place_finer_than_the_country(tracked_order):
    response = Client().post(GRAPHQL_URL, data=json.dumps(
        {"query": STATUS, "variables": {"t": status_token(tracked_order)}}),
        content_type="application/json")
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    assert _leaks(_json_text(body)) == []
    events = [e for p in body["data"]["aftersalesStatus"]["parcels"] for e in p["events"]]
    assert {e["location"] for e in events} <= {"Germany", ""}
    assert all(e["description"] == "" for e in events)


def test_m3_cached_anonymous_view_holds_no_place_finer_than_the_country(tracked_order):
    Client().get(page_url(tracked_order))
    entry = cache.get(status_cache.entry_key(str(tracked_order.pk)))
    assert entry and entry["views"], "the anonymous view was not cached"
    assert _leaks(repr(entry)) == []


@pytest.mark.parametrize(("location", "code"), [
    ("51147 Köln, DE", "DE"),
    ("Köln, DEU", "DE"),
    ("Hauptstr. 5, 53113 Bonn", ""),
    ("KÖLN-PORZ", ""),
    ("Bonn, Germany", "DE"),
    ("Wien, Österreich", "AT"),
    ("Zürich, ch", "CH"),
    ("", ""),
    ("DE", "DE"),
    ("51147 Köln", ""),
])
def test_m3_country_is_all_that_is_kept_of_a_location(location, code):
    assert privacy.country_code(location) == code
