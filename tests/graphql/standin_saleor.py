"""A tiny stand-in for Saleor's GraphQL API: a federation v1 subgraph with ``Order``.

Served with graphene 2 (as Saleor) over ``http.server`` on loopback::

    type Order @key(fields: "id") { id: ID! number: String }
    type Query { order(id: ID!): Order }

``orders`` maps Saleor global order ids to order numbers. Like Saleor it answers
``_service { sdl }`` and ``_entities``.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import graphene
from graphql import graphql
from graphql.utils.schema_printer import print_schema

from saleor_aftersales.graphql.federation import _Any, _Service, add_federation_fields


def build_schema(orders: dict[str, str]) -> graphene.Schema:
    class Order(graphene.ObjectType):
        id = graphene.ID(required=True)
        number = graphene.String()

    class Query(graphene.ObjectType):
        order = graphene.Field(Order, id=graphene.ID(required=True))

        @staticmethod
        def resolve_order(_root, _info, id):
            return Order(id=id, number=orders[id]) if id in orders else None

    class _Entity(graphene.Union):
        class Meta:
            types = (Order,)

    sdl = print_schema(graphene.Schema(query=Query))
    sdl = sdl[sdl.index("}", sdl.index("schema {")) + 1 :].strip()
    sdl = sdl.replace("type Order {", 'type Order @key(fields: "id") {')
    schema = graphene.Schema(query=Query, types=[_Any, _Entity, _Service])
    add_federation_fields(
        schema, sdl,
        lambda _root, _info, representations: [
            Order(id=r["id"], number=orders.get(r["id"])) for r in representations
        ],
    )
    return schema


@contextmanager
def standin_saleor(orders: dict[str, str]):
    """Serve the stand-in on 127.0.0.1; yield its GraphQL URL."""
    schema = build_schema(orders)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            result = graphql(
                schema, body["query"], variable_values=body.get("variables") or {},
                operation_name=body.get("operationName"),
            )
            payload = {"data": result.data}
            if result.errors:
                payload["errors"] = [{"message": str(e)} for e in result.errors]
            raw = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/graphql/"
    finally:
        server.shutdown()
        server.server_close()
