"""The committed SDL is what the code serves; a change to the schema must update it."""

from __future__ import annotations

from pathlib import Path

import saleor_aftersales.graphql
from saleor_aftersales.graphql.schema import sdl

COMMITTED = Path(saleor_aftersales.graphql.__file__).parent / "schema.graphql"
REFRESH = (
    "DJANGO_SETTINGS_MODULE=demo.settings python -m saleor_aftersales.graphql.print_sdl "
    "> saleor_aftersales/graphql/schema.graphql"
)


def test_committed_sdl_matches_the_code():
    assert COMMITTED.read_text() == sdl(), f"schema drifted; refresh with: {REFRESH}"


def test_service_sdl_is_the_committed_one(client, db):
    import json

    from sandbox.factories import make_channel

    from .conftest import URL

    make_channel("default-channel")
    response = client.post(
        URL, data=json.dumps({"query": "{ _service { sdl } }"}), content_type="application/json"
    )
    assert response.json()["data"]["_service"]["sdl"] == COMMITTED.read_text()
