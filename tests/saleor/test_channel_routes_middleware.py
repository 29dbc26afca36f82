"""The plugin's channel routes answered by our middleware in a real Saleor 3.23.

With ``saleor_aftersales.web.middleware.ChannelRoutes`` last in Saleor's ``MIDDLEWARE``, the
same URLs give the same answers as Saleor's plugin routing, without Saleor loading the
channel's plugins; everything else (Saleor's GraphQL) passes through. Both of Django's
handler modes: the test client (sync, as WSGI) and the async client (as Saleor's ASGI).
"""

from __future__ import annotations

import re

import graphene
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from flows import fulfill, status_path
from saleor.plugins.models import PluginConfiguration

from saleor_aftersales import tasks
from saleor_aftersales.core.ids import PLUGIN_ID
from tests.channel_routes import list_last, served

TRACKING = "00340434161094042557"
ORDER_NUMBER = "query order($id: ID!) { order(id: $id) { number } }"


@pytest.fixture
def shipped(
    aftersales,
    order_with_lines,
    staff_api_client,
    permission_group_manage_orders,
    warehouse,
    django_capture_on_commit_callbacks,
):
    """Saleor's order, told to the plugin and fulfilled through ``orderFulfill``."""
    with django_capture_on_commit_callbacks(execute=True):
        tasks.handle_order_event_task.delay(str(order_with_lines.pk), "order_created")
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    assert fulfill(staff_api_client, order_with_lines, warehouse, TRACKING)["errors"] == []
    return order_with_lines


@pytest.fixture
def direct(settings):
    list_last(settings)


def _visible(html: bytes) -> bytes:
    """A page without what differs on every response (CSP nonce, form token)."""
    html = re.sub(rb'nonce="[^"]*"', b"", html)
    return re.sub(rb'name="csrf_token" value="[^"]*"', b"", html)


def test_status_page_is_the_same_page_without_saleors_plugin_loading(shipped, settings):
    url = status_path(shipped)
    with CaptureQueriesContext(connection) as routed:
        through_saleor = Client().get(url)
    assert through_saleor.status_code == 200
    assert through_saleor.wsgi_request.resolver_match is not None  # Saleor's URL routing

    list_last(settings)
    with CaptureQueriesContext(connection) as direct_queries:
        direct_page = Client().get(url)
    assert direct_page.status_code == 200
    assert direct_page.wsgi_request.resolver_match is None  # answered before URL routing
    assert TRACKING.encode() in direct_page.content
    assert _visible(direct_page.content) == _visible(through_saleor.content)
    csp = [
        re.sub(r"'nonce-[^']*'", "", r["Content-Security-Policy"])
        for r in (direct_page, through_saleor)
    ]
    assert csp[0] == csp[1] and "frame-ancestors" in csp[0]
    # Saleor's manager reads the channel and its plugin rows; ours reads one row
    saleor_tables = [q["sql"] for q in routed.captured_queries if "plugins_pluginconf" in q["sql"]]
    ours = [q["sql"] for q in direct_queries.captured_queries if "plugins_pluginconf" in q["sql"]]
    assert len(ours) == 1 < len(saleor_tables)
    assert len(direct_queries.captured_queries) < len(routed.captured_queries)


def test_async_handler_serves_the_page_and_passes_the_rest_through(
    shipped, direct, transactional_db
):
    # AsyncClient drives the middleware chain as Saleor's ASGI handler does; its sync views
    # run in another thread, hence committed rows (transactional_db)
    url = status_path(shipped)
    page, other_plugin = served(url, "/plugins/channel/main/mirumee.payments.dummy/x")
    assert page.status_code == 200 and TRACKING.encode() in page.content
    assert page.asgi_request.resolver_match is None
    assert other_plugin.asgi_request.resolver_match is not None  # Saleor's own routing


def test_saleors_graphql_passes_through(shipped, direct, staff_api_client):
    gid = graphene.Node.to_global_id("Order", shipped.pk)
    answer = staff_api_client.post_graphql(ORDER_NUMBER, {"id": gid})
    assert answer.status_code == 200
    assert answer.json()["data"]["order"]["number"] == str(shipped.number)


def test_unknown_channel_and_switched_off_plugin_are_not_found(shipped, direct, aftersales):
    url = status_path(shipped)
    other = url.replace("/channel/main/", "/channel/no-such-channel/")
    assert Client().get(other).status_code == 404
    PluginConfiguration.objects.filter(pk=aftersales.pk).update(active=False)
    assert Client().get(url).status_code == 404


def test_other_plugins_routes_stay_saleors(shipped, direct):
    other_plugin = Client().get("/plugins/channel/main/mirumee.payments.dummy/anything")
    assert other_plugin.wsgi_request.resolver_match is not None  # Saleor's own routing
    health = Client().get(f"/plugins/channel/main/{PLUGIN_ID}/health")
    assert health.status_code == 200 and health.json()["channel"] == "main"
