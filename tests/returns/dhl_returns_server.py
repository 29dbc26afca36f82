"""A loopback DHL Parcel DE Returns API replaying its documented answers.

``POST /parcel/de/shipping/returns/v1/orders`` answers from ``script`` (a queue of
``(status, body)``; ``"hang"`` sleeps past the client's deadline), else the documented
``201 ReturnOrderConfirmation``. ``requests`` keeps every request (headers, query, body).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
PATH = "/parcel/de/shipping/returns/v1"


def confirmation(number: str = "999990000000001") -> dict:
    return {
        "shipmentNo": number,
        "routingCode": "40327653113+99000933090010",
        "label": {"b64": base64.b64encode(PDF).decode()},
        "qrLabel": {"b64": base64.b64encode(PNG).decode()},
        "qrLink": f"https://www.dhl.de/de/privatkunden/pakete-versenden/retoure/{number}",
        "sstatus": {"title": "Created", "statusCode": 201},
    }


def problem(status: int, title: str, detail: str) -> dict:
    return {"title": title, "status": status, "detail": detail, "statusCode": status}


class FakeDhlReturns:
    def __init__(self) -> None:
        self.script: deque = deque()
        self.requests: list[dict] = []
        self.hang_seconds = 3.0

    def __enter__(self) -> FakeDhlReturns:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                url = urlparse(self.path)
                fake.requests.append(
                    {
                        "path": url.path,
                        "query": parse_qs(url.query),
                        "headers": dict(self.headers),
                        "body": body,
                    }
                )
                if url.path != f"{PATH}/orders":
                    self._answer(404, problem(404, "Not Found", "no such resource"))
                    return
                status, payload = fake.script.popleft() if fake.script else (201, None)
                if status == "hang":
                    time.sleep(fake.hang_seconds)
                    status, payload = 201, None
                self._answer(status, payload if payload is not None else confirmation())

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                kind = "application/json" if status < 300 else "application/problem+json"
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{PATH}"
