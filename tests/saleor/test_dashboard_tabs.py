"""The Aftersales page's FAQ, Emails and Settings tabs in Saleor 3.23, opened with the token
Saleor issues for the installed app's page (``NAVIGATION_ORDERS``), as the dashboard does.

Settings saved in the tab are what Saleor itself stores and loads (``PluginConfiguration``,
the plugins manager); Saleor's plugin form keeps only a pointer to the tab, while every value
(secrets included) stays in the same row and survives saves from either place.
"""

from __future__ import annotations

import html
import re

import graphene
import pytest
from saleor.account.models import User
from saleor.graphql.tests.fixtures import ApiClient
from saleor.graphql.tests.utils import get_graphql_content
from saleor.plugins.manager import get_plugins_manager
from saleor.plugins.models import PluginConfiguration
from test_dashboard_app import ROOT, _extensions, installed, shared_server  # noqa: F401

from saleor_aftersales.core.ids import PLUGIN_ID

PLUGIN_UPDATE = """
mutation($id: ID!, $channel: ID, $items: [ConfigurationItemInput!]) {
  pluginUpdate(id: $id, channelId: $channel, input: {configuration: $items}) {
    plugin { channelConfigurations { channel { slug }
      configuration { name value type label } } }
    errors { field message }
  }
}
"""
PLUGIN_QUERY = """
query($id: ID!) { plugin(id: $id) { channelConfigurations {
  channel { slug } configuration { name value type label helpText } } } }
"""


def _stored(row: PluginConfiguration) -> dict:
    row.refresh_from_db()
    return {item["name"]: item["value"] for item in row.configuration}


def _loaded(channel_slug: str) -> dict:
    """The configuration Saleor's own manager loads for the channel."""
    plugin = get_plugins_manager(allow_replica=False).get_plugin(PLUGIN_ID, channel_slug)
    return {item["name"]: item["value"] for item in plugin.configuration}


def _token(api_client) -> dict:
    token = _extensions(api_client)["NAVIGATION_ORDERS"]["accessToken"]
    assert token
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def manager_of_orders(installed, staff_api_client, permission_group_manage_orders):  # noqa: F811
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    return staff_api_client


@pytest.fixture
def owner(manager_of_orders, permission_manage_plugins):
    manager_of_orders.user.user_permissions.add(permission_manage_plugins)
    manager_of_orders.user = User.objects.get(pk=manager_of_orders.user.pk)  # fresh perms
    return manager_of_orders


def _form(channel: str, **changes) -> dict:
    data = {
        "channel": channel,
        "tracking_enabled": "on",
        "faq_enabled": "on",
        "shop_name": "Fjord & Fell",
        "brand_color": "#0b6e4f",
        "storefront_url": "https://shop.example.com",
        "sender_email": "service@shop.example.com",
    }
    return {**data, **changes}


def test_faq_emails_and_settings_tabs_load_with_the_dashboards_token(
    aftersales, manager_of_orders, client
):
    auth = _token(manager_of_orders)
    slug = aftersales.channel.slug
    faq = client.get(f"{ROOT}/api/faq?channel={slug}", **auth)
    assert faq.status_code == 200 and "Aftersales: questions and answers" in faq.content.decode()

    emails = client.get(f"{ROOT}/api/emails?channel={slug}", **auth)
    body = emails.content.decode()
    assert emails.status_code == 200 and "Send me a test" in body
    preview = html.unescape(re.search(r'<iframe[^>]+src="([^"]+)"', body).group(1))
    framed = client.get(preview)
    assert framed.status_code == 200 and "Nordwind Outfitters" in framed.content.decode()

    settings = client.get(f"{ROOT}/api/settings?channel={slug}", **auth)
    body = settings.content.decode()
    assert settings.status_code == 200
    assert 'value="Nordwind Outfitters"' in body and ">Carriers and timing</h2>" in body
    assert "test-key" not in body  # the stored DHL key: write-only
    # without MANAGE_PLUGINS the tab is read-only and a save is refused
    assert "Saving needs the permission to manage plugins." in body and " disabled>" in body
    before = _stored(aftersales)
    refused = client.post(f"{ROOT}/api/settings/save", _form(slug, shop_name="X"), **auth)
    assert refused.status_code == 403
    assert _stored(aftersales) == before


def test_a_save_in_the_settings_tab_is_what_saleor_stores_and_loads(aftersales, owner, client):
    slug = aftersales.channel.slug
    # a row written before some fields existed: Saleor's own update would skip them
    aftersales.configuration = [
        c for c in aftersales.configuration if c["name"] not in ("brand_color", "shop_name")
    ]
    aftersales.save()
    auth = _token(owner)
    assert (
        "Saving needs the permission"
        not in client.get(f"{ROOT}/api/settings?channel={slug}", **auth).content.decode()
    )

    response = client.post(f"{ROOT}/api/settings/save", _form(slug, dhl_api_key=""), **auth)
    assert response.status_code == 200, response.content
    assert "Settings saved." in response.content.decode()
    stored = _stored(aftersales)
    assert (stored["shop_name"], stored["brand_color"]) == ("Fjord & Fell", "#0b6e4f")
    assert stored["dhl_api_key"] == "test-key"  # an empty box keeps the secret
    assert stored["emails_enabled"] is False  # an unticked box is off
    loaded = _loaded(slug)
    assert (loaded["shop_name"], loaded["brand_color"]) == ("Fjord & Fell", "#0b6e4f")
    assert loaded["dhl_api_key"] == "test-key"

    bad = client.post(f"{ROOT}/api/settings/save", _form(slug, brand_color="red;}"), **auth)
    assert bad.status_code == 400 and _stored(aftersales)["brand_color"] == "#0b6e4f"


def test_saleors_plugin_form_shows_only_the_pointer_and_keeps_every_stored_value(
    aftersales,
    owner,
    client,
    permission_manage_plugins,
    shared_server,  # noqa: F811
):
    slug = aftersales.channel.slug
    aftersales.configuration = [c for c in aftersales.configuration if c["name"] != "brand_color"]
    aftersales.save()
    plugin_id = PLUGIN_ID
    channel_id = graphene.Node.to_global_id("Channel", aftersales.channel.pk)
    api = ApiClient(user=owner.user)

    data = get_graphql_content(
        api.post_graphql(
            PLUGIN_UPDATE,
            {
                "id": plugin_id,
                "channel": channel_id,
                "items": [
                    {"name": "shop_name", "value": "Saved in Saleor"},
                    {"name": "brand_color", "value": "#123456"},
                ],
            },
        )
    )["data"]["pluginUpdate"]
    assert data["errors"] == []
    # Saleor's form: the pointer alone, read-only, no value of ours and no secret's tail
    form = data["plugin"]["channelConfigurations"]
    items = next(c["configuration"] for c in form if c["channel"]["slug"] == slug)
    assert [(i["name"], i["type"]) for i in items] == [("aftersales_settings_page", "OUTPUT")]
    assert items[0]["value"].endswith(f"/plugins/{PLUGIN_ID}/dashboard/manifest.json")
    query = get_graphql_content(api.post_graphql(PLUGIN_QUERY, {"id": plugin_id}))
    assert "-key" not in str(query) and "Saved in Saleor" not in str(query)

    # the same row: the update of a name outside the form landed, others kept their values
    stored = _stored(aftersales)
    assert (stored["shop_name"], stored["brand_color"]) == ("Saved in Saleor", "#123456")
    assert stored["dhl_api_key"] == "test-key" and stored["sender_email"]
    assert "aftersales_settings_page" not in stored
    # … and the Settings tab shows what Saleor stored
    body = client.get(f"{ROOT}/api/settings?channel={slug}", **_token(owner)).content.decode()
    assert 'value="Saved in Saleor"' in body and 'value="#123456"' in body


def test_manage_plugins_taken_away_after_the_token_was_issued_refuses_the_save(
    aftersales, owner, client, permission_manage_plugins
):
    auth = _token(owner)
    owner.user.user_permissions.remove(permission_manage_plugins)
    response = client.post(
        f"{ROOT}/api/settings/save", _form(aftersales.channel.slug, shop_name="X"), **auth
    )
    assert response.status_code == 403
    assert _stored(aftersales)["shop_name"] == "Nordwind Outfitters"


SWITCH = """
mutation($id: ID!, $channel: ID, $active: Boolean, $items: [ConfigurationItemInput!]) {
  pluginUpdate(id: $id, channelId: $channel, input: {active: $active, configuration: $items}) {
    errors { field message }
  }
}
"""


def test_the_switch_in_saleors_form_keeps_every_value(aftersales, owner):
    """What Saleor's form sends (the switch, the read-only pointer) changes nothing else."""
    from saleor_aftersales.hosts import get_host

    before = _stored(aftersales)
    api = ApiClient(user=owner.user)
    channel_id = graphene.Node.to_global_id("Channel", aftersales.channel.pk)
    for active in (False, True):
        variables = {
            "id": PLUGIN_ID,
            "channel": channel_id,
            "active": active,
            "items": [{"name": "aftersales_settings_page", "value": "https://evil.example"}],
        }
        errors = get_graphql_content(api.post_graphql(SWITCH, variables))["data"]
        assert errors["pluginUpdate"]["errors"] == []
        aftersales.refresh_from_db()
        assert aftersales.active is active and _stored(aftersales) == before
        config = get_host().get_config(aftersales.channel.slug)
        assert (config is not None) is active
    assert config.shop_name == "Nordwind Outfitters" and config.dhl_api_key == "test-key"
