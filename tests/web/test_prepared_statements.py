"""``AFTERSALES_SERVER_PREPARED``: the page's statements are prepared once per connection,
and the page reads the same."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import override_settings

from saleor_aftersales.status import cache as status_cache
from saleor_aftersales.web import memo

from .conftest import page_url

pytestmark = pytest.mark.django_db


def _ours_prepared() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%saleor_aftersales_%"],
        )
        return cursor.fetchone()[0]


def _page(client, order) -> str:
    from django.core.cache import cache

    cache.delete(status_cache.entry_key(str(order.pk)))
    memo.pages.clear()
    html = client.get(page_url(order)).content.decode()
    return re.sub(r'(nonce="|value=")[^"]+"', r'\1X"', html)


def test_prepared_statements_serve_the_same_page(client, shipped_order):
    plain = _page(client, shipped_order)
    assert _ours_prepared() == 0, "off by default: Django's cursors never prepare"
    with override_settings(AFTERSALES_SERVER_PREPARED=True):
        prepared = _page(client, shipped_order)
        assert _ours_prepared() >= 1
        again = _page(client, shipped_order)
    assert prepared == plain and again == plain
