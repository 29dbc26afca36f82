"""Carrier push webhooks under attack (AfterShip), on top of the shared receiver checks.

The shared checks (``tests/tracking/webhook_security.py``) run here for AfterShip:
- signature: missing, forged (another body's), wrong secret; malformed JSON with a valid one;
- replay: the same delivery three times stores once;
- order: an older delivery after a newer one changes nothing.
Added here:
- size: over 1 MB (announced or sent) is 413, nothing read or stored;
- content type: anything but ``application/json`` is 415;
- nesting: deeply nested JSON with a valid signature is a clear 400, no traceback.
"""

from __future__ import annotations

import json

from saleor_aftersales.models import TrackingEvent
from saleor_aftersales.web.push import MAX_BODY
from tests.tracking.test_push import TestAfterShipPush as _AfterShip
from tests.tracking.test_push import receiver  # noqa: F401
from tests.tracking.webhook_security import WebhookSecurityTests


class TestAfterShipWebhookSecurity(WebhookSecurityTests):
    path = _AfterShip.path
    signature_header = _AfterShip.signature_header
    secret = _AfterShip.secret
    sign = _AfterShip.sign
    payload = _AfterShip.payload
    stored = _AfterShip.stored
    state = _AfterShip.state

    def test_oversized_body_is_413(self, client, receiver):  # noqa: F811
        body = json.dumps({"msg": {"pad": "x" * (MAX_BODY + 1)}}).encode()
        response = self.post(client, body, self.sign(body, self.secret))
        assert response.status_code == 413
        assert TrackingEvent.objects.count() == 0

    def test_other_content_types_are_415(self, client, receiver):  # noqa: F811
        body = self.body(["a"])
        url = f"/plugins/channel/{self.channel_slug}/io.github.saleor-aftersales{self.path}"
        for content_type in ("text/plain", "application/x-www-form-urlencoded",
                             "multipart/form-data; boundary=x"):
            response = client.generic("POST", url, body, content_type=content_type,
                                      HTTP_AFTERSHIP_HMAC_SHA256=self.sign(body, self.secret))
            assert response.status_code == 415, content_type
        assert TrackingEvent.objects.count() == 0

    def test_deeply_nested_signed_body_is_a_clear_400(self, client, receiver, caplog):  # noqa: F811
        body = b'{"msg": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
        response = self.post(client, body, self.sign(body, self.secret))
        assert response.status_code == 400
        assert response.json() == {"error": "The JSON body nests more than 32 levels deep."}
        assert "RecursionError" not in caplog.text
        assert TrackingEvent.objects.count() == 0
