"""Federation v1: _service SDL, _entities for Saleor's Order, authorisation pass-through."""

from __future__ import annotations

import uuid

import pytest
from graphql_relay import to_global_id

from sandbox import factories
from sandbox.factories import make_api_token

from .conftest import process

pytestmark = pytest.mark.django_db

ENTITIES = """
query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    __typename
    ... on Order {
      id
      aftersales {
        orderId number state
        parcels { trackingNumber status }
        personal { name email }
      }
    }
  }
}
"""


def rep(order) -> dict:
    return {"__typename": "Order", "id": to_global_id("Order", str(order.pk))}


def test_service_sdl_extends_saleors_order(gql, channel):
    _, body = gql("{ _service { sdl } }")
    sdl = body["data"]["_service"]["sdl"]
    assert 'extend type Order @key(fields: "id") {\n  id: ID! @external\n' in sdl
    assert "aftersales(language: String): AftersalesStatus" in sdl
    assert "schema {" not in sdl and "_Entity" not in sdl and "_Any" not in sdl
    # every type we add is prefixed, so nothing clashes with Saleor's schema
    own = [
        line.split()[1] for line in sdl.splitlines()
        if line.startswith(("type ", "enum ", "input ", "union ", "interface "))
    ]
    assert own and all(n.startswith("Aftersales") or n in ("Query", "Mutation") for n in own)


@pytest.fixture
def orders(make_order):
    mine = process(
        make_order(
            lines=2, parcels=2, tracking_numbers=["00340434161094042557", "1Z999AA10123456785"]
        )
    )
    theirs = process(make_order(lines=1, parcels=1, email="someone@example.com"))
    return mine, theirs


def test_staff_get_aftersales_through_entities(gql, orders, staff_token):
    mine, theirs = orders
    _, body = gql(ENTITIES, {"reps": [rep(mine), rep(theirs)]}, token=staff_token)
    assert "errors" not in body, body
    first, second = body["data"]["_entities"]
    assert first["__typename"] == "Order" and first["id"] == rep(mine)["id"]
    assert first["aftersales"]["number"] == str(mine.number)
    assert [p["trackingNumber"] for p in first["aftersales"]["parcels"]] == [
        "00340434161094042557", "1Z999AA10123456785"
    ]
    assert first["aftersales"]["personal"]["email"] == "erika@example.com"
    assert second["aftersales"]["personal"]["email"] == "someone@example.com"


def test_customer_sees_own_order_only(gql, orders):
    mine, theirs = orders
    customer = make_api_token("customer", (), email="Erika@Example.com")
    _, body = gql(ENTITIES, {"reps": [rep(mine), rep(theirs)]}, token=customer)
    own, other = body["data"]["_entities"]
    assert own["aftersales"]["personal"]["name"] == "Erika Mustermann"
    assert other["id"] == rep(theirs)["id"] and other["aftersales"] is None


@pytest.mark.parametrize(
    "who",
    ["anonymous", "staff of another channel", "staff without permission",
     "app without permission", "app with MANAGE_PLUGINS only"],
)
def test_aftersales_is_null_for_callers_without_access(gql, orders, who):
    factories.make_channel("other-channel")
    token = {
        "anonymous": None,
        "staff of another channel": make_api_token(
            "staff", ("MANAGE_ORDERS",), channels=["other-channel"]
        ),
        "staff without permission": make_api_token("staff", ("MANAGE_PRODUCTS",)),
        "app without permission": make_api_token("app", ("HANDLE_PAYMENTS",)),
        "app with MANAGE_PLUGINS only": make_api_token("app", ("MANAGE_PLUGINS",)),
    }[who]
    mine, _ = orders
    _, body = gql(ENTITIES, {"reps": [rep(mine)]}, token=token)
    assert body["data"]["_entities"] == [{"__typename": "Order", "id": rep(mine)["id"],
                                          "aftersales": None}]
    _, direct = gql(
        "query($id: ID!) { aftersalesOrder(id: $id) { number } }", {"id": rep(mine)["id"]},
        token=token,
    )
    assert direct["data"]["aftersalesOrder"] is None
    assert direct["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_app_with_manage_orders_and_direct_query(gql, orders):
    mine, _ = orders
    app = make_api_token("app", ("MANAGE_ORDERS",))
    _, body = gql(
        "query($id: ID!) { aftersalesOrder(id: $id, language: \"de\") { number languageCode } }",
        {"id": rep(mine)["id"]}, token=app,
    )
    assert body["data"]["aftersalesOrder"] == {"number": str(mine.number), "languageCode": "de"}


@pytest.mark.parametrize(
    "representation,message",
    [
        ({"__typename": "Product", "id": "x"}, "unsupported model for __typename"),
        ({"id": "x"}, "unsupported model for __typename"),
        ({"__typename": "Order"}, "Missing required field: id"),
        ("Order", "must be an object"),
    ],
)
def test_bad_representations(gql, channel, staff_token, representation, message):
    _, body = gql(ENTITIES, {"reps": [representation]}, token=staff_token)
    assert message in body["errors"][0]["message"]


def test_unknown_or_malformed_order_ids_resolve_to_null(gql, channel, staff_token):
    reps = [
        {"__typename": "Order", "id": to_global_id("Order", str(uuid.UUID(int=0)))},
        {"__typename": "Order", "id": to_global_id("Product", "1")},
        {"__typename": "Order", "id": "%%%not-base64"},
    ]
    _, body = gql(ENTITIES, {"reps": reps}, token=staff_token)
    assert [e["aftersales"] for e in body["data"]["_entities"]] == [None, None, None]


def test_entity_limit(gql, channel, staff_token, settings):
    settings.AFTERSALES_FEDERATION_MAX_ENTITIES = 2
    reps = [{"__typename": "Order", "id": to_global_id("Order", str(i))} for i in range(3)]
    _, body = gql(ENTITIES, {"reps": reps}, token=staff_token)
    assert "exceeded entity limit" in body["errors"][0]["message"]
