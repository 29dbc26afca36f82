"""Server settings for ``bench/load.py``: a base settings module with a bounded database pool.

Django under ASGI runs every request in its own thread, and a thread holds its own database
connection: with ``CONN_MAX_AGE = 0`` (Saleor's default) that is one connection per
request in flight, so 200 concurrent shoppers exceed PostgreSQL's ``max_connections``
(100). Django 5.1+ pools connections with psycopg's pool (``pip install psycopg[pool]``):
each worker process keeps at most ``LOAD_POOL_SIZE`` connections per database alias
(default 8), and requests beyond that wait for one instead of failing. This is how a Saleor
deployment under uvicorn bounds its connections (or with a PgBouncer in front).

``LOAD_BASE_SETTINGS`` names the module extended: ``tests.settings`` (sandbox, default) or
``saleor.settings``.
"""

from __future__ import annotations

import copy
import importlib
import os

_base = importlib.import_module(os.environ.get("LOAD_BASE_SETTINGS", "tests.settings"))
globals().update({name: value for name, value in vars(_base).items() if name.isupper()})

POOL_SIZE = int(os.environ.get("LOAD_POOL_SIZE", "8"))

DATABASES = copy.deepcopy(_base.DATABASES)
for _alias in DATABASES.values():
    _alias["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django refuses both
    _alias.setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": POOL_SIZE,
        "timeout": 30,  # seconds a request may wait for a connection
    }

# ``LOAD_CHANNEL_ROUTES=1``: the plugin's channel routes answered by our middleware
# (``saleor_aftersales.web.middleware.ChannelRoutes``, last), as the README recommends for
# production, instead of through Saleor's plugin routing
if os.environ.get("LOAD_CHANNEL_ROUTES") == "1":
    MIDDLEWARE = [*_base.MIDDLEWARE, "saleor_aftersales.web.middleware.ChannelRoutes"]
