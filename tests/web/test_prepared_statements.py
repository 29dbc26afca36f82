"""Prepared statements (:func:`core.prepared.server_prepared`): where connections outlive a
request and no transaction-pooling proxy is declared, the page's statements are parsed and
planned once per connection; the page reads the same either way."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import override_settings

from saleor_aftersales.status import cache as status_cache
from saleor_aftersales.web import memo

from .conftest import page_url

pytestmark = pytest.mark.django_db


def _runs_of_ours_prepared() -> int:
    """How often this connection ran one of our statements as a prepared statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(generic_plans + custom_plans), 0) FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%saleor_aftersales_%"],
        )
        return cursor.fetchone()[0]


def _page(client, order) -> str:
    from django.core.cache import cache

    cache.delete(status_cache.entry_key(str(order.pk)))
    memo.pages.clear()
    html = client.get(page_url(order)).content.decode()
    html = re.sub(r'(nonce="|value=")[^"]+"', r'\1X"', html)
    # each call signs a new link, stamped to the second: two calls may straddle one
    return re.sub(r"/status/[^/?\"]+", "/status/LINK", html)


def _prepared_while(client, order, **database) -> tuple[bool, str]:
    """Serve a first view with the connection's settings changed by ``database``; whether
    our statements ran prepared, and the page."""
    saved = {key: connection.settings_dict.get(key) for key in database}
    connection.settings_dict.update(database)
    try:
        before = _runs_of_ours_prepared()
        html = _page(client, order)
        return _runs_of_ours_prepared() > before, html
    finally:
        connection.settings_dict.update(saved)


def test_a_new_connection_per_request_prepares_nothing(client, shipped_order):
    prepared, _ = _prepared_while(client, shipped_order, CONN_MAX_AGE=0)
    assert not prepared, "a statement prepared for one request would only cost a round trip"


def test_persistent_connections_prepare_and_serve_the_same_page(client, shipped_order):
    _, plain = _prepared_while(client, shipped_order, CONN_MAX_AGE=0)
    prepared, html = _prepared_while(client, shipped_order, CONN_MAX_AGE=60)
    assert prepared
    again_prepared, again = _prepared_while(client, shipped_order, CONN_MAX_AGE=None)
    assert again_prepared, "unlimited persistence (None) is persistent too"
    assert html == plain and again == plain


def test_a_declared_transaction_pooler_prepares_nothing(client, shipped_order):
    prepared, _ = _prepared_while(
        client, shipped_order, CONN_MAX_AGE=60, DISABLE_SERVER_SIDE_CURSORS=True
    )
    assert not prepared, "behind PgBouncer in transaction mode a statement can be lost"


def test_the_owner_decides_when_the_setting_is_given(client, shipped_order):
    with override_settings(AFTERSALES_SERVER_PREPARED=False):
        prepared, _ = _prepared_while(client, shipped_order, CONN_MAX_AGE=60)
        assert not prepared
    with override_settings(AFTERSALES_SERVER_PREPARED=True):
        _, plain = _prepared_while(client, shipped_order, CONN_MAX_AGE=0)
        prepared, html = _prepared_while(client, shipped_order, CONN_MAX_AGE=0)
        assert prepared and html == plain
