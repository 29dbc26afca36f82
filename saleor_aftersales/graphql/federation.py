"""Apollo Federation v1, as Saleor 3.23 does it: ``_service { sdl }`` and ``_entities``.

Our subgraph extends Saleor's ``Order`` entity::

    extend type Order @key(fields: "id") {
      id: ID! @external
      aftersales: AftersalesStatus
    }

The gateway sends Saleor's global order id (base64 ``"Order:<uuid>"``) and forwards the
caller's ``Authorization`` header. ``aftersales`` resolves for staff/apps with
``MANAGE_ORDERS`` in the order's channel and for the customer who owns the order (with
personal data); for anyone else it is ``null``.
"""

from __future__ import annotations

import binascii
from typing import Any

import graphene
from django.conf import settings
from graphql import GraphQLArgument, GraphQLError, GraphQLField, GraphQLList, GraphQLNonNull
from graphql.utils.schema_printer import print_schema
from graphql_relay import from_global_id

from ..hosts import get_host
from ..orchestration.status_view import build_status_view
from .auth import get_principal, may_read_order
from .types import AftersalesStatus

MAX_ENTITIES_DEFAULT = 100
FEDERATION_TYPES = ("_Any", "_Entity", "_Service")


def order_uuid(global_id: Any) -> str | None:
    """The UUID in Saleor's global order id, or ``None`` when it is not one."""
    if not isinstance(global_id, str) or not global_id:
        return None
    try:
        type_name, value = from_global_id(global_id)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        return None
    if type_name != "Order" or not value:
        return None
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def status_for_caller(request, order_id: str, language: str | None = None):
    """The order's status view for an authorised caller (with personal data), else ``None``."""
    host = get_host()
    order = host.get_order(order_id)
    if order is None or not may_read_order(get_principal(request), order):
        return None
    config = host.get_config(order.channel_slug)
    if config is None:
        return None
    return build_status_view(order, config, verified=True, language=language, host=host)


class Order(graphene.ObjectType):
    """Saleor's order, extended with its aftersales status."""

    id = graphene.ID(required=True)
    aftersales = graphene.Field(
        AftersalesStatus,
        language=graphene.String(description="en or de; default: the order's language."),
        description="Delivery timeline, parcels, buy again, FAQ and review state. Null unless "
        "the caller is staff/app with MANAGE_ORDERS in the order's channel or the customer "
        "who placed the order.",
    )

    @staticmethod
    def resolve_aftersales(root, info, language=None):
        order_id = order_uuid(root.id)
        if order_id is None:
            return None
        return status_for_caller(info.context, order_id, language)


class _Any(graphene.Scalar):
    """_Any value scalar as defined by the Federation spec."""

    @staticmethod
    def serialize(value):
        return value

    @staticmethod
    def parse_literal(node):
        return node

    @staticmethod
    def parse_value(value):
        return value


class _Entity(graphene.Union):
    """_Entity union as defined by the Federation spec."""

    class Meta:
        types = (Order,)


class _Service(graphene.ObjectType):
    """_Service manifest as defined by the Federation spec."""

    sdl = graphene.String()


def resolve_entities(_root, _info, representations):
    limit = getattr(settings, "AFTERSALES_FEDERATION_MAX_ENTITIES", MAX_ENTITIES_DEFAULT)
    if limit and len(representations) > limit:
        raise GraphQLError(
            f"Federated query exceeded entity limit: {len(representations)} items requested "
            f"over {limit}."
        )
    entities = []
    for representation in representations:
        if not isinstance(representation, dict):
            raise GraphQLError("Invalid type for 'representation' field: must be an object")
        typename = representation.get("__typename")
        if typename != "Order":
            raise GraphQLError("Invalid value or unsupported model for __typename")
        global_id = representation.get("id")
        if not isinstance(global_id, str) or not global_id:
            raise GraphQLError("Missing required field: id")
        entities.append(Order(id=global_id))
    return entities


def federation_sdl(schema: graphene.Schema) -> str:
    """The subgraph SDL: our types, ``Order`` as an extension with its key, no fed types."""
    sdl = print_schema(schema)
    start = sdl.find("schema {")
    if start != -1:
        end = sdl.find("}", start) + 1
        sdl = sdl[:start] + sdl[end:]
    blocks = [b.strip() for b in sdl.strip().split("\n\n") if b.strip()]
    kept = []
    for block in blocks:
        head = block.split("{", 1)[0].split("=", 1)[0].split()
        if len(head) >= 2 and head[1] in FEDERATION_TYPES:
            continue
        if block.startswith("type Order {"):
            block = block.replace("type Order {", 'extend type Order @key(fields: "id") {', 1)
            block = block.replace("  id: ID!\n", "  id: ID! @external\n", 1)
        kept.append(block)
    return "\n\n".join(kept) + "\n"


def add_federation_fields(schema: graphene.Schema, sdl: str, resolve_entities) -> None:
    """Put federation v1's ``_entities`` and ``_service { sdl }`` on ``schema``'s ``Query``.

    ``schema`` must hold an ``_Any`` scalar, an ``_Entity`` union of ``Order`` and a
    ``_Service`` type; ``resolve_entities(root, info, representations)`` returns the orders.
    """
    entity_type = schema.get_type("_Entity")
    entity_type.resolve_type = lambda instance, info: schema.get_type("Order")
    query_type = schema.get_type("Query")
    query_type.fields["_entities"] = GraphQLField(
        GraphQLList(entity_type),
        args={
            "representations": GraphQLArgument(
                GraphQLNonNull(GraphQLList(GraphQLNonNull(schema.get_type("_Any"))))
            )
        },
        resolver=resolve_entities,
    )
    query_type.fields["_service"] = GraphQLField(
        schema.get_type("_Service"), resolver=lambda _root, _info: {"sdl": sdl}
    )


def build_federated_schema(query, mutation) -> graphene.Schema:
    """Our schema plus ``_entities`` and ``_service`` on ``Query`` (as Saleor builds its own)."""
    sdl_schema = graphene.Schema(query=query, mutation=mutation, types=[Order])
    sdl = federation_sdl(sdl_schema)
    schema = graphene.Schema(
        query=query, mutation=mutation, types=[Order, _Any, _Entity, _Service]
    )
    add_federation_fields(schema, sdl, resolve_entities)
    schema.federation_sdl = sdl
    return schema
