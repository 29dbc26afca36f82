"""Royal Mail, La Poste/Colissimo and Purolator through karrio against loopback.

The answers are karrio's own test fixtures (``karrio_fixtures/royalmail_*.json``,
``purolator_tracking.xml``, ``laposte_*.json``; colissimo calls the same La Poste Suivi v2
API) and states derived from them the way ``karrio_server`` derives the others: fewer events,
or an event's code set to another code the carrier documents (La Poste's ``event[].code``,
Purolator's ``Scan/ScanType`` of TrackingService 1.2.2, Royal Mail's ``eventCode`` values that
karrio's extension names). Purolator's unknown-PIN answer is built with karrio's generated
``Error`` class of that WSDL. What karrio cannot tell is stated where it is tested:

- Royal Mail: karrio gives no status at all, only ``delivered`` (``"Delivered"`` in the
  summary's last event name), so there is no "label created"; the journey starts in transit.
- Purolator: karrio 2026.1 maps only Delivery, OnDelivery and Undeliverable; our table adds
  ProofOfPickUp/Other (in transit) and the label scan ("Shipper created a label").
"""

from __future__ import annotations

import copy
import io
import json
import xml.etree.ElementTree as ET

import pytest

pytest.importorskip("karrio.mappers.royalmail")
pytest.importorskip("karrio.mappers.purolator")
pytest.importorskip("karrio.mappers.colissimo")

from saleor_aftersales.config import parse_config
from saleor_aftersales.core.exceptions import CarrierError, CircuitOpen, RateLimited
from saleor_aftersales.models import Parcel
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.tracking import circuit
from saleor_aftersales.tracking.carriers.karrio_client import KarrioClient
from sandbox import factories

from . import karrio_server as fx

ROYAL_MAIL = "FQ087430672GB"  # the fixture's one-D barcode (an S10 number of Royal Mail)
COLISSIMO = "EW112720413FR"  # the La Poste fixture's parcel
PUROLATOR = "320595463938"  # a Purolator test number of tracking_number_data

ACCOUNTS = {
    "royalmail": {"client_id": "rm-id", "client_secret": "rm-secret"},
    "colissimo": {
        "username": "u",
        "password": "p",
        "contract_number": "1",
        "laposte_api_key": "k",
    },
    "purolator": {"username": "u", "password": "p", "account_number": "1", "user_token": "t"},
}

# --- Royal Mail (JSON, GET /mailpieces/v2/<number>/events) ------------------------------

#: (eventCode, eventName) per state. Codes are the ones karrio's extension names (EVNMI its
#: fixture's, EVNPS "consignee not home", EVNHE "held"); the out-for-delivery and delivered
#: scans are told by their names (karrio reads "Delivered"), so they carry no code here.
RM_EVENTS = {
    "transit": ("EVNMI", "Forwarded - Mis-sort"),
    "out": (None, "Out for delivery"),
    "failed": ("EVNPS", "We tried to deliver your item"),
    "held": ("EVNHE", "Item held"),
    "delivered": (None, "Delivered"),
}


def royal_mail(*states: str) -> dict:
    """karrio's Royal Mail fixture with one event per state, newest first (as sent)."""
    body = json.loads(fx.fixture("royalmail_tracking.json"))
    piece = body["mailPieces"]
    template = piece["events"][0]
    events = []
    for i, state in enumerate(states):
        code, name = RM_EVENTS[state]
        event = dict(template, eventName=name, eventDateTime=f"2016-10-{20 + i}T10:04:00+01:00")
        event["eventCode"] = code
        events.append(event)
    piece["events"] = list(reversed(events))
    newest = events[-1]
    piece["summary"].update(lastEventCode=newest["eventCode"], lastEventName=newest["eventName"])
    return body


# --- La Poste / Colissimo (JSON, GET /suivi/v2/idships/<number>) ------------------------


def la_poste(events: int | None = None, last: str | None = None) -> list:
    """karrio's La Poste fixture with its oldest ``events`` events (the newest one's code
    set to ``last``, a code of La Poste's Suivi v2 documentation)."""
    body = json.loads(fx.fixture("laposte_tracking.json"))
    shipment = body[0]["shipment"]
    if events is not None:
        shipment["event"] = copy.deepcopy(shipment["event"][-events:])
        shipment["isFinal"] = False
    if last is not None:
        shipment["event"][0]["code"] = last
    return body


# --- Purolator (SOAP, POST /PWS/V1/Tracking/TrackingService.asmx) -----------------------

#: (ScanType, Description) per state: ScanType values of Purolator's TrackingService 1.2.2
#: (its Scan subtypes: ProofOfPickUp, OnDelivery, Undeliverable, Delivery); descriptions from
#: karrio's Purolator tests and its fixture.
PUROLATOR_SCANS = {
    "label": ("Other", "Shipper created a label"),
    "picked": ("ProofOfPickUp", "Picked up by Purolator at"),
    "transit": ("Other", "New Tracking Number Assigned -"),
    "out": ("OnDelivery", "On vehicle for delivery"),
    "failed": ("Undeliverable", "Recipient Not Home"),
    "delivered": ("Delivery", "Shipment delivered to"),
}
_SOAP = {
    "s": "http://schemas.xmlsoap.org/soap/envelope/",
    "p": "http://purolator.com/pws/datatypes/v1",
}


def purolator(number: str, *states: str) -> str:
    """karrio's Purolator fixture for ``number`` with one scan per state, newest first."""
    root = ET.fromstring(fx.fixture("purolator_tracking.xml").encode())  # noqa: S314 (ours)
    info = root.find(".//p:TrackingInformation", _SOAP)
    info.find("p:PIN/p:Value", _SOAP).text = number
    scans = info.find("p:Scans", _SOAP)
    template = scans.find("p:Scan", _SOAP)
    for scan in list(scans):
        scans.remove(scan)
    for i, state in enumerate(reversed(states)):
        kind, text = PUROLATOR_SCANS[state]
        scan = copy.deepcopy(template)
        scan.find("p:ScanType", _SOAP).text = kind
        scan.find("p:PIN/p:Value", _SOAP).text = number
        scan.find("p:Description", _SOAP).text = text
        scan.find("p:ScanDate", _SOAP).text = f"2004-01-{13 + len(states) - i:02d}"
        scans.append(scan)
    ET.register_namespace("s", _SOAP["s"])
    return ET.tostring(root, encoding="unicode")


#: Purolator's return code for an unknown PIN: 6, "The specified PIN wasn't found in the
#: database." (Purolator's web-service documentation, "Return Codes",
#: ols3doc.purolatorshipping.com). karrio's purolator tests hold no error answer, and the
#: TrackingService 1.2.2 WSDL types ``Error/Code`` as a free string.
PUROLATOR_PIN_NOT_FOUND = ("6", "The specified PIN wasn't found in the database.")


def purolator_unknown() -> str:
    """The fixture without tracking information and with one ``Error`` (karrio's class)."""
    from karrio.schemas.purolator.tracking_service_1_2_2 import Error

    code, text = PUROLATOR_PIN_NOT_FOUND
    out = io.StringIO()
    Error(Code=code, Description=text, AdditionalInformation="").export(
        out, 0, name_="Error", namespacedef_=f'xmlns="{_SOAP["p"]}"', pretty_print=False
    )
    text = fx.fixture("purolator_tracking.xml")
    start = text.index("<TrackingInformationList>")
    end = text.index("</TrackingInformationList>") + len("</TrackingInformationList>")
    text = text[:start] + "<TrackingInformationList/>" + text[end:]
    return text.replace("<Errors/>", f"<Errors>{out.getvalue()}</Errors>")


# --- the tests ---------------------------------------------------------------------------


@pytest.fixture
def server():
    with fx.KarrioCarrierServer() as running:
        yield running


def _accounts(server) -> str:
    return json.dumps({k: dict(v, base_url=server.url) for k, v in ACCOUNTS.items()})


def _client(server) -> KarrioClient:
    return KarrioClient(parse_config({"karrio_carriers": _accounts(server)}))


def _newest(result) -> str | None:
    return max(result.events, key=lambda e: e.occurred_at).status


CARRIERS = [("royal_mail", ROYAL_MAIL), ("post_fr", COLISSIMO), ("purolator", PUROLATOR)]
STATES = [
    # Royal Mail
    ("royal_mail", ROYAL_MAIL, royal_mail("transit"), "in_transit"),
    ("royal_mail", ROYAL_MAIL, royal_mail("transit", "out"), "out_for_delivery"),
    ("royal_mail", ROYAL_MAIL, royal_mail("transit", "out", "failed"), "failed_attempt"),
    ("royal_mail", ROYAL_MAIL, royal_mail("transit", "held"), "exception"),
    ("royal_mail", ROYAL_MAIL, royal_mail("transit", "out", "delivered"), "delivered"),
    # La Poste / Colissimo (DR1, PC1, ET1 …, MD2, DI1 in the fixture)
    ("post_fr", COLISSIMO, la_poste(1), "label_created"),
    ("post_fr", COLISSIMO, la_poste(3), "in_transit"),  # ET1: karrio says out for delivery
    ("post_fr", COLISSIMO, la_poste(8), "out_for_delivery"),  # MD2
    ("post_fr", COLISSIMO, la_poste(8, "ND1"), "failed_attempt"),
    ("post_fr", COLISSIMO, la_poste(5, "DO3"), "exception"),  # held by customs
    ("post_fr", COLISSIMO, la_poste(), "delivered"),
    # Purolator
    ("purolator", PUROLATOR, purolator(PUROLATOR, "label"), "label_created"),
    ("purolator", PUROLATOR, purolator(PUROLATOR, "label", "picked", "transit"), "in_transit"),
    ("purolator", PUROLATOR, purolator(PUROLATOR, "label", "picked", "out"), "out_for_delivery"),
    ("purolator", PUROLATOR, purolator(PUROLATOR, "label", "out", "failed"), "failed_attempt"),
    ("purolator", PUROLATOR, purolator(PUROLATOR, "label", "out", "delivered"), "delivered"),
]


@pytest.mark.parametrize(
    ("carrier", "number", "answer", "expected"),
    STATES,
    ids=[f"{c}-{e}-{i}" for i, (c, _, _, e) in enumerate(STATES)],
)
def test_states(server, carrier, number, answer, expected):
    server.answers[number] = (200, answer)
    result = _client(server).track(carrier, number)
    assert result.found
    assert _newest(result) == expected
    assert server.calls[number] >= 1  # karrio's own request reached loopback


def test_la_poste_sorting_scans_are_not_out_for_delivery(server):
    """karrio maps La Poste's ET1 ("en cours de traitement") to out for delivery."""
    server.answers[COLISSIMO] = (200, la_poste())
    result = _client(server).track("post_fr", COLISSIMO)
    by_code = {e.raw_status: e.status for e in result.events}
    assert by_code["ET1"] == "in_transit" and by_code["DR1"] == "label_created"
    assert by_code["MD2"] == "out_for_delivery" and by_code["DI1"] == "delivered"


@pytest.mark.parametrize(
    ("carrier", "number", "status", "body"),
    [
        (
            "royal_mail",
            ROYAL_MAIL,
            404,
            dict(
                json.loads(fx.fixture("royalmail_error.json")),
                httpCode="404",
                httpMessage="Not Found",
            ),
        ),
        (
            "post_fr",
            COLISSIMO,
            404,
            dict(json.loads(fx.fixture("laposte_error.json")), returnCode=404),
        ),
        ("purolator", PUROLATOR, 200, purolator_unknown()),
    ],
)
def test_unknown_numbers_are_not_found_yet(server, carrier, number, status, body):
    server.answers[number] = (status, body)
    result = _client(server).track(carrier, number)
    assert result.found is False and result.events == ()


AUTH_ERRORS = {  # the gateways' answers to a wrong key, in each API's error shape
    "royal_mail": {
        "httpCode": "401",
        "httpMessage": "Unauthorized",
        "moreInformation": "Client id not registered.",
    },
    "post_fr": {"code": "UNAUTHORIZED", "message": "Invalid API key"},
    "purolator": "<html><body>401 - Unauthorized</body></html>",
}


@pytest.mark.parametrize(("carrier", "number"), CARRIERS)
def test_401_is_our_key_not_the_carriers_health(server, carrier, number):
    server.answers[number] = (401, AUTH_ERRORS[carrier])
    for _ in range(6):  # more than the breaker's threshold: it never opens
        with pytest.raises(CarrierError) as info:
            _client(server).track(carrier, number)
        assert info.value.status_code == 401
        assert not isinstance(info.value, (RateLimited, CircuitOpen))


@pytest.mark.parametrize(("carrier", "number"), CARRIERS)
def test_429_backs_off_and_5xx_opens_the_circuit(server, carrier, number):
    server.answers[number] = (429, {"status": 429}, {"Retry-After": "120"})
    with pytest.raises(RateLimited) as limited:
        _client(server).track(carrier, number)
    assert limited.value.retry_after == pytest.approx(120, abs=1)
    calls = server.calls[number]
    with pytest.raises(CircuitOpen):  # another worker makes no call
        _client(server).track(carrier, number)
    assert server.calls[number] == calls
    circuit.forget()
    from django.core.cache import cache

    cache.clear()
    fx.assert_5xx_opens_the_circuit(server, lambda: _client(server), carrier, number)


#: carrier, number, answers polled in turn, the parcel's status after each poll
JOURNEYS = [
    (
        "royal_mail",
        ROYAL_MAIL,
        [
            royal_mail("transit"),
            royal_mail("transit", "out"),
            royal_mail("transit", "out", "delivered"),
        ],
        ["in_transit", "out_for_delivery", "delivered"],
    ),
    (
        "post_fr",
        COLISSIMO,
        [la_poste(1), la_poste(3), la_poste(8), la_poste()],
        ["label_created", "in_transit", "out_for_delivery", "delivered"],
    ),
    (
        "purolator",
        PUROLATOR,
        [
            purolator(PUROLATOR, *s)
            for s in (
                ("label",),
                ("label", "picked"),
                ("label", "picked", "out"),
                ("label", "picked", "out", "delivered"),
            )
        ],
        ["label_created", "in_transit", "out_for_delivery", "delivered"],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("carrier", "number", "answers", "journey"), JOURNEYS, ids=[j[0] for j in JOURNEYS]
)
def test_poll_cycle_follows_the_parcel_to_delivery(server, carrier, number, answers, journey):
    channel = factories.make_channel("default-channel", karrio_carriers=_accounts(server))
    order = factories.make_order(lines=1, parcels=1, channel=channel, tracking_numbers=[number])
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    parcel = Parcel.objects.get(order_id=order.pk)
    assert parcel.carrier == carrier, "detected from the number"
    assert parcel.next_check_at is not None, "a carrier account makes the parcel pollable"
    assert fx.poll_through(server, parcel, number, answers) == journey
    assert parcel.next_check_at is None  # delivered: never asked again
    assert parcel.events.count() >= len(answers)


def test_an_austrian_post_account_is_refused_with_the_reason():
    """karrio's ``postat`` has no tracking: the owner is told so, not "unknown carrier"."""
    from saleor_aftersales.config import validate_config

    error = validate_config({"karrio_carriers": '{"postat": {"username": "u"}}'})
    assert "cannot track" in error["karrio_carriers"]
    assert "Austrian Post" in error["karrio_carriers"]
