"""Browser fixtures: Chromium lives in tests/conftest.py (one per session); the demo and the
per-width visit passes over its pages live here (one demo process per session)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser import audit
from tools.demo_server import DemoFailed, index_links, running_demo


@pytest.fixture(scope="session")
def demo_index():
    """The index URL of ``python -m demo.run``, started once for the session."""
    try:
        with running_demo() as url:
            yield url
    except DemoFailed as failure:
        pytest.fail(str(failure), pytrace=False)


@pytest.fixture(scope="session")
def demo_links(browser, demo_index):
    """The index and every page it marks with ``data-demo-link`` (with unlock answers)."""
    page = browser.new_page()
    try:
        links = index_links(page, demo_index)
    finally:
        page.close()
    assert len(links) > 1, f"the demo index {demo_index} marks no page with data-demo-link"
    return links


@pytest.fixture(scope="session")
def axe_ready():
    if not audit.AXE.exists():
        pytest.skip(f"{audit.AXE.relative_to(audit.ROOT)} missing: run `make browser` (npm ci)")


@pytest.fixture(scope="session")
def demo_visits(browser, demo_links, axe_ready):
    """``{width: [Visit, ...]}``, each width's pass run once, when a test first needs it."""
    shots = os.environ.get("AFTERSALES_BROWSER_SHOTS")
    done: dict[int, list[audit.Visit]] = {}

    def visits(width: int) -> list[audit.Visit]:
        if width not in done:
            folder = Path(shots) / f"{width}" if shots else None
            done[width] = audit.sweep(browser, demo_links, width, folder)
        return done[width]

    return visits


@pytest.fixture(scope="session")
def vnu_ready():
    if shutil.which("java") is None:
        pytest.skip("java not found: the Nu checker needs a JRE (make browser installs one)")
    if not audit.VNU.exists():
        pytest.skip(f"{audit.VNU.relative_to(audit.ROOT)} missing: run `make browser` (npm ci)")
