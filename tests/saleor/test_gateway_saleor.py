"""Apollo Federation: a real gateway composes Saleor 3.23's schema with ours.

The gateway (from the npm registry, ``tests/saleor/gateway``) reads both SDLs through
``_service``, plans ``order(id) { number aftersales { … } }`` across Saleor and our subgraph,
and forwards the caller's ``Authorization`` header to both. What a storefront gets:

- anonymously: Saleor 3.23 answers ``order(id)`` with the order's public fields (its id is
  an unguessable UUID), but ``aftersales`` is null: ours needs a token that proves access
  (or the shopper's signed status token through ``aftersalesStatus``);
- with a customer token: Saleor returns the customer's own order, and our ``aftersales``
  resolves for the customer who owns it (by user id or email);
- with a staff token with MANAGE_ORDERS (and access to the channel): both.

Both subgraphs are served by one in-process HTTP server that shares this test's database
connection, so the test's uncommitted data is visible and rolled back afterwards.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import urllib.request
from pathlib import Path

import graphene
import loopback
import pytest
from flows import fulfill
from saleor.core.jwt import create_access_token

from saleor_aftersales import tasks

HARNESS_PATH = Path(__file__).resolve().parent / "gateway" / "harness.py"
_spec = importlib.util.spec_from_file_location("gateway_harness", HARNESS_PATH)
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)
REASON = harness.unavailable_reason()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")

QUERY = """
query($id: ID!) {
  order(id: $id) { number aftersales { parcels { trackingNumber status } } }
}
"""


@pytest.fixture
def shared_server(db, monkeypatch):
    """Saleor's URLconf on a loopback port, using this test's connections."""
    with loopback.serve(monkeypatch) as url:
        yield url


def _post(url: str, variables: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"query": QUERY, "variables": variables}).encode()
    request = urllib.request.Request(url, data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_gateway_composes_saleor_order_with_aftersales(
    aftersales,
    shared_server,
    staff_api_client,
    permission_group_manage_orders,
    order_with_lines,
    warehouse,
    django_capture_on_commit_callbacks,
):
    try:
        harness.install()
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"npm ci failed (npm registry unreachable?): {str(exc)[-300:]}")
    order = order_with_lines
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.handle_order_event_task.delay(str(order.pk), "order_created")
    assert fulfill(staff_api_client, order, warehouse, "00340434161094042557")["errors"] == []
    token = create_access_token(staff_api_client.user)
    order_id = graphene.Node.to_global_id("Order", order.pk)
    subgraphs = [
        {"name": "saleor", "url": f"{shared_server}/graphql/"},
        {
            "name": "aftersales",
            "url": f"{shared_server}/plugins/channel/main/io.github.saleor-aftersales/graphql/",
        },
    ]
    with harness.running_gateway(subgraphs) as gateway_url:
        staff = _post(gateway_url, {"id": order_id}, token=token)
        anonymous = _post(gateway_url, {"id": order_id})

    assert "errors" not in staff, staff
    assert staff["data"]["order"] == {
        "number": str(order.number),
        "aftersales": {
            "parcels": [{"trackingNumber": "00340434161094042557", "status": "PENDING"}]
        },
    }
    # Saleor answers an anonymous order(id) with the order's public fields (the UUID-based
    # id works as a bearer secret); our part stays null without a token that proves access.
    assert anonymous["data"]["order"] == {"number": str(order.number), "aftersales": None}
