"""Every demo page in headless Chromium, as shoppers see it: axe-core finds no WCAG 2.2 AA or
best-practice violation, and the browser reports no error, in English and German, on a phone
(390 px) and a desktop (1280 px), before and after the shopper unlocks their details."""

from __future__ import annotations

import pytest

from tests.browser.audit import (
    AXE_RUN,
    AXE_TAGS,
    BROKEN_WORDS,
    SPILLING_TEXT,
    WIDTHS,
    axe_source,
    describe_violations,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violations(demo_visits, width):
    visits = demo_visits(width)
    checked = [v for v in visits if v.html]
    assert checked, "no HTML page was checked"
    states = {v.state for v in checked}
    assert {"public", "verified"} <= states, f"pages were only seen as {states}"
    assert {v.lang for v in checked} == {"en", "de"}
    failing = [v for v in checked if v.violations]
    if failing:
        pytest.fail(f"axe-core: violations on {len(failing)} of {len(checked)} page views\n"
                    + describe_violations(failing), pytrace=False)


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_load_without_browser_errors(demo_visits, width):
    """No console error, uncaught exception, broken own request (favicon 404), error page,
    page wider than the window, word or number split over two lines, or text spilling out of
    its box over its neighbour."""
    visits = demo_visits(width)
    failing = [v for v in visits if v.problems]
    if failing:
        pytest.fail("\n".join(f"{v.name} {v.url}\n" + "\n".join(f"  {p}" for p in v.problems)
                              for v in failing), pytrace=False)


def test_axe_reports_what_a_screen_reader_user_would_miss(browser, axe_ready):
    """The check itself: an image without alt text and an unlabeled field are violations."""
    page = browser.new_page()
    try:
        page.set_content('<!doctype html><html lang="en"><title>t</title><main>'
                         '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input></main>')
        page.evaluate(axe_source())
        found = {v["id"] for v in page.evaluate(AXE_RUN, AXE_TAGS)}
    finally:
        page.close()
    assert {"image-alt", "label"} <= found


def test_a_tracking_number_cut_in_half_is_reported(browser):
    """The check itself: a number split over two lines is reported; a hyphenating label and
    an email address may break."""
    page = browser.new_page(viewport={"width": 300, "height": 600})
    try:
        page.set_content(
            '<!doctype html><html lang="en"><body style="width:80px;overflow-wrap:anywhere">'
            '<p>00340434161094042557</p><p style="hyphens:auto">Delivered</p>'
            '<p>erika.mustermann@example.com</p></body></html>')
        found = page.evaluate(BROKEN_WORDS)
    finally:
        page.close()
    assert found == ['"00340434161094042557" in p.']


def test_a_date_wider_than_its_column_is_reported(browser):
    """The check itself: a date that spills over the next column is reported."""
    page = browser.new_page(viewport={"width": 390, "height": 600})
    try:
        page.set_content(
            '<!doctype html><html lang="en"><body><ol style="display:grid;grid-auto-flow:column;'
            'grid-auto-columns:60px"><li><time style="display:block">November 27, 2026</time>'
            '<li><time style="display:block">Nov 28</time></ol></body></html>')
        found = page.evaluate(SPILLING_TEXT)
    finally:
        page.close()
    assert len(found) == 1 and found[0].startswith('"November 27, 2026" in time.'), found
