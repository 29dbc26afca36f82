"""AfterShip push webhooks: security checks from the shared base, plus the effect."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_aftersales.models import Parcel, TrackingEvent
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.tracking import webhooks
from saleor_aftersales.tracking.polling import poll_due_parcels
from sandbox import factories

from .fakes import aftership_checkpoint, aftership_tracking
from .webhook_security import WebhookSecurityTests

NUMBER = "1Z999AA10123456784"
BASE = timezone.now() - timedelta(days=2)
TAGS = {"a": "InTransit", "b": "InTransit", "c": "OutForDelivery", "d": "Delivered"}


def _tracking(events: list[str]) -> dict:
    checkpoints = [
        aftership_checkpoint((BASE + timedelta(hours=5 * "abcd".index(e))).isoformat(), TAGS[e],
                             message=f"event {e}")
        for e in events
    ]
    return aftership_tracking(NUMBER, checkpoints, tag=TAGS[events[-1]], slug="ups")


@pytest.fixture
def receiver(tracking_channel):
    order = factories.make_order(lines=1, parcels=1, channel=tracking_channel,
                                 tracking_numbers=[NUMBER])
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    return Parcel.objects.get(order_id=order.pk)


class TestAfterShipPush(WebhookSecurityTests):
    path = "/webhooks/aftership"
    signature_header = webhooks.AFTERSHIP_SIGNATURE_HEADER
    secret = "whsec-test"

    def sign(self, body: bytes, secret: str) -> str:
        return webhooks.sign(secret, body)

    def payload(self, events: list[str]) -> dict:
        return {"event": "tracking_update", "event_id": "e-" + "".join(events),
                "is_tracking_first_tag": False, "msg": _tracking(events), "ts": 1714557600}

    def stored(self) -> int:
        return TrackingEvent.objects.count()

    def state(self):
        return tuple(Parcel.objects.values_list("status", "last_event_at", "status_detail"))

    def test_push_moves_the_parcel_and_stops_polling(self, client, receiver, carrier_server):
        body = self.body(["a", "b", "c", "d"])
        assert self.post(client, body, self.sign(body, self.secret)).json()["parcels"] == 1
        receiver.refresh_from_db()
        assert receiver.status == "delivered" and receiver.push_updates
        assert receiver.next_check_at is None
        Parcel.objects.filter(pk=receiver.pk).update(next_check_at=timezone.now())
        assert poll_due_parcels().due == 0
        assert carrier_server.calls == {}

    def test_unknown_numbers_are_acknowledged(self, client, receiver):
        payload = self.payload(["a"])
        payload["msg"]["tracking_number"] = "RR123456785DE"
        import json

        body = json.dumps(payload).encode()
        response = self.post(client, body, self.sign(body, self.secret))
        assert response.status_code == 200 and response.json()["parcels"] == 0

    def test_without_a_configured_secret_everything_is_refused(self, client, receiver):
        factories.make_channel("default-channel", aftership_webhook_secret="")
        body = self.body(["a"])
        assert self.post(client, body, self.sign(body, "")).status_code == 401
        assert self.stored() == 0

    @pytest.mark.parametrize("when", ["0001-01-01T00:00:00+14:00", "1970-01-01T00:00:00Z",
                                      "9999-12-31T23:59:59-12:00"])
    def test_an_impossible_event_time_is_refused_and_the_page_still_loads(
        self, client, receiver, when
    ):
        """Hypothesis found it: year 1 at +14:00 was stored as 1 BC, and every later read of
        the parcel's events (its status page included) failed with a DataError."""
        import json
        from types import SimpleNamespace

        from tests.web.conftest import page_url

        payload = self.payload(["a"])
        payload["msg"]["checkpoints"][0]["checkpoint_time"] = when
        body = json.dumps(payload).encode()
        response = self.post(client, body, self.sign(body, self.secret))
        assert response.status_code in (200, 400) and self.stored() == 0
        page = client.get(page_url(SimpleNamespace(pk=receiver.order_id)))
        assert page.status_code == 200
