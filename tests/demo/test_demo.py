"""CI runs the demo the way the README says (``make demo`` = install + ``python -m demo.run``)
on the embedded PostgreSQL, and checks what a first-time user meets: one URL on the first
screen, every page the index links to, a shopper's whole journey in Chromium, and an outbox
holding each email the sample shop's stories send exactly once.

Tests run in file order against one demo process; the last ones press "play" and restart it.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin

import psutil
import pytest
import requests

#: What the sample shop's stories send, per recipient and trigger (parcel emails per parcel).
EXPECTED_EMAILS: dict[str, dict[str, int]] = {
    "lena.fischer@example.com": {"order_confirmation": 1},
    "jonas.weber@example.com": {"order_confirmation": 1},
    "erika.mustermann@example.com": {"order_confirmation": 1, "shipped": 2,
                                     "out_for_delivery": 1},
    "tobias.becker@example.com": {"order_confirmation": 1, "shipped": 1, "delay": 1},
    "sophie.wagner@example.com": {"order_confirmation": 1, "shipped": 1, "out_for_delivery": 1,
                                  "delay": 1},
    "maximilian.schneider@example.com": {"order_confirmation": 1, "shipped": 1,
                                         "ready_for_pickup": 1},
    "hannah.hoffmann@example.com": {"order_confirmation": 1, "shipped": 1,
                                    "out_for_delivery": 1, "delivered": 1, "review_request": 1,
                                    "return_requested": 2, "return_rejected": 1},
    "felix.schulz@example.com": {"order_confirmation": 1, "shipped": 1, "out_for_delivery": 1,
                                 "delivered": 1, "return_requested": 2, "return_approved": 2,
                                 "return_received": 2, "return_resolved": 2},
    "clara.koch@example.com": {"order_confirmation": 1},
    "ops@shop.example.com": {"staff_digest": 1},
}
SERVER_ERROR = re.compile(r"Server Error|Traceback|Internal Server Error|Exception Value")


class Links(HTMLParser):
    """``(href, text)`` of every ``<a data-demo-link>``."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[list[str]] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and "data-demo-link" in attributes:
            self.links.append([attributes.get("href") or "", ""])
            self._open = True

    def handle_data(self, data):
        if self._open:
            self.links[-1][1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = False


def demo_links(url: str) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(requests.get(url, timeout=60).text)
    return [(urljoin(url, href), text.strip()) for href, text in parser.links]


def outbox(demo) -> Counter:
    """``(recipient, trigger)`` → how many emails the outbox holds."""
    counts: Counter = Counter()
    for path in sorted((demo.out / "emails").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        counts[(message["To"].addresses[0].addr_spec, str(message["X-Aftersales-Event"]))] += 1
    return counts


def expected() -> Counter:
    return Counter({(to, event): n for to, events in EXPECTED_EMAILS.items()
                    for event, n in events.items()})


def test_the_first_screen_is_short_and_ends_with_the_index_url(demo):
    before = demo.lines[: demo.lines.index(next(x for x in demo.lines if x.startswith("Demo")))]
    assert len(before) <= 10, "\n".join(demo.lines)
    assert not [x for x in demo.lines if re.search(r"Traceback|Warning|WARNING|Error", x)]
    assert demo.url == f"http://127.0.0.1:{demo.port}/"


def test_every_page_the_index_links_to_answers(demo):
    links = demo_links(demo.url)
    status_pages = [u for u, _ in links if "/status/" in u]
    assert len(status_pages) >= 9, links
    labels = " ".join(t for _, t in links)
    for wanted in ("Outbox", "widget", "GraphQL", "Health"):
        assert wanted.lower() in labels.lower(), labels
    for url, text in links:
        response = requests.get(url, timeout=60)
        assert response.status_code == 200, (text, url, response.status_code)
        assert not SERVER_ERROR.search(response.text), (text, url)


def test_the_outbox_holds_every_email_of_the_stories_exactly_once(demo):
    assert outbox(demo) == expected()


def test_the_outbox_shows_each_email_as_html_and_text(demo):
    page = requests.get(urljoin(demo.url, "/outbox/"), timeout=60)
    assert page.status_code == 200
    reads = re.findall(r'href="(/outbox/\d+\.(?:html|txt))"', page.text)
    assert len(reads) == 2 * sum(expected().values())
    delay = next(p for p in (demo.out / "emails").glob("*.eml")
                 if b"X-Aftersales-Event: delay" in p.read_bytes()
                 and b"tobias.becker" in p.read_bytes())
    text = requests.get(urljoin(demo.url, f"/outbox/{delay.stem}.txt"), timeout=60).text
    assert re.search(r"10% off your next order.*SORRY-[0-9A-F]+", text), text
    html = requests.get(urljoin(demo.url, f"/outbox/{delay.stem}.html"), timeout=60)
    assert html.headers["Content-Type"].startswith("text/html") and "<html" in html.text.lower()


def test_the_graphql_page_runs_its_ready_made_queries(demo):
    session = requests.Session()
    page = session.get(urljoin(demo.url, "/graphql/"), timeout=60).text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def run(key: str) -> str:
        form = re.search(rf'name="example" value="{key}">.*?name="query"[^>]*>(.*?)</textarea>'
                         rf'.*?name="variables"[^>]*>(.*?)</textarea>', page, re.S)
        from html import unescape

        answer = session.post(urljoin(demo.url, "/graphql/"), timeout=60, data={
            "csrfmiddlewaretoken": csrf, "example": key, "query": unescape(form.group(1)),
            "variables": unescape(form.group(2))}, headers={"Referer": demo.url})
        assert answer.status_code == 200
        return unescape(re.search(r'<pre class="demo-json"[^>]*>(.*?)</pre>', answer.text,
                                  re.S).group(1))

    status = run("status")
    assert '"errors"' not in status and '"state": "out_for_delivery"' in status, status
    problems = run("problems")
    assert re.search(r'"totalCount": [2-9]', problems), problems


@pytest.mark.browser
def test_a_shopper_walks_through_the_delivered_order(demo, browser):
    row = next(u for u, t in demo_links(demo.url) if t.endswith("1007"))
    page = browser.new_page(viewport={"width": 390, "height": 844})
    redirects: list[str] = []

    def stay_inside(route) -> None:
        """Send the form, note where it redirects; CI has no network to follow it outside."""
        response = route.fetch(max_redirects=0)
        redirects.append(response.headers.get("location", ""))
        if redirects[-1].startswith("https://"):
            route.fulfill(status=200, content_type="text/html", body="<title>Outside</title>")
        else:
            route.fulfill(response=response)

    page.route(re.compile(r".*/(review|buy-again)$"), stay_inside)
    try:
        page.goto(row)
        verify = page.locator('form[action$="/verify"]')
        verify.locator('input[name="answer"]').fill("99999")
        with page.expect_navigation():
            verify.locator('[type="submit"]').click()
        error = page.locator(".as-message--error")
        assert error.is_visible()
        assert error.evaluate("e => { const r = e.getBoundingClientRect();"
                              " return r.top >= 0 && r.bottom <= innerHeight; }"), \
            "the wrong-postcode error is out of view"

        verify = page.locator('form[action$="/verify"]')
        verify.locator('input[name="answer"]').fill("60316")
        with page.expect_navigation():
            verify.locator('[type="submit"]').click()
        assert page.get_by_text("Hannah Hoffmann").first.is_visible()
        assert page.get_by_text("Berger Straße 120").first.is_visible()

        review = page.locator('form[action$="/review"]')
        review.locator('label[for="star-5"]').click()
        review.locator('textarea[name="comment"]').fill("Quick delivery, lovely sweater.")
        with page.expect_navigation():
            review.locator('[type="submit"]').click()  # stored, then on to the review platform
        assert redirects[-1] == "https://g.page/r/nordwind/review"
        page.goto(row)
        assert page.locator('#review input[name="rating"][value="5"]').is_checked()

        with page.expect_navigation():
            page.locator('form[action$="/buy-again"] [type="submit"]').click()
        assert re.match(r"https://shop\.example\.com/checkout\?checkout=[0-9a-f-]{36}$",
                        redirects[-1]), redirects

        page.goto(row)
        with page.expect_navigation():
            page.locator('a[hreflang="de"]').click()
        assert page.locator("html").get_attribute("lang") == "de"
        faq = page.locator("details.as-faq").filter(has_text="Wie sende ich")
        faq.locator("summary").click()
        assert faq.get_by_text("30 Tage").is_visible()
    finally:
        page.close()


def test_play_moves_the_journeys_on_and_new_emails_arrive(demo):
    before = outbox(demo)
    session = requests.Session()
    index = session.get(demo.url, timeout=60).text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', index).group(1)
    for _ in range(3):
        answer = session.post(urljoin(demo.url, "/play"), data={"csrfmiddlewaretoken": csrf},
                              headers={"Referer": demo.url}, timeout=120, allow_redirects=False)
        assert answer.status_code == 303
    after = outbox(demo)
    new = after - before
    assert new[("erika.mustermann@example.com", "delivered")] == 2  # both parcels arrived
    assert new[("jonas.weber@example.com", "shipped")] == 1  # the waiting order shipped
    assert new[("erika.mustermann@example.com", "review_request")] == 1
    assert max(after.values()) <= 2  # still nothing twice (two parcels at most)
    assert "Delivered" in session.get(demo.url, timeout=60).text


@pytest.mark.browser
def test_the_demo_buttons_work_in_a_browser(demo, browser):
    """Run on the GraphQL page and Play on the index post forms as a browser does (Origin
    header, cookies), not only as a script does."""
    page = browser.new_page()
    try:
        page.goto(urljoin(demo.url, "/graphql/"))
        with page.expect_navigation():
            page.locator("form").filter(has_text="Run").first.locator("button").click()
        assert "aftersalesStatus" in page.locator("pre.demo-json").inner_text()
        page.goto(demo.url)
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("^Play")).click()
        assert page.locator("#played").is_visible()
    finally:
        page.close()


def test_a_second_start_reuses_the_shop_and_sends_nothing_again(demo):
    before = outbox(demo)
    assert demo.stop() == 0
    pgdata = str(demo.out / "pg")
    assert not [p for p in psutil.process_iter(["cmdline"])
                if pgdata in " ".join(p.info["cmdline"] or [])], "embedded server still runs"
    demo.start()
    assert any("reused" in line for line in demo.lines), demo.lines
    assert outbox(demo) == before
    assert requests.get(demo.url, timeout=60).status_code == 200
