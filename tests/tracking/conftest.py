"""Fixtures for tracking tests: a loopback carrier server and a channel that uses it."""

from __future__ import annotations

import pytest

from saleor_aftersales.tracking import circuit
from sandbox import factories

from .fakes import FakeCarrierServer


@pytest.fixture(autouse=True)
def _fresh_circuits():
    """The shared cache is cleared per test; drop this process's view of it too."""
    circuit.forget()
    yield
    circuit.forget()


@pytest.fixture
def carrier_server():
    with FakeCarrierServer() as server:
        yield server


@pytest.fixture
def tracking_channel(db, carrier_server):
    """The default channel configured for DHL and AfterShip on the loopback server."""
    return factories.make_channel(
        "default-channel",
        shop_name="Nordwind Outfitters",
        dhl_api_key="dhl-key",
        dhl_api_url=carrier_server.dhl_url,
        aftership_api_key="as-key",
        aftership_api_url=carrier_server.aftership_url,
        aftership_webhook_secret="whsec-test",
    )
