"""The demo as a person starts it (``python -m demo.run``), for browser checks and screenshots.

Contract with ``demo/run.py``: it reads ``AFTERSALES_DEMO_HOST``, ``AFTERSALES_DEMO_PORT`` and
``AFTERSALES_DEMO_OUT`` and prints a line starting ``Demo index: http://`` once it serves. The
index at ``/`` marks every page worth checking with ``data-demo-link``; a status page's unlock
answer (postcode or email) is the link's own ``data-demo-unlock`` value, or the text (or value)
of a ``[data-demo-unlock]`` element in the same row (``tr``, ``li`` or ``[data-demo-order]``),
else the first ``<code>`` in the row's table column headed "Unlock…".

``AFTERSALES_DEMO_URL=http://host:port/`` uses a demo that is already running instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
READY = "Demo index: http://"


class DemoFailed(RuntimeError):
    """The demo exited or did not print its index URL in time (message: its last output)."""


@dataclass(frozen=True)
class DemoLink:
    """A page the index links to; ``unlock`` answers its verification form ("" if none)."""

    url: str
    label: str
    unlock: str = ""
    row: str = ""  # the text of the link's row on the index (the order's story and state)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_demo(timeout: float = 300.0) -> Iterator[str]:
    """Start the demo, yield its index URL once it serves, stop it (and its children) after."""
    if os.environ.get("AFTERSALES_DEMO_URL"):
        yield os.environ["AFTERSALES_DEMO_URL"]
        return
    out = tempfile.mkdtemp(prefix="aftersales-demo-")
    env = {**os.environ, "AFTERSALES_DEMO_HOST": "127.0.0.1",
           "AFTERSALES_DEMO_PORT": str(free_port()), "AFTERSALES_DEMO_OUT": out,
           "PYTHONUNBUFFERED": "1"}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)  # the demo runs on its embedded default, not the test services
    process = subprocess.Popen(
        [sys.executable, "-m", "demo.run"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    lines: list[str] = []
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip())
            if not found and line.strip().startswith(READY):
                found.append(line.strip().removeprefix("Demo index:").strip())
                ready.set()
        ready.set()  # the demo exited

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(timeout) or not found:
            raise DemoFailed(
                f"`python -m demo.run` printed no '{READY}…' line "
                f"({'exit ' + str(process.poll()) if process.poll() is not None else 'timeout'}):\n"
                + "\n".join(lines[-40:])
            )
        yield found[0]
    finally:
        _stop(process)
        shutil.rmtree(out, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the demo's process group (server, embedded database), SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            continue
    if process.stdout:
        process.stdout.close()


INDEX_LINKS_JS = """() => Array.from(document.querySelectorAll('a[data-demo-link]')).map(a => {
  const own = a.getAttribute('data-demo-unlock');
  const row = a.closest('[data-demo-order], tr, li');
  let el = own ? null : row && row.querySelector('[data-demo-unlock]');
  const table = row && row.closest('table');
  if (!own && !el && table && row.tagName === 'TR') {  // else: the column headed "Unlock…"
    const heads = Array.from(table.querySelectorAll('thead th'));
    const column = heads.findIndex(th => /^\\s*unlock/i.test(th.textContent));
    const cell = column < 0 ? null : row.children[column];
    el = cell && (cell.querySelector('code') || cell);
  }
  const unlock = own || (el ? (el.getAttribute('data-demo-unlock') || el.textContent) : '');
  return {url: a.href, label: (a.getAttribute('aria-label') || a.textContent).trim(),
          unlock: unlock.trim(), row: row ? row.innerText.replace(/\\s+/g, ' ').trim() : ''};
})"""


def index_links(page, index_url: str) -> list[DemoLink]:
    """The index itself and every same-origin page it marks, each once (a playwright page)."""
    response = page.goto(index_url)
    if response is None or not response.ok:
        raise DemoFailed(f"demo index {index_url} answered {response and response.status}")
    origin = urlsplit(index_url)[:2]
    links = [DemoLink(index_url, "Demo index")]
    seen = {index_url}
    for item in page.evaluate(INDEX_LINKS_JS):
        url = urlunsplit(urlsplit(item["url"])._replace(fragment=""))
        if urlsplit(url)[:2] != origin or url in seen:
            continue
        seen.add(url)
        links.append(DemoLink(url, item["label"], item["unlock"], item["row"]))
    return links


def showcase(links: list[DemoLink], words: str = "split shipment") -> DemoLink:
    """The status page whose index row mentions ``words`` (else the first one to unlock)."""
    pages = [link for link in links if link.unlock]
    if not pages:
        raise DemoFailed("the demo index lists no status page with an unlock answer")
    return next((link for link in pages if words.lower() in link.row.lower()), pages[0])


def with_lang(url: str, lang: str) -> str:
    """``url`` with ``?lang=`` set (the plugin's pages read the reader's language from it)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("lang", lang)])))


def unlock(page, answer: str) -> bool:
    """Answer the page's verification form; True when the form is gone afterwards."""
    form = page.locator('form[action$="/verify"]')
    if not form.count():
        return False
    form.locator('input[name="answer"]').fill(answer)
    with page.expect_navigation():
        form.locator('[type="submit"]').first.click()
    return page.locator('form[action$="/verify"]').count() == 0
