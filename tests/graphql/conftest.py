"""GraphQL fixtures: POST to the real endpoint through Django's test client."""

from __future__ import annotations

import json

import pytest

from saleor_aftersales.core.links import make_token
from saleor_aftersales.orchestration import lifecycle
from sandbox.factories import make_api_token

URL = "/plugins/channel/default-channel/io.github.saleor-aftersales/graphql/"


@pytest.fixture
def gql(client):
    """``gql(query, variables=None, token=None, **headers) -> (status, body)``."""

    def call(query, variables=None, token=None, url=URL, **headers):
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        response = client.post(
            url,
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **headers,
        )
        return response.status_code, response.json()

    return call


def process(order):
    """Run the lifecycle for an order and its fulfillments, as Saleor's hooks would."""
    lifecycle.handle_order_event(str(order.pk), "order_created")
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
    return order


def status_token(order) -> str:
    return make_token(str(order.pk), order.channel.slug)


@pytest.fixture
def staff_token(channel):
    return make_api_token("staff", ("MANAGE_ORDERS",), email="staff@example.com")


@pytest.fixture
def plugins_token(channel):
    return make_api_token("app", ("MANAGE_PLUGINS",))
