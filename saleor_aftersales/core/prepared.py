"""Querysets compiled to SQL once per process, then run with each call's values.

Building a queryset with nested subqueries and compiling it costs the ORM a few milliseconds
per call, more than PostgreSQL needs to plan and run it. A :class:`Prepared` statement
builds its queryset once, with *sentinel* values standing in for the parameters, compiles
it, and from then on executes that SQL with the caller's values in the sentinels' places.
The statement still goes through Django's cursor (execute wrappers, query logging,
transactions and the connection of the current thread all apply).

Contract:

* ``build(*sentinels)`` returns a ``values()`` queryset whose SQL does not depend on the
  values (an ``__in`` list has one statement per length: see :func:`padded`), or a dict of
  name → single-column ``values()`` querysets: then the statement is one row whose column
  ``name`` is the array of that queryset's values (``SELECT ARRAY(…) AS name, …``), which
  reads several unrelated tables in one round trip.
* Every sentinel must appear among the compiled parameters, else :class:`ValueError` on
  first use; sentinels must not equal any constant of the query.
* :meth:`Prepared.rows` returns dicts keyed by the ``values()`` names; the columns named in
  ``json`` are parsed (``jsonb`` comes from Django's connection as text, ``jsonb[]`` as a
  list of texts). Other columns are what the database driver returns (no field
  converters): keep such columns to plain types (text, numbers, timestamps, UUIDs).
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.functions import JSONObject


class Prepared:
    """One statement built and compiled on first use; see the module's contract."""

    def __init__(
        self,
        build: Callable[..., QuerySet | dict[str, QuerySet]],
        *sentinels: Any,
        json: Iterable[str] = (),
    ) -> None:
        self._build = build
        self._sentinels = sentinels
        self._json = frozenset(json)
        self._compiled: tuple[str, str, tuple, tuple[tuple[int, ...], ...]] | None = None

    def _compile(self) -> tuple[str, str, tuple, tuple[tuple[int, ...], ...]]:
        built = self._build(*self._sentinels)
        if isinstance(built, dict):
            alias = next(iter(built.values())).db
            parts, params = [], []
            for name, queryset in built.items():
                sub_sql, sub_params = queryset.query.get_compiler(alias).as_sql()
                parts.append(f"ARRAY({sub_sql}) AS {connections[alias].ops.quote_name(name)}")
                params.extend(sub_params)
            sql = "SELECT " + ", ".join(parts)
        else:
            alias = built.db
            sql, params = built.query.get_compiler(alias).as_sql()
        positions = []
        for sentinel in self._sentinels:
            found = tuple(
                i for i, p in enumerate(params) if type(p) is type(sentinel) and p == sentinel
            )
            if not found:
                raise ValueError(f"sentinel {sentinel!r} is not a parameter of the statement")
            positions.append(found)
        return alias, sql, tuple(params), tuple(positions)

    def rows(self, *values: Any) -> list[dict[str, Any]]:
        """Run the statement with ``values`` in the sentinels' places (same order)."""
        if self._compiled is None:
            self._compiled = self._compile()
        alias, sql, template, positions = self._compiled
        params = list(template)
        for places, value in zip(positions, values, strict=True):
            for index in places:
                params[index] = value
        with _cursor(alias) as cursor:
            cursor.execute(sql, params)
            names = [column.name for column in cursor.description]
            found = cursor.fetchall()
        return [self._row(names, row) for row in found]

    def _row(self, names: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
        result = dict(zip(names, row, strict=True))
        for name in self._json.intersection(result):
            result[name] = _parse(result[name])
        return result


def server_prepared(connection) -> bool:
    """Whether :class:`Prepared` statements bind on the server and are prepared there.

    ``settings.AFTERSALES_SERVER_PREPARED`` decides when set (``True`` or ``False``).
    Unset, they are prepared where that is safe and pays: PostgreSQL, connections that
    outlive a request (``CONN_MAX_AGE`` other than 0, or Django's connection pool), and no
    transaction-pooling proxy declared. Behind PgBouncer in transaction mode (before 1.21, or
    without ``max_prepared_statements``) a prepared statement can be lost or meet another
    client's of the same name; Django requires ``DISABLE_SERVER_SIDE_CURSORS`` there for the
    same reason, so that setting turns preparing off too. With a new connection per request
    a statement would be prepared for one use: no gain, one more round trip.
    """
    if connection.vendor != "postgresql":
        return False
    explicit = getattr(settings, "AFTERSALES_SERVER_PREPARED", None)
    if explicit is not None:
        return bool(explicit)
    db = connection.settings_dict
    if db.get("DISABLE_SERVER_SIDE_CURSORS"):
        return False
    return db.get("CONN_MAX_AGE", 0) != 0 or bool((db.get("OPTIONS") or {}).get("pool"))


def _cursor(alias: str):
    """Django's cursor for ``alias``, or, where :func:`server_prepared`, one that binds
    parameters on the server, so that psycopg prepares the statement on its first run per
    connection and PostgreSQL parses and plans it once (most of the page's order statement's
    time). Django turns psycopg's preparing off for every connection
    (``prepare_threshold=None``); only :class:`Prepared` statements prepare, Django's own
    cursors bind on the client and never do.
    """
    connection = connections[alias]
    if not server_prepared(connection):
        return connection.cursor()
    try:
        from django.db.backends.postgresql.base import ServerBindingCursor  # psycopg 3 only
    except ImportError:
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = 0  # prepare at first run; client-binding cursors never do
    return connection._prepare_cursor(ServerBindingCursor(raw))


def _parse(value: Any) -> Any:
    if isinstance(value, str):
        return jsonlib.loads(value)
    if isinstance(value, list):
        return [_parse(item) for item in value]
    return value


def padded(values: Sequence[Any], filler: Any) -> list[Any]:
    """``values`` padded with ``filler`` to the next power of two (at least 1 long).

    For an ``__in`` list in a :class:`Prepared` statement: a few statement lengths serve any
    number of values, with a ``filler`` that matches no row.
    """
    size = 1
    while size < len(values):
        size *= 2
    return [*values, *([filler] * (size - len(values)))]


def json_of(model: type[Model], fields: Iterable[str] | None = None) -> JSONObject:
    """A JSON object of a model row's columns (by ``attname``; all concrete fields by
    default), for :func:`instances` to turn back into model instances."""
    names = fields or [f.attname for f in model._meta.concrete_fields]
    return JSONObject(**{name: name for name in names})


def instances(model: type[Model], rows: Iterable[dict[str, Any]]) -> list[Model]:
    """Model instances from :func:`json_of` rows, converted as the fields read form values
    (ISO timestamps and dates, UUIDs, decimals). Fields missing from a row are deferred."""
    fields = model._meta.concrete_fields
    db = router.db_for_read(model)
    result = []
    for row in rows:
        # from_db wants the values in the model's field order (JSON objects have none)
        names = [f.attname for f in fields if f.attname in row]
        values = [
            None if row[f.attname] is None else f.to_python(row[f.attname])
            for f in fields
            if f.attname in row
        ]
        result.append(model.from_db(db, names, values))
    return result
