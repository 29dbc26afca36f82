"""Composition with a real federation gateway from the npm registry (Apollo Gateway).

The gateway (``tests/saleor/gateway``) composes our subgraph, served by Django's live server,
with a graphene 2 stand-in for Saleor that owns ``Order``. The Saleor suite reuses the same
harness against Saleor 3.23 itself. Skipped when node/npm (node >= 20) are missing or the npm
registry cannot be reached.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import urllib.request
from pathlib import Path

import pytest
from graphql_relay import to_global_id

from sandbox.factories import make_api_token, make_channel, make_order

from .conftest import process
from .standin_saleor import standin_saleor

HARNESS_PATH = Path(__file__).resolve().parents[1] / "saleor" / "gateway" / "harness.py"
_spec = importlib.util.spec_from_file_location("gateway_harness", HARNESS_PATH)
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)

REASON = harness.unavailable_reason()
pytestmark = [
    pytest.mark.skipif(REASON is not None, reason=REASON or ""),
    pytest.mark.django_db(transaction=True),
]

QUERY = """
query($id: ID!) {
  order(id: $id) {
    number
    aftersales { parcels { trackingNumber status } }
  }
}
"""


@pytest.fixture(scope="module")
def gateway_installed():
    try:
        harness.install()
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        pytest.skip(f"npm ci failed (npm registry unreachable?): {str(detail)[-500:]}")


def _post(url: str, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url, data=json.dumps({"query": query, "variables": variables}).encode(), headers=headers
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_gateway_composes_saleor_order_with_aftersales(live_server, gateway_installed):
    channel = make_channel("default-channel", shop_name="Nordwind Outfitters")
    order = process(
        make_order(
            lines=2, parcels=2, channel=channel,
            tracking_numbers=["00340434161094042557", "1Z999AA10123456785"],
        )
    )
    staff = make_api_token("staff", ("MANAGE_ORDERS",))
    order_id = to_global_id("Order", str(order.pk))
    ours = f"{live_server.url}/plugins/channel/default-channel/io.github.saleor-aftersales/graphql/"

    with standin_saleor({order_id: str(order.number)}) as saleor_url, harness.running_gateway(
        [{"name": "saleor", "url": saleor_url}, {"name": "aftersales", "url": ours}]
    ) as gateway_url:
        with_staff = _post(gateway_url, QUERY, {"id": order_id}, token=staff)
        anonymous = _post(gateway_url, QUERY, {"id": order_id})

    assert "errors" not in with_staff, with_staff
    assert with_staff["data"]["order"] == {
        "number": str(order.number),
        "aftersales": {
            "parcels": [
                {"trackingNumber": "00340434161094042557", "status": "PENDING"},
                {"trackingNumber": "1Z999AA10123456785", "status": "PENDING"},
            ]
        },
    }
    # the Authorization header is what grants access: without it, aftersales is null
    assert anonymous["data"]["order"] == {"number": str(order.number), "aftersales": None}
