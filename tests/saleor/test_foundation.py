"""The plugin inside a real Saleor 3.23: discovery, migrations, configuration, hooks."""

from __future__ import annotations

import importlib.metadata

import graphene
import pytest
from django.core.management import call_command
from django.db.migrations.recorder import MigrationRecorder
from flows import complete_checkout, fulfill, pay_checkout
from saleor.graphql.tests.utils import get_graphql_content
from saleor.order.models import Order
from saleor.plugins.manager import get_plugins_manager

from saleor_aftersales.models import Parcel, TrackedOrder
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.plugin import AftersalesPlugin

PLUGINS_QUERY = """
query { plugins(first: 50) { edges { node { id name
  channelConfigurations { active channel { slug } configuration { name value type label } }
} } } }
"""

PLUGIN_UPDATE = """
mutation update($id: ID!, $channelId: ID, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, channelId: $channelId, input: $input) {
    plugin { channelConfigurations { active configuration { name value } } }
    errors { field code message }
  }
}
"""


def test_entry_point_makes_the_app_installed(settings):
    eps = importlib.metadata.entry_points(group="saleor.plugins")
    ours = [ep for ep in eps if ep.name == "saleor_aftersales"]
    assert ours and ours[0].value == "saleor_aftersales.plugin:AftersalesPlugin"
    assert "saleor_aftersales" in settings.INSTALLED_APPS
    assert ours[0].load() is AftersalesPlugin


def test_listed_by_saleors_plugins_query(aftersales, staff_api_client, permission_manage_plugins):
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    content = get_graphql_content(staff_api_client.post_graphql(PLUGINS_QUERY))
    nodes = {e["node"]["id"]: e["node"] for e in content["data"]["plugins"]["edges"]}
    node = nodes[AftersalesPlugin.PLUGIN_ID]
    assert node["name"] == "Aftersales"
    main = next(c for c in node["channelConfigurations"] if c["channel"]["slug"] == "main")
    assert main["active"] is True
    # Saleor's form holds only the pointer to the Aftersales page's Settings tab: no secret
    # (not even Saleor's masked tail of one) and none of our values
    assert [(f["name"], f["type"]) for f in main["configuration"]] == [
        ("aftersales_settings_page", "OUTPUT")
    ]
    assert main["configuration"][0]["label"] == "Aftersales settings"
    assert "-key" not in str(content) and "Nordwind" not in str(content)


def test_listed_and_active_by_default_without_any_configuration(
    settings, channel_USD, staff_api_client, permission_manage_plugins
):
    settings.PLUGINS = [*settings.PLUGINS, "saleor_aftersales.plugin.AftersalesPlugin"]
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    content = get_graphql_content(staff_api_client.post_graphql(PLUGINS_QUERY))
    node = next(
        e["node"]
        for e in content["data"]["plugins"]["edges"]
        if e["node"]["id"] == AftersalesPlugin.PLUGIN_ID
    )
    main = next(c for c in node["channelConfigurations"] if c["channel"]["slug"] == "main")
    assert main["active"] is True  # found under Extensions → Installed right away …
    plugin = get_plugins_manager(allow_replica=False).get_plugin(AftersalesPlugin.PLUGIN_ID, "main")
    assert plugin.config.emails_enabled is False  # … but sends nothing until switched on


def test_migrations_are_applied_and_without_drift():
    applied = MigrationRecorder.Migration.objects.filter(app="saleor_aftersales")
    assert applied.filter(name="0001_initial").exists()
    call_command("makemigrations", "saleor_aftersales", "--check", "--dry-run", verbosity=0)


def test_plugin_update_saves_valid_and_rejects_bad_configuration(
    aftersales, staff_api_client, permission_manage_plugins, channel_USD
):
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    channel_id = graphene.Node.to_global_id("Channel", channel_USD.pk)
    ok = get_graphql_content(
        staff_api_client.post_graphql(
            PLUGIN_UPDATE,
            {
                "id": AftersalesPlugin.PLUGIN_ID,
                "channelId": channel_id,
                "input": {
                    "configuration": [
                        {"name": "review_delay_days", "value": "10"},
                        {"name": "review_platform_url", "value": "https://g.page/r/x/review"},
                    ]
                },
            },
        )
    )["data"]["pluginUpdate"]
    assert ok["errors"] == []
    aftersales.refresh_from_db()
    saved = {c["name"]: c["value"] for c in aftersales.configuration}
    assert saved["review_delay_days"] == "10"

    bad = get_graphql_content(
        staff_api_client.post_graphql(
            PLUGIN_UPDATE,
            {
                "id": AftersalesPlugin.PLUGIN_ID,
                "channelId": channel_id,
                "input": {
                    "configuration": [
                        {"name": "review_platform_url", "value": "http://insecure.example"},
                        {"name": "sender_email", "value": "nope"},
                        {"name": "delay_threshold_days", "value": "-1"},
                        {"name": "default_carrier", "value": "pigeon"},
                    ]
                },
            },
        )
    )["data"]["pluginUpdate"]
    errors = {e["field"]: e for e in bad["errors"]}  # Saleor camel-cases error fields
    assert set(errors) == {
        "reviewPlatformUrl",
        "senderEmail",
        "delayThresholdDays",
        "defaultCarrier",
    }
    assert all(e["code"] == "INVALID" for e in errors.values())
    assert "https://" in errors["reviewPlatformUrl"]["message"]
    aftersales.refresh_from_db()
    assert {c["name"]: c["value"] for c in aftersales.configuration}["sender_email"] == (
        "service@shop.example.com"
    )


def test_checkout_complete_and_fulfillment_reach_our_tasks(
    aftersales,
    user_api_client,
    staff_api_client,
    permission_group_manage_orders,
    checkout_ready_to_complete,
    transaction_item_generator,
    warehouse,
):
    pay_checkout(checkout_ready_to_complete, transaction_item_generator)
    payload = complete_checkout(user_api_client, checkout_ready_to_complete)
    assert payload["errors"] == []
    order = Order.objects.get()
    tracked = TrackedOrder.objects.get()
    assert tracked.order_id == order.pk and tracked.channel_slug == "main"

    permission_group_manage_orders.user_set.add(staff_api_client.user)
    result = fulfill(staff_api_client, order, warehouse, "00340434161094042557")
    assert result["errors"] == []
    fulfillment = order.fulfillments.get()
    parcel = Parcel.objects.get()
    assert parcel.fulfillment_id == str(fulfillment.pk)
    assert parcel.order_id == order.pk
    assert parcel.tracking_number == "00340434161094042557"


@pytest.fixture
def failing_services(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("aftersales exploded")

    monkeypatch.setattr(lifecycle, "handle_order_event", boom)
    monkeypatch.setattr(lifecycle, "handle_fulfillment_event", boom)


def test_failing_task_does_not_break_checkout_or_fulfillment(
    aftersales,
    failing_services,
    user_api_client,
    staff_api_client,
    permission_group_manage_orders,
    checkout_ready_to_complete,
    transaction_item_generator,
    warehouse,
):
    pay_checkout(checkout_ready_to_complete, transaction_item_generator)
    payload = complete_checkout(user_api_client, checkout_ready_to_complete)
    assert payload["errors"] == [] and payload["order"]["id"]
    order = Order.objects.get()
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    result = fulfill(staff_api_client, order, warehouse, "1Z999AA10123456784")
    assert result["errors"] == [] and result["fulfillments"][0]["trackingNumber"]
    assert not TrackedOrder.objects.exists()


def test_inactive_channel_is_left_alone(
    aftersales, user_api_client, checkout_ready_to_complete, transaction_item_generator
):
    aftersales.active = False
    aftersales.save()
    pay_checkout(checkout_ready_to_complete, transaction_item_generator)
    assert complete_checkout(user_api_client, checkout_ready_to_complete)["errors"] == []
    assert not TrackedOrder.objects.exists()
