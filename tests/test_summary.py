"""Zero-integration fallback: status link and summary in the order's public metadata."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from saleor_aftersales.models import Parcel, TrackedOrder
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.orchestration.summary import refresh_order_summary, write_order_summary
from sandbox import factories
from sandbox import models as shop
from sandbox.host import SandboxHost

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def summary_on(channel):
    """The summary is opt-in per channel (off by default); these tests switch it on."""
    return factories.make_channel("default-channel", metadata_summary_enabled=True)


def _metadata(order) -> dict:
    return shop.Order.objects.get(pk=order.pk).metadata


def test_lifecycle_writes_link_and_summary(client, make_order):
    order = make_order(lines=2, parcels=1, metadata={"marketing_consent": "true"})
    lifecycle.handle_order_event(str(order.pk), "order_created")

    meta = _metadata(order)
    assert meta["marketing_consent"] == "true"  # the shop's own keys stay
    assert meta["aftersales.status"] in ("partially_shipped", "shipped", "in_transit")
    assert meta["aftersales.summary"]
    url = meta["aftersales.status_url"]
    assert "/plugins/channel/default-channel/io.github.saleor-aftersales/status/" in url
    assert client.get(url).status_code == 200  # the link opens the status page


def test_summary_mentions_the_estimate_in_the_order_language(make_order):
    order = make_order(lines=1, parcels=1, language_code="de")
    lifecycle.handle_order_event(str(order.pk), "order_created")
    eta = date.today() + timedelta(days=3)
    Parcel.objects.filter(order_id=order.pk).update(status="in_transit", estimated_delivery=eta)
    assert refresh_order_summary(str(order.pk)) is True
    meta = _metadata(order)
    assert meta["aftersales.estimated_delivery"] == eta.isoformat()
    months = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
              "September", "Oktober", "November", "Dezember"]
    # the page's German date style (CLDR long, with the dot after the day), not "14.03.25"
    expected = f"Voraussichtlich bis {eta.day}. {months[eta.month - 1]} {eta.year}."
    assert expected in meta["aftersales.summary"]


def test_unchanged_summary_is_not_written_again(make_order):
    order = make_order(lines=1, parcels=1)
    lifecycle.handle_order_event(str(order.pk), "order_created")
    stored = shop.Order.objects.get(pk=order.pk)
    stored.metadata = {**stored.metadata, "aftersales.summary": "edited by hand"}
    stored.save()

    lifecycle.handle_order_event(str(order.pk), "order_updated")
    assert _metadata(order)["aftersales.summary"] == "edited by hand"  # nothing written

    Parcel.objects.filter(order_id=order.pk).update(status="delivered")
    lifecycle.handle_order_event(str(order.pk), "order_updated")
    meta = _metadata(order)
    assert meta["aftersales.status"] == "delivered"
    assert meta["aftersales.summary"] != "edited by hand"


class EchoingHost(SandboxHost):
    """A shop whose metadata write fires the order hook again, synchronously."""

    def __init__(self) -> None:
        self.writes = 0

    def set_order_public_metadata(self, order_id, items):
        self.writes += 1
        if self.writes > 5:
            raise AssertionError("metadata writes loop")
        super().set_order_public_metadata(order_id, items)
        lifecycle.handle_order_event(order_id, "order_updated", host=self)


def test_own_metadata_write_does_not_loop(make_order):
    host = EchoingHost()
    order = make_order(lines=1, parcels=1)
    lifecycle.handle_order_event(str(order.pk), "order_created", host=host)
    assert host.writes == 1
    assert "aftersales.status_url" in _metadata(order)


class FailingHost(SandboxHost):
    def set_order_public_metadata(self, order_id, items):
        raise RuntimeError("shop database unavailable")


def test_failed_write_is_retried_next_time(make_order):
    order = make_order(lines=1, parcels=1)
    with pytest.raises(RuntimeError):
        lifecycle.handle_order_event(str(order.pk), "order_created", host=FailingHost())
    assert TrackedOrder.objects.get(order_id=order.pk).summary_hash == ""
    assert "aftersales.summary" not in _metadata(order)
    lifecycle.handle_order_event(str(order.pk), "order_updated")
    assert "aftersales.summary" in _metadata(order)


def test_switched_off(make_order, channel):
    factories.make_channel("default-channel", metadata_summary_enabled=False)
    order = make_order(lines=1, parcels=1)
    lifecycle.handle_order_event(str(order.pk), "order_created")
    assert not any(k.startswith("aftersales.") for k in _metadata(order))
    ctx = lifecycle.load(str(order.pk))
    assert write_order_summary(ctx) is False
