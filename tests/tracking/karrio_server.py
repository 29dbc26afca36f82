"""A loopback HTTP server answering as carriers' tracking APIs do, for karrio's extensions.

The answers are karrio's own test fixtures (``karrio_fixtures/``, copied from each
extension's ``tests/<carrier>/test_tracking.py`` in the karrio repository, release
2026.1.32), and states derived from them by keeping fewer events or changing an event's
status code to another code the same extension maps (e.g. DHL's ``NDELV``, UPS's ``OT``).
"""

from __future__ import annotations

import copy
import json
import threading
import time
import xml.etree.ElementTree as ET
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

FIXTURES = Path(__file__).with_name("karrio_fixtures")


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- DHL Parcel DE (XML, GET /parcel/de/tracking/v0/shipments?xml=…) ----------------------


def dhl_parcel_de(
    number: str, events: int | None = None, *, delivered: bool = False, failed: bool = False
) -> str:
    """karrio's DHL Parcel DE fixture for ``number`` with its first ``events`` events."""
    root = ET.fromstring(fixture("dhl_parcel_de_tracking.xml").encode())  # noqa: S314 (our fixture)
    shipment = root.find("data[@name='piece-shipment']")
    shipment.set("piece-code", number)
    shipment.set("searched-piece-code", number)
    event_list = shipment.find("data[@name='piece-event-list']")
    items = event_list.findall("data[@name='piece-event']")
    for extra in items[events:] if events is not None else []:
        event_list.remove(extra)
    kept = event_list.findall("data[@name='piece-event']")
    if failed:  # the delivery vehicle came back: DHL's "not delivered" code
        last = copy.deepcopy(kept[-1])
        last.set("event-timestamp", "18.03.2016 14:10")
        last.set("event-status", "The recipient was not present. Notification card left")
        last.set("ice", "NDELV")
        last.set("standard-event-code", "ZN")
        event_list.append(last)
        kept.append(last)
    shipment.set("delivery-event-flag", "1" if delivered else "0")
    shipment.set("ice", kept[-1].get("ice"))
    return ET.tostring(root, encoding="unicode")


# --- UPS (JSON, POST /security/v1/oauth/token, GET /api/track/v1/details/<number>) ---------

UPS_STATES = {  # (type, code, description) of UPS activity codes karrio's extension maps
    "label": ("M", "MP", "Shipper created a label, UPS has not received the package yet."),
    "transit": ("I", "AR", "Arrived at Facility"),
    "out": ("I", "OT", "Out For Delivery Today"),
    "exception": ("X", "EX", "The receiver was not available for delivery."),
    "delivered": ("D", "KB", "Delivered"),
}


def ups(number: str, *states: str) -> dict:
    """karrio's UPS fixture with one activity per state, newest first (as UPS sends them)."""
    body = json.loads(fixture("ups_tracking.json"))
    package = body["trackResponse"]["shipment"][0]["package"][0]
    template = package["activity"][0]
    package["trackingNumber"] = number
    body["trackResponse"]["shipment"][0]["inquiryNumber"] = number
    activities = []
    for i, state in enumerate(states):
        kind, code, text = UPS_STATES[state]
        activity = copy.deepcopy(template)
        activity["date"] = f"202102{10 + i:02d}"
        activity["status"] = {
            "code": code,
            "description": text,
            "type": kind,
            "statusCode": "003",
            "simplifiedTextDescription": text,
        }
        activities.append(activity)
    package["activity"] = list(reversed(activities))
    package["currentStatus"] = activities[-1]["status"]
    package["deliveryDate"] = [{"date": "20210215", "type": "DEL"}]
    return body


UPS_TOKEN = {
    "token_type": "Bearer",
    "issued_at": "1700000000000",
    "client_id": "ups-id",
    "access_token": "ups-token",
    "expires_in": "14399",
    "status": "approved",
}

# --- GLS (JSON, POST /oauth2/v2/token, GET /track-and-trace-v1/tracking/simple/trackids/…) --

GLS_STATES = {  # GLS ParcelDTO.status values and event codes karrio's extension maps
    "label": (
        "PREADVICE",
        "INTIAL.PREADVICE",
        "The parcel data was entered into the GLS IT system.",
    ),
    "transit": ("INTRANSIT", "INTIAL.NORMAL", "The parcel was handed over to GLS."),
    "out": ("INDELIVERY", "DELIVERY.INDELIVERY", "The parcel is expected to be delivered today."),
    "exception": ("NOTDELIVERED", "DELIVERY.NOTDELIVERED", "The parcel could not be delivered."),
    "delivered": ("DELIVERED", "DELIVERY.DELIVERED", "The parcel has been delivered."),
}


def gls(number: str, *states: str) -> dict:
    """karrio's GLS fixture with one event per state (newest first) and the last status."""
    body = json.loads(fixture("gls_tracking.json"))
    parcel = body["parcels"][0]
    template = parcel["events"][0]
    parcel["requested"] = parcel["unitno"] = number
    events = []
    for i, state in enumerate(states):
        _status, code, text = GLS_STATES[state]
        event = dict(
            template,
            code=code,
            description=text,
            eventDateTime=f"2024-10-{7 + i:02d}T10:46:14+0200",
        )
        events.append(event)
    parcel["events"] = list(reversed(events))
    parcel["status"] = GLS_STATES[states[-1]][0]
    return body


OAUTH_TOKEN = {
    "access_token": "token",
    "token_type": "Bearer",
    "expires_in": 3600,
    "status": "approved",
}
GLS_TOKEN = {"access_token": "gls-token", "token_type": "Bearer", "expires_in": 3600}


# --- DPD (SOAP, LoginService/V2_1 then ParcelLifeCycleService/V2_0) ----------------------


def dpd(events: int, last: str | None = None) -> str:
    """karrio's DPD fixture with its first ``events`` status entries (the last one's DPD
    status replaced by ``last``, e.g. ``Delivered``)."""
    text = fixture("dpd_tracking.xml")
    head, *blocks = text.split("<statusInfo>")
    tail = blocks[-1][blocks[-1].index("</statusInfo>") + len("</statusInfo>") :]
    kept = [b[: b.index("</statusInfo>") + len("</statusInfo>")] for b in blocks[:events]]
    if last:
        start = kept[-1].index("<status>") + len("<status>")
        kept[-1] = kept[-1][:start] + last + kept[-1][kept[-1].index("</status>") :]
    return head + "".join("<statusInfo>" + b for b in kept) + tail


class KarrioCarrierServer:
    """Carrier APIs on loopback. ``answers[number]`` is the current ``(status, body)``;
    ``script[number]`` one-off answers served first; ``calls[number]`` counts requests."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple] = {}
        self.script: dict[str, deque] = defaultdict(deque)
        self.calls: dict[str, int] = defaultdict(int)
        self.paths: list[str] = []
        self.default: tuple | None = None  # the answer to any other request
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body, headers=None) -> None:
                if isinstance(body, (dict, list)):
                    data, kind = json.dumps(body).encode(), "application/json"
                else:
                    text = str(body)
                    kind = "application/xml" if text.lstrip().startswith("<") else "text/plain"
                    data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _route(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
                path = unquote(self.path)
                server.paths.append(path)
                if path.endswith("/security/v1/oauth/token"):
                    return self._send(200, UPS_TOKEN)
                if path.endswith("/oauth2/v2/token"):
                    return self._send(200, GLS_TOKEN)
                if path.endswith("/soap/services/LoginService/V2_1"):
                    return self._send(200, fixture("dpd_login.xml"))
                if "token" in path.lower():  # other OAuth endpoints (FedEx, USPS, Hermes)
                    return self._send(
                        200, dict(OAUTH_TOKEN, issued_at=str(int(time.time() * 1000)))
                    )
                for number in list(server.answers) + list(server.script):
                    if number in path or number in body:
                        server.calls[number] += 1
                        if server.script[number]:
                            return self._send(*server.script[number].popleft())
                        return self._send(*server.answers[number])
                if server.default is not None:
                    server.calls["*"] += 1
                    return self._send(*server.default)
                return self._send(404, {"title": "Not Found", "status": 404})

            do_GET = do_POST = _route

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> KarrioCarrierServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def poll_through(server: KarrioCarrierServer, parcel, number: str, answers) -> list[str]:
    """Poll ``parcel`` once per answer (the loopback carrier gives them in turn); the parcel's
    status after each poll. Every poll must succeed."""
    from django.utils import timezone

    from saleor_aftersales.models import Parcel
    from saleor_aftersales.tracking.polling import poll_due_parcels

    seen = []
    for answer in answers:
        server.answers[number] = (200, answer)
        Parcel.objects.filter(pk=parcel.pk).update(next_check_at=timezone.now())
        stats = poll_due_parcels(workers=1)
        assert stats.failed == 0, stats.errors
        parcel.refresh_from_db()
        seen.append(parcel.status)
    return seen


def assert_5xx_opens_the_circuit(server: KarrioCarrierServer, make_client, carrier: str,
                                 number: str) -> None:
    """The carrier answers 503 until the breaker opens (within 10 calls); each failure
    before that is a ``CarrierError`` with the carrier's status."""
    from saleor_aftersales.core.exceptions import CarrierError, CircuitOpen

    server.answers[number] = (503, "<html>Service Unavailable</html>")
    for _ in range(10):
        try:
            make_client().track(carrier, number)
        except CircuitOpen:
            return
        except CarrierError as exc:
            assert exc.status_code == 503
    raise AssertionError("10 answers of 503 did not open the circuit")
