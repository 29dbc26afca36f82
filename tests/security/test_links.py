"""Status links under attack, through the page, the widget API and GraphQL alike.

- bare: the order's UUID instead of a signed token.
- tampered: a changed signature, a changed payload.
- expired: older than the channel's link validity (410 on the page, ``EXPIRED_TOKEN``).
- cross-channel: a valid link of one channel opened under another channel's route.
- other purpose: a correctly signed token of another salt (e.g. unsubscribe) as a link.
Nothing of the order (number, name) is shown for any of them.
"""

from __future__ import annotations

import time

import pytest
from django.core import signing

from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.core.links import make_token
from saleor_aftersales.notifications.links import UNSUBSCRIBE_SALT
from sandbox.factories import make_channel
from tests.web.conftest import BASE

pytestmark = pytest.mark.django_db
STATUS = "query($t: String!) { aftersalesStatus(token: $t) { number } }"


def _valid(order) -> str:
    return make_token(str(order.pk), "default-channel")


def _tampered_signature(order) -> str:
    token = _valid(order)
    return token[:-3] + ("abc" if not token.endswith("abc") else "xyz")


def _tampered_payload(order) -> str:
    signature = _valid(order).rpartition(":")[2]
    other = make_token("00000000-0000-4000-8000-000000000000", "default-channel")
    return other.rpartition(":")[0] + ":" + signature


def _other_purpose(order) -> str:
    return make_token(str(order.pk), "default-channel", purpose=UNSUBSCRIBE_SALT)


ATTACKS = {
    "bare": lambda order: str(order.pk),
    "tampered-signature": _tampered_signature,
    "tampered-payload": _tampered_payload,
    "other-purpose": _other_purpose,
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_forged_links_show_nothing(client, gql, shipped_order, attack):
    token = ATTACKS[attack](shipped_order)
    page = client.get(f"{BASE}/status/{token}")
    assert page.status_code == 403
    assert str(shipped_order.number) not in page.content.decode()
    assert client.get(f"{BASE}/api/status/{token}").status_code == 403
    _, body = gql(STATUS, {"t": token})
    assert body["data"]["aftersalesStatus"] is None and body["errors"]


def test_expired_link_everywhere(client, gql, shipped_order, monkeypatch):
    token = _valid(shipped_order)
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() + 91 * 24 * 3600)
    page = client.get(f"{BASE}/status/{token}")
    assert page.status_code == 410 and str(shipped_order.number) not in page.content.decode()
    assert client.get(f"{BASE}/api/status/{token}").json() == {"error": "expired"}
    _, body = gql(STATUS, {"t": token})
    assert body["data"]["aftersalesStatus"] is None
    assert "expired" in body["errors"][0]["message"]


def test_cross_channel_link_is_refused(client, gql, shipped_order):
    make_channel("other")
    token = _valid(shipped_order)
    other = f"/plugins/channel/other/{PLUGIN_ID}"
    assert client.get(f"{other}/status/{token}").status_code == 403
    assert client.get(f"{other}/api/status/{token}").status_code == 403
    _, body = gql(STATUS, {"t": token}, url=f"{other}/graphql/")
    # GraphQL resolves the token's own channel; the link stays bound to it
    number = (body.get("data") or {}).get("aftersalesStatus")
    assert number is None or number == {"number": str(shipped_order.number)}
