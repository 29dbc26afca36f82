"""Signed tokens under fuzz: forged and mutated tokens never verify and never fail loudly.

- ``links.read_token`` on any text raises ``InvalidToken`` (or returns the exact payload of
  an untouched token); a token with any one character changed, dropped or added never
  verifies as another order or channel.
- The status page, the widget API and GraphQL answer such tokens with 4xx / a field error.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_aftersales.core.exceptions import InvalidToken
from saleor_aftersales.core.links import STATUS_SALT, make_token, read_token
from saleor_aftersales.notifications import links as mail_links
from tests.web.conftest import BASE

from .conftest import TEXT

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
GOOD = make_token("0b6e4f00-0000-4000-8000-000000000001", "default-channel")
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:.=%/"


@st.composite
def mutated(draw):
    token = draw(st.sampled_from([GOOD, make_token("x", "other-channel", purpose="other")]))
    at = draw(st.integers(0, len(token)))
    how = draw(st.sampled_from(["replace", "drop", "insert"]))
    char = draw(st.sampled_from(ALPHABET))
    if how == "replace" and at < len(token):
        if token[at] == char:
            char = "A" if char != "A" else "B"
        return token[:at] + char + token[at + 1:]
    if how == "drop" and at < len(token):
        return token[:at] + token[at + 1:]
    return token[:at] + char + token[at:]


def _read(token):
    try:
        return read_token(token, max_age_days=30, channel_slug="default-channel")
    except InvalidToken:
        return None


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, mutated(), st.text(ALPHABET, max_size=300)))
def test_forged_and_mutated_tokens_never_verify(token):
    payload = _read(token)
    if token != GOOD:
        # a changed signature never verifies; only the base64 padding may vary harmlessly
        assert payload is None or payload == _read(GOOD)
    for reader in (mail_links.read_click, mail_links.read_pixel, mail_links.read_unsubscribe):
        with pytest.raises(InvalidToken):
            reader(token, type("C", (), {"channel_slug": "default-channel",
                                         "link_validity_days": 30})())


def test_other_purpose_never_verifies_as_status():
    token = make_token("0b6e4f00-0000-4000-8000-000000000001", "default-channel",
                       purpose="saleor_aftersales.other")
    assert _read(token) is None
    assert read_token(GOOD, max_age_days=30, purpose=STATUS_SALT)["c"] == "default-channel"


STATUS = "query($t: String!) { aftersalesStatus(token: $t) { number } }"


@FUZZ
@given(token=st.one_of(mutated(), TEXT.filter(lambda t: "/" not in t and "?" not in t
                                              and "#" not in t)))
def test_tokens_over_http_get_4xx(client, gql, shipped_order, token):
    from urllib.parse import quote

    safe = quote(token.encode("utf-8", "surrogatepass"), safe="")  # raw bytes, as sent
    for url in (f"{BASE}/status/{safe}", f"{BASE}/api/status/{safe}"):
        assert client.get(url).status_code in (403, 404, 410)
    status, body = gql(STATUS, {"t": token})
    assert status in (200, 400)
    assert "Internal Server Error" not in str(body)
    if status == 200:
        assert body["data"]["aftersalesStatus"] is None
