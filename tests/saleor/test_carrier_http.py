"""L7 inside Saleor 3.23: carrier calls through Saleor's hardened client (requests-hardened)
are bounded in time and size like the default send (``stream=True`` reaches it)."""

from __future__ import annotations

import time

import pytest

from saleor_aftersales.hosts.saleor import SaleorHost
from saleor_aftersales.tracking import http
from tests.reliability.carrier_faults import declared_oversized, oversized, trickle_body
from tests.reliability.conftest import CarrierApi


@pytest.mark.parametrize("behaviour", [oversized, declared_oversized],
                         ids=["streamed", "content-length"])
def test_l7_saleor_client_refuses_an_oversized_answer(behaviour):
    with CarrierApi(behaviour) as api, pytest.raises(http.ResponseTooLarge):
        http.request("GET", api.url, send=SaleorHost().http_send, retries=0)


def test_l7_saleor_client_cuts_a_trickle_at_the_deadline():
    with CarrierApi(trickle_body) as api:
        started = time.monotonic()
        with pytest.raises(http.DeadlineExceeded):
            http.request("GET", api.url, send=SaleorHost().http_send, deadline=1.0)
        assert time.monotonic() - started < 2.0
