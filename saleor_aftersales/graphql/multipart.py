"""GraphQL multipart requests (the graphql-multipart-request-spec, as Saleor's own endpoint
reads them): form fields ``operations`` (the JSON operation) and ``map`` (``{"0":
["variables.photos.0"]}``), and the files named by ``map``. Only paths into ``variables``
are filled, at most :data:`MAX_FILES` files, and the body is capped at
:data:`MAX_BODY_BYTES` before Django parses it.
"""

from __future__ import annotations

from typing import Any

import graphene
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError

from ..core import bodies

MAX_FILES = 3
MAX_BODY_BYTES = MAX_FILES * 5 * 1024 * 1024 + 256 * 1024


class Upload(graphene.Scalar):
    """A file of a multipart request (graphql-multipart-request-spec)."""

    @staticmethod
    def serialize(value):
        return None

    @staticmethod
    def parse_value(value):
        return value

    @staticmethod
    def parse_literal(node, _variables=None):
        return None  # files come only as variables


def _place(operations: dict, path: str, upload) -> None:
    keys = path.split(".")
    if len(keys) < 2 or keys[0] != "variables" or len(keys) > 6:
        raise bodies.BadBody('A file may only go into "variables".')
    node: Any = operations
    for index, key in enumerate(keys):
        last = index == len(keys) - 1
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            slot: Any = int(key)
        elif isinstance(node, dict) and (key in node or last):
            slot = key
        else:
            raise bodies.BadBody(f'The map path {path!r} is not in "operations".')
        if last:
            node[slot] = upload
        else:
            node = node[slot]


def operation(request: HttpRequest) -> dict:
    """The operation of a multipart request with its files in place; ``BadBody`` (400/413)
    for a body too large, unreadable fields or a map that points elsewhere."""
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > MAX_BODY_BYTES or announced <= 0:
        raise bodies.BadBody("The request is too large (3 photos of 5 MB at most).", 413)
    try:
        fields, files = request.POST, request.FILES
    except (MultiPartParserError, OSError) as exc:
        raise bodies.BadBody("The multipart body cannot be read.") from exc
    operations = bodies.loads(fields.get("operations") or "null")
    mapping = bodies.loads(fields.get("map") or "{}")
    if not isinstance(operations, dict) or not isinstance(mapping, dict):
        raise bodies.BadBody('Send "operations" as a JSON object and "map" as an object.')
    if len(mapping) > MAX_FILES or len(files) > MAX_FILES:
        raise bodies.BadBody(f"Send at most {MAX_FILES} files.")
    if not isinstance(operations.get("variables"), dict):
        operations["variables"] = {}
    for key, paths in mapping.items():
        upload = files.get(str(key))
        if upload is None or not isinstance(paths, list) or len(paths) != 1:
            raise bodies.BadBody(f"The map entry {key!r} names no file or not one path.")
        _place(operations, str(paths[0]), upload)
    return operations
