"""Loopback stand-ins for carrier APIs: real HTTP servers in a thread, documented shapes."""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def dhl_event(timestamp: str, code: str, status: str = "", description: str = "",
              locality: str = "Köln", country: str = "DE") -> dict:
    return {
        "timestamp": timestamp,
        "location": {"address": {"addressLocality": locality, "countryCode": country}},
        "statusCode": code,
        "status": status or code,
        "description": description or status or code,
    }


def dhl_payload(number: str, events: list[dict], eta: str | None = None) -> dict:
    shipment = {
        "id": number,
        "service": "parcel-de",
        "status": events[0] if events else dhl_event("2024-01-01T00:00:00Z", "unknown"),
        "events": list(reversed(sorted(events, key=lambda e: e["timestamp"]))),
    }
    if eta:
        shipment["estimatedTimeOfDelivery"] = eta
    return {"shipments": [shipment]}


def aftership_checkpoint(time: str, tag: str, subtag: str = "", message: str = "",
                         location: str = "Berlin") -> dict:
    return {"checkpoint_time": time, "tag": tag, "subtag": subtag or f"{tag}_001",
            "message": message or tag, "location": location, "slug": "dhl-germany"}


def aftership_tracking(number: str, checkpoints: list[dict], tag: str = "InTransit",
                       slug: str = "dhl-germany", eta: str | None = None) -> dict:
    tracking = {"id": "t-" + number, "tracking_number": number, "slug": slug, "tag": tag,
                "subtag": f"{tag}_001", "checkpoints": checkpoints}
    if eta:
        tracking["courier_estimated_delivery_date"] = {"estimated_delivery_date": eta}
    return tracking


class FakeCarrierServer:
    """DHL at ``/track/shipments`` and AfterShip at ``/tracking/2024-04/trackings``.

    ``dhl[number]`` / ``aftership[number]`` hold the current payloads; ``script[number]``
    is a queue of one-off ``(status, body, headers)`` answers served first (errors, 429s,
    garbage). ``calls`` counts requests per number; ``requests`` keeps them all.
    """

    def __init__(self) -> None:
        self.dhl: dict[str, dict] = {}
        self.aftership: dict[str, dict] = {}
        self.registered: list[dict] = []
        self.script: dict[str, deque] = defaultdict(deque)
        self.calls: dict[str, int] = defaultdict(int)
        self.requests: list[tuple[str, str, dict]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True
            wbufsize = 1 << 16  # one write per answer: no delayed-ACK stalls

            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, body, headers=None) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                with server.lock:
                    server.requests.append(("GET", url.path, dict(self.headers)))
                if url.path == "/track/shipments":
                    if self.headers.get("DHL-API-Key") != "dhl-key":
                        return self._answer(401, {"status": 401, "title": "Unauthorized"})
                    number = query.get("trackingNumber", "")
                    source = server.dhl
                elif url.path == "/tracking/2024-04/trackings":
                    if self.headers.get("as-api-key") != "as-key":
                        return self._answer(401, {"meta": {"code": 401}})
                    number = query.get("tracking_numbers", "")
                    source = None
                else:
                    return self._answer(404, {"status": 404, "title": "Not found"})
                with server.lock:
                    server.calls[number] += 1
                    scripted = server.script[number].popleft() if server.script[number] else None
                if scripted:
                    return self._answer(*scripted)
                if source is not None:
                    if number not in source:
                        return self._answer(404, {"status": 404, "title": "No result found"})
                    return self._answer(200, source[number])
                tracking = server.aftership.get(number)
                return self._answer(200, {"meta": {"code": 200},
                                          "data": {"trackings": [tracking] if tracking else []}})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with server.lock:
                    server.requests.append(("POST", self.path, dict(self.headers)))
                    server.registered.append(body)
                self._answer(201, {"meta": {"code": 201}, "data": {"tracking": body}})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def dhl_url(self) -> str:
        return self.base + "/track/shipments"

    @property
    def aftership_url(self) -> str:
        return self.base + "/tracking/2024-04"

    def __enter__(self) -> FakeCarrierServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
