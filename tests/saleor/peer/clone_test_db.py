"""Give each xdist worker of ``make test-saleor-peer`` a copy of Saleor's test database.

With ``-n N`` pytest-django wants ``test_<name>_gw0`` … ``_gw<N-1>``; building each one applies
Saleor's 1,400 migrations (minutes per database). A missing worker database is copied from
the existing ``test_<name>`` (``CREATE DATABASE … TEMPLATE``) instead; pytest-django's
``--reuse-db`` then only applies migrations that are new. Nothing is done when the template
is missing or busy (pytest-django then builds the database itself).

Usage: python clone_test_db.py <database url> <workers>
"""

from __future__ import annotations

import sys

import dj_database_url
import psycopg
from psycopg import sql


def main(url: str, workers: int) -> None:
    conf = dj_database_url.parse(url)
    template = f"test_{conf['NAME']}"
    params = {
        "host": conf["HOST"] or None,
        "port": conf["PORT"] or None,
        "user": conf["USER"] or None,
        "password": conf["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as conn:
        existing = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
        if template not in existing:
            print(f"{template} does not exist yet: run `make test-saleor` once first")
            return
        for n in range(workers):
            name = f"{template}_gw{n}"
            if name in existing:
                continue
            try:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(template)
                    )
                )
                print(f"{name}: copied from {template}")
            except psycopg.Error as exc:
                print(f"{name}: not copied ({exc.__class__.__name__}); pytest-django builds it")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
