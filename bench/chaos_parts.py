"""Loopback parts the chaos run breaks on purpose: a TCP proxy that can refuse, stall and
come back (in front of RabbitMQ, Redis and SMTP), an SMTP sink and a carrier API."""

from __future__ import annotations

import contextlib
import json
import random
import select
import socket
import threading
import time
from collections import Counter
from email.parser import BytesHeaderParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from aiosmtpd.controller import Controller


class TcpProxy:
    """Forwards ``127.0.0.1:port`` to ``target``. ``down()`` refuses connections and cuts the
    open ones; ``stall()`` accepts and forwards nothing; ``up()`` heals (cutting stalled ones)."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.mode = "up"
        self.port = 0
        self.listener: socket.socket | None = None
        self.conns: set[socket.socket] = set()
        self.lock = threading.Lock()
        self._listen()

    def _listen(self) -> None:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port))
        s.listen(256)
        self.port = s.getsockname()[1]
        self.listener = s
        threading.Thread(target=self._accept, args=(s,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self.lock:
                self.conns.add(client)
            if self.mode == "stall":
                continue  # held open, never answered
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                self._close(client)
                continue
            with self.lock:
                self.conns.add(upstream)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                if self.mode == "stall":
                    time.sleep(0.05)
                    continue
                if not select.select([src], [], [], 0.2)[0]:
                    continue
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except (OSError, ValueError):  # ValueError: closed by down() meanwhile
            pass
        self._close(src)
        self._close(dst)

    def _close(self, sock: socket.socket) -> None:
        with self.lock:
            self.conns.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()

    def _cut_all(self) -> None:
        with self.lock:
            conns = list(self.conns)
        for sock in conns:
            self._close(sock)

    def down(self) -> None:
        self.mode = "down"
        if self.listener is not None:
            self.listener.close()
            self.listener = None
        self._cut_all()

    def stall(self) -> None:
        self.mode = "stall"

    def up(self) -> None:
        if self.mode == "stall":
            self._cut_all()
        self.mode = "up"
        if self.listener is None:
            self._listen()

    def close(self) -> None:
        self.down()


class SmtpSink:
    """A real SMTP server (aiosmtpd); counts messages by (recipient, trigger, Message-ID)."""

    def __init__(self) -> None:
        self.received: Counter = Counter()
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                headers = BytesHeaderParser().parsebytes(envelope.content)
                key = (str(headers["To"]), str(headers["X-Aftersales-Event"]),
                       str(headers["Message-ID"]))
                with sink.lock:
                    sink.received[key] += 1
                return "250 OK"

        with socket.socket() as s:  # aiosmtpd needs a port number up front
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def close(self) -> None:
        self.controller.stop()


DHL_STAGES = [("pre-transit", "Elektronisch angekündigt"),
              ("transit", "Im Paketzentrum bearbeitet"),
              ("transit", "In das Zustellfahrzeug geladen"),
              ("delivered", "Zugestellt")]
AFTERSHIP_STAGES = ["InfoReceived", "InTransit", "OutForDelivery", "Delivered"]
FAULTS = ("5xx", "timeout", "garbage", "trickle", "oversize")


class CarrierApi:
    """DHL (``/track/shipments``) and AfterShip (``/tracking/2024-04/trackings``) shaped
    answers from each number's journey so far; ``fault`` makes answers fail at ``rate``."""

    def __init__(self, seed: int) -> None:
        self.events: dict[str, list[tuple[str, int]]] = {}  # number -> [(iso time, stage)]
        self.fault: str | None = None
        self.rate = 0.5
        self.random = random.Random(seed)
        self.requests: Counter = Counter()
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _send(self, status: int, body: bytes, trickle: bool = False) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not trickle:
                    self.wfile.write(body)
                    return
                for i in range(len(body)):  # one byte every 0.2 s
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.2)

            def do_GET(self) -> None:
                with contextlib.suppress(OSError):
                    api.answer(self)

            def do_POST(self) -> None:  # AfterShip registration
                with contextlib.suppress(OSError):
                    self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    self._send(201, b'{"meta": {"code": 201}, "data": {}}')

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def advance(self, number: str, stage: int, at: str) -> None:
        self.events.setdefault(number, []).append((at, stage))

    def answer(self, handler) -> None:
        url = urlparse(handler.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        fault = self.fault if self.fault and self.random.random() < self.rate else None
        self.requests[fault or "ok"] += 1
        if fault == "5xx":
            return handler._send(503, b'{"status": 503, "title": "Service Unavailable"}')
        if fault == "timeout":
            time.sleep(12)  # longer than the client's timeout
            return handler._send(504, b"{}")
        if fault == "garbage":
            return handler._send(200, b"<html>upstream error</html>\x00\xff")
        if fault == "oversize":
            return handler._send(200, b'{"shipments": [' + b" " * (8 << 20) + b"]}")
        if url.path.endswith("/track/shipments"):
            body = self.dhl(query.get("trackingNumber", ""))
        else:
            body = self.aftership(query.get("tracking_numbers", ""))
        handler._send(200 if body else 404, json.dumps(body or {"status": 404}).encode(),
                      trickle=fault == "trickle")

    def dhl(self, number: str) -> dict | None:
        if number not in self.events:
            return None
        events = [{"timestamp": at, "statusCode": DHL_STAGES[s][0], "status": DHL_STAGES[s][1],
                   "description": DHL_STAGES[s][1],
                   "location": {"address": {"addressLocality": "Köln", "countryCode": "DE"}}}
                  for at, s in reversed(self.events[number])]
        return {"shipments": [{"id": number, "service": "parcel-de", "status": events[0],
                               "events": events}]}

    def aftership(self, number: str) -> dict:
        return {"meta": {"code": 200}, "data": {"trackings": [
            aftership_tracking(number, self.events[number])] if number in self.events else []}}


def aftership_tracking(number: str, events: list[tuple[str, int]]) -> dict:
    checkpoints = [{"checkpoint_time": at, "tag": AFTERSHIP_STAGES[s],
                    "subtag": f"{AFTERSHIP_STAGES[s]}_001", "message": AFTERSHIP_STAGES[s],
                    "location": "Berlin, DE", "slug": "ups"}
                   for at, s in events]
    tag = AFTERSHIP_STAGES[max(s for _, s in events)] if events else "Pending"
    return {"id": "t-" + number, "tracking_number": number, "slug": "ups", "tag": tag,
            "subtag": f"{tag}_001", "checkpoints": checkpoints}


def dhl_number(n: int) -> str:
    """A valid DHL Paket SSCC (00 + 340434 + serial + GS1 check digit)."""
    payload = f"340434{n:011d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return f"00{payload}{(10 - total % 10) % 10}"


def ups_number(n: int) -> str:
    """A valid UPS 1Z number (shipper 999AA1, service 01, package ``n``)."""
    body = f"999AA101{n:07d}"
    total = 0
    for i, char in enumerate(body):
        value = int(char) if char.isdigit() else (ord(char) - 63) % 10
        total += value * 2 if i % 2 else value
    return f"1Z{body}{(10 - total % 10) % 10}"
