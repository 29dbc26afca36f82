"""One ``UPDATE … FROM unnest(…)`` for many rows: Django's ``bulk_update`` builds a CASE
per field and row, which costs more CPU than the poll itself at a few hundred parcels."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models

try:  # psycopg 3's client-binding cursor, which may send two statements in one message
    from psycopg import ClientCursor as _ClientCursor
except ImportError:  # psycopg2
    _ClientCursor = None


def bulk_update(objs: Sequence[models.Model], fields: Sequence[str], using: str = "default"):
    """Write ``fields`` of every object in one statement (PostgreSQL), else Django's way."""
    if not objs or not fields:
        return
    model = type(objs[0])
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._default_manager.using(using).bulk_update(objs, fields)
        return
    meta = model._meta
    pk = meta.pk
    columns = [meta.get_field(name) for name in fields]
    arrays = [[pk.get_db_prep_save(o.pk, connection) for o in objs]]
    casts = [f"%s::{pk.rel_db_type(connection)}[]"]
    for field in columns:
        arrays.append([field.get_db_prep_save(getattr(o, field.attname), connection)
                       for o in objs])
        casts.append(f"%s::{field.db_type(connection)}[]")
    qn = connection.ops.quote_name
    names = ["pk_", *[f"c{i}" for i in range(len(columns))]]
    assignments = ", ".join(
        f"{qn(field.column)} = v.{name}" for field, name in zip(columns, names[1:], strict=True)
    )
    sql = (
        f"UPDATE {qn(meta.db_table)} SET {assignments} "  # noqa: S608 - names from the model
        f"FROM unnest({', '.join(casts)}) AS v({', '.join(names)}) "
        f"WHERE {qn(meta.db_table)}.{qn(pk.column)} = v.pk_"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)


def insert_ignore(
    objs: Sequence[models.Model], *, returning: str | None = None, using: str = "default"
) -> set | None:
    """Insert rows, skipping those that violate a unique constraint, in one statement.

    Returns the ``returning`` column's values of the rows actually inserted (PostgreSQL;
    other databases fall back to ``bulk_create(ignore_conflicts=True)`` and return ``None``).
    """
    if not objs:
        return set() if returning else None
    model = type(objs[0])
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._default_manager.using(using).bulk_create(objs, ignore_conflicts=True)
        return None
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    arrays = [
        [field.get_db_prep_save(field.pre_save(o, True), connection) for o in objs]
        for field in fields
    ]
    qn = connection.ops.quote_name
    casts = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    columns = ", ".join(qn(field.column) for field in fields)
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({columns}) "  # noqa: S608 - names from the model
        f"SELECT * FROM unnest({casts}) ON CONFLICT DO NOTHING"
    )
    if returning:
        sql += f" RETURNING {qn(meta.get_field(returning).column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)
        return {row[0] for row in cursor.fetchall()} if returning else None


def insert(obj: models.Model, using: str = "default", *, synchronous: bool = True) -> None:
    """Insert ``obj`` as a new row with one plain ``INSERT``: no ``RETURNING`` (its primary
    key stays unset) and no model signals. For append-only rows written on hot paths.

    ``synchronous=False`` (PostgreSQL, outside any transaction, client-side binding): the
    row's own transaction commits without waiting for its WAL flush
    (``SET LOCAL synchronous_commit TO OFF`` in the same round trip). The row is visible at
    once and survives any crash of ours; only a crash of the database server within about
    0.6 s (3 x ``wal_writer_delay``) can lose it. For rows worth that trade: engagement
    counts, never orders or messages. Inside a transaction, or with server-side binding,
    it is a plain insert (a ``SET LOCAL`` there would cover the caller's writes too).
    """
    meta = obj._meta
    connection = connections[using]
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        if not synchronous and _own_transaction(connection, cursor):
            # one simple-protocol message with two statements is one implicit transaction:
            # the SET LOCAL ends with it, and a failed INSERT rolls both back
            sql = f"SET LOCAL synchronous_commit TO OFF; {sql}"
        cursor.execute(sql, params)


def _own_transaction(connection, cursor) -> bool:
    """Whether a statement sent now runs in a transaction of its own (autocommit, no atomic
    block) through a client-binding psycopg cursor, which may send two statements at once."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    if not connection.get_autocommit():
        return False
    if _ClientCursor is None:  # psycopg2 binds on the client too, and sends statements as given
        return True
    return isinstance(getattr(cursor, "cursor", None), _ClientCursor)
