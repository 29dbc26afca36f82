"""Carrier API misbehaviours for a loopback HTTP server (``CarrierApi``): each function is
one answer. No Django model is imported here, so the Saleor suite can use them too."""

from __future__ import annotations

import json
import socket
import struct
import time


def answer(status: int, body: bytes, content_type: str = "application/json"):
    def behave(handler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return behave


def trickle_body(handler) -> None:
    """Headers at once, then one byte every 0.25 s of a 40-byte body (10 s in all)."""
    body = json.dumps({"shipments": []}).ljust(40).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.flush()
    for byte in body:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.25)


def trickle_headers(handler) -> None:
    """The status line and headers one byte every 0.25 s (never done within the deadline)."""
    head = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"z" * 60 + b"\r\n\r\n"
    for byte in head:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.25)
    handler.close_connection = True


def oversized(handler) -> None:
    """3 MiB of valid JSON, streamed without a Content-Length (chunk by chunk)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b'"' + b"x" * 65534 + b'",'
    handler.wfile.write(b"%x\r\n[\r\n" % 1)
    for _ in range(48):
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    handler.wfile.write(b"2\r\n0]\r\n0\r\n\r\n")
    handler.close_connection = True


def declared_oversized(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(50 * 1024 * 1024))
    handler.end_headers()
    handler.wfile.write(b"[")
    handler.close_connection = True


def reset(handler) -> None:
    """Close the connection with a TCP reset before answering."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True
    handler.connection.close()
