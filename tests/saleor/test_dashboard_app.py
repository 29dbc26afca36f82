"""The dashboard app in Saleor 3.23: installed by Saleor's real ``appInstall`` from the
plugin's manifest route, listed by ``appExtensions``, and its pages opened with the token the
dashboard gets from Saleor (``AppExtension.accessToken``), as the dashboard does.

The manifest is fetched by Saleor over HTTP from a loopback server on Saleor's URLconf that
shares this test's database connection (so the uncommitted rows are visible to both).
"""

from __future__ import annotations

import graphene
import jwt
import loopback
import pytest
from saleor.account.models import User
from saleor.app.models import App, AppInstallation
from saleor.core.jwt import create_access_token_for_app_extension
from saleor.graphql.tests.fixtures import ApiClient
from saleor.graphql.tests.utils import get_graphql_content

from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.models import Parcel, Problem
from saleor_aftersales.orchestration import lifecycle

ROOT = f"/plugins/{PLUGIN_ID}/dashboard"
INSTALL = """
mutation($url: String!) {
  appInstall(input: {appName: "Aftersales", manifestUrl: $url,
                     permissions: [MANAGE_ORDERS], activateAfterInstallation: true}) {
    appInstallation { status message }
    errors { field code message }
  }
}
"""
EXTENSIONS = """
{ appExtensions(first: 20) { edges { node {
  id label mountName targetName url accessToken app { identifier }
} } } }
"""


@pytest.fixture
def shared_server(db, monkeypatch):
    """Saleor's URLconf on a loopback port, one request at a time, using this test's
    connections."""
    with loopback.serve(monkeypatch, loopback.SerialServer) as url:
        yield url


@pytest.fixture
def installed(
    aftersales, shared_server, staff_api_client, permission_manage_apps, permission_manage_orders
):
    """The app, installed through ``appInstall`` from the plugin's manifest URL."""
    url = f"{shared_server}{ROOT}/manifest.json"
    response = staff_api_client.post_graphql(
        INSTALL, {"url": url}, permissions=[permission_manage_apps, permission_manage_orders]
    )
    data = get_graphql_content(response)["data"]["appInstall"]
    assert data["errors"] == []
    failed = AppInstallation.objects.filter(manifest_url=url).first()
    assert failed is None, failed.message
    return App.objects.get(identifier=PLUGIN_ID, is_installed=True)


@pytest.fixture
def shipped(fulfilled_order):
    order = fulfilled_order
    lifecycle.handle_order_event(str(order.pk), "order_created")
    for fulfillment in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(fulfillment.pk), "fulfillment_created")
    parcel = Parcel.objects.get(order_id=order.pk)
    Problem.objects.create(
        key=f"overdue:{parcel.pk}",
        order_id=order.pk,
        channel_slug=order.channel.slug,
        parcel=parcel,
        kind="overdue",
    )
    return order


def _extensions(api_client) -> dict[str, dict]:
    content = get_graphql_content(api_client.post_graphql(EXTENSIONS))
    nodes = [e["node"] for e in content["data"]["appExtensions"]["edges"]]
    return {n["mountName"]: n for n in nodes if n["app"]["identifier"] == PLUGIN_ID}


def _widget(client, order, token: str):
    gid = graphene.Node.to_global_id("Order", order.pk)
    return client.get(f"{ROOT}/api/orders/{gid}", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_app_installs_from_the_manifest_and_lists_its_extensions(
    installed, staff_api_client, shared_server
):
    assert installed.is_active
    assert {p.codename for p in installed.permissions.all()} == {"manage_orders"}
    staff_api_client.user.user_permissions.add(*installed.permissions.all())
    found = _extensions(staff_api_client)
    assert {m: n["targetName"] for m, n in found.items()} == {
        "ORDER_DETAILS_WIDGETS": "WIDGET",
        "NAVIGATION_ORDERS": "APP_PAGE",
        "ORDER_DETAILS_MORE_ACTIONS": "POPUP",
    }
    assert found["ORDER_DETAILS_WIDGETS"]["url"] == f"{shared_server}{ROOT}/order-widget"
    assert found["ORDER_DETAILS_MORE_ACTIONS"]["url"] == f"{shared_server}{ROOT}/order-popup"
    assert found["NAVIGATION_ORDERS"]["url"] == "/problems"
    assert all(n["accessToken"] for n in found.values())


def test_widget_renders_the_order_and_its_actions_work_with_the_dashboards_token(
    installed, shipped, staff_api_client, client, permission_group_manage_orders
):
    # staff reach channels through groups (a user in no group reaches none, as in Saleor)
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    token = _extensions(staff_api_client)["ORDER_DETAILS_WIDGETS"]["accessToken"]
    response = _widget(client, shipped, token)
    assert response.status_code == 200, response.content
    body = response.content.decode()
    assert f"Aftersales of order {shipped.number}" in body and "Late" in body

    parcel = Parcel.objects.get(order_id=shipped.pk)
    response = client.post(
        f"{ROOT}/api/orders/{shipped.pk}/parcels/{parcel.pk}/tracking",
        {"carrier": "dhl", "tracking_number": "00340434161094042557"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    fulfillment = shipped.fulfillments.get()
    assert fulfillment.tracking_number == "00340434161094042557"
    assert shipped.events.filter(type="tracking_updated").exists()

    problem = Problem.objects.get(order_id=shipped.pk)
    client.post(
        f"{ROOT}/api/orders/{shipped.pk}/problems/{problem.pk}/resolve",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    problem.refresh_from_db()
    assert problem.resolved_at is not None

    page_token = _extensions(staff_api_client)["NAVIGATION_ORDERS"]["accessToken"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {page_token}"}
    response = client.get(f"{ROOT}/api/problems", **auth)
    assert response.status_code == 200 and "0 open problems" in response.content.decode()
    response = client.get(f"{ROOT}/api/insights", **auth)
    assert response.status_code == 200 and 'role="img"' in response.content.decode()
    response = client.get(f"{ROOT}/api/health", **auth)
    assert response.status_code == 200 and "migrations: all applied" in response.content.decode()
    for shell in ("/", "/problems", "/order-widget", "/order-popup"):
        assert client.get(f"{ROOT}{shell}").status_code == 200


def test_staff_without_manage_orders_is_refused(installed, shipped, client):
    user = User.objects.create(email="nobody@example.com", is_staff=True, is_active=True)
    staff_api_client = ApiClient(user=user)
    # Saleor gives such a user no extension token at all …
    assert _extensions(staff_api_client)["ORDER_DETAILS_WIDGETS"]["accessToken"] is None
    # … and a token minted for them carries no MANAGE_ORDERS, which our pages refuse.
    extension = installed.extensions.get(mount="order_details_widgets")
    token = create_access_token_for_app_extension(extension, [], staff_api_client.user, installed)
    assert _widget(client, shipped, token).status_code == 403


def test_staff_restricted_to_another_channel_is_refused(
    installed, shipped, staff_api_client, client, permission_group_manage_orders, channel_PLN
):
    group = permission_group_manage_orders
    group.restricted_access_to_channels = True
    group.save(update_fields=["restricted_access_to_channels"])
    group.channels.set([channel_PLN])
    group.user_set.add(staff_api_client.user)
    token = _extensions(staff_api_client)["ORDER_DETAILS_WIDGETS"]["accessToken"]
    assert token
    assert _widget(client, shipped, token).status_code == 403
    group.channels.add(shipped.channel)
    assert _widget(client, shipped, token).status_code == 200


def test_forged_and_foreign_tokens_are_refused(
    installed,
    shipped,
    staff_api_client,
    client,
    app,
    permission_manage_orders,
    permission_group_manage_orders,
):
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    token = _extensions(staff_api_client)["ORDER_DETAILS_WIDGETS"]["accessToken"]
    payload = jwt.decode(token, options={"verify_signature": False})
    forged = jwt.encode(payload, "not-saleors-key", algorithm="HS256")
    assert _widget(client, shipped, forged).status_code == 401
    assert _widget(client, shipped, token[:-4] + "AAAA").status_code == 401
    # a genuine Saleor token, but for another app
    app.permissions.add(permission_manage_orders)
    foreign = create_access_token_for_app_extension(
        installed.extensions.first(), [permission_manage_orders], staff_api_client.user, app
    )
    assert _widget(client, shipped, foreign).status_code == 401
    assert _widget(client, shipped, token).status_code == 200


def test_management_command_performs_the_same_install(aftersales, shared_server):
    from django.core.management import call_command

    call_command("aftersales_install_app", shared_server)
    app = App.objects.get(identifier=PLUGIN_ID)
    assert app.is_installed and app.is_active
    assert {e.mount for e in app.extensions.all()} == {
        "order_details_widgets",
        "navigation_orders",
        "order_details_more_actions",
    }
    with pytest.raises(Exception, match="already installed"):
        call_command("aftersales_install_app", shared_server)
