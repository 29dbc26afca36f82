"""The security checks every push receiver must pass; receiver tests inherit this class.

A subclass sets ``path`` (relative to the plugin route) and implements ``secret``,
``sign(body, secret)``, ``signature_header``, ``payload(events)`` (a valid body for a list
of event ids in the given order), ``stored()`` (how many events the receiver stored) and
``state()`` (what a shopper would see, to compare after out-of-order deliveries).
"""

from __future__ import annotations

import json

import pytest

from saleor_aftersales.core.ids import PLUGIN_ID


@pytest.mark.django_db
class WebhookSecurityTests:
    path: str = ""
    signature_header: str = ""
    secret: str = ""
    channel_slug = "default-channel"

    # --- to implement -------------------------------------------------------------------
    def sign(self, body: bytes, secret: str) -> str:
        raise NotImplementedError

    def payload(self, events: list[str]) -> dict:
        raise NotImplementedError

    def stored(self) -> int:
        raise NotImplementedError

    def state(self):
        """What the shopper would see (e.g. the parcel's status); compared across orders."""
        raise NotImplementedError

    # --- helpers ------------------------------------------------------------------------
    def post(self, client, body: bytes, signature: str | None):
        headers = {}
        if signature is not None:
            headers["HTTP_" + self.signature_header.upper().replace("-", "_")] = signature
        url = f"/plugins/channel/{self.channel_slug}/{PLUGIN_ID}{self.path}"
        return client.post(url, data=body, content_type="application/json", **headers)

    def body(self, events: list[str]) -> bytes:
        return json.dumps(self.payload(events)).encode()

    # --- the checks ---------------------------------------------------------------------
    def test_valid_signature_is_accepted_and_stored(self, client, receiver):
        body = self.body(["a"])
        response = self.post(client, body, self.sign(body, self.secret))
        assert response.status_code == 200
        assert self.stored() == 1

    def test_missing_signature_is_rejected_and_nothing_stored(self, client, receiver):
        response = self.post(client, self.body(["a"]), None)
        assert response.status_code == 401
        assert self.stored() == 0

    def test_forged_signature_is_rejected(self, client, receiver):
        body = self.body(["a"])
        forged = self.sign(self.body(["b"]), self.secret)  # signature of another body
        assert self.post(client, body, forged).status_code == 401
        assert self.post(client, body, "not-base64!!").status_code == 401
        assert self.stored() == 0

    def test_wrong_secret_is_rejected(self, client, receiver):
        body = self.body(["a"])
        assert self.post(client, body, self.sign(body, self.secret + "x")).status_code == 401
        assert self.stored() == 0

    def test_malformed_json_with_valid_signature_is_a_clear_400(self, client, receiver):
        for body in (b"{not json", b"[]", b'{"msg": 5}'):
            response = self.post(client, body, self.sign(body, self.secret))
            assert response.status_code == 400
            assert "error" in response.json()
        assert self.stored() == 0

    def test_replayed_delivery_is_harmless(self, client, receiver):
        body = self.body(["a", "b"])
        for _ in range(3):
            assert self.post(client, body, self.sign(body, self.secret)).status_code == 200
        assert self.stored() == 2

    def test_out_of_order_deliveries_end_in_the_same_state(self, client, receiver):
        newer, older = self.body(["a", "b", "c"]), self.body(["a"])
        assert self.post(client, newer, self.sign(newer, self.secret)).status_code == 200
        seen = self.state()
        assert self.post(client, older, self.sign(older, self.secret)).status_code == 200
        assert self.state() == seen
        assert self.stored() == 3

    def test_get_is_not_allowed(self, client, receiver):
        url = f"/plugins/channel/{self.channel_slug}/{PLUGIN_ID}{self.path}"
        assert client.get(url).status_code == 405
