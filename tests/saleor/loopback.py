"""Saleor's URLconf on a loopback port, sharing the test's database connections.

The server closes connections after each request; the shared ones must stay open (they hold
the test's transaction), so closing them is a no-op while the server runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler, _StaticFilesHandler


class SerialServer(LiveServerThread):
    """One request at a time: the requests share one database connection (and its open
    transaction), which concurrent requests (a browser's) would trip over."""

    def _create_server(self, connections_override=None):
        return WSGIServer(
            (self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False
        )


@contextmanager
def serve(monkeypatch, thread_class: type[LiveServerThread] = LiveServerThread) -> Iterator[str]:
    """The server's base URL while the block runs."""
    aliases = {a: connections[a] for a in connections if a in ("default", "replica")}
    for conn in aliases.values():
        conn.inc_thread_sharing()
        monkeypatch.setattr(conn, "close", lambda: None)
        monkeypatch.setattr(conn, "close_if_unusable_or_obsolete", lambda: None)
    thread = thread_class("127.0.0.1", _StaticFilesHandler, connections_override=aliases)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        for conn in aliases.values():
            conn.dec_thread_sharing()
