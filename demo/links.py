"""Addresses inside the demo: the plugin's channel route and the demo's staff token."""

from __future__ import annotations

from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.core.links import make_token

#: Bearer token of the demo's staff user (sandbox ``ApiToken``), shown on the GraphQL page.
STAFF_TOKEN = "demo-staff-token"


def plugin_path(channel_slug: str) -> str:
    """Path of the plugin's channel route, as in Saleor: ``/plugins/channel/<slug>/<id>``."""
    return f"/plugins/channel/{channel_slug}/{PLUGIN_ID}"


def status_path(order_id: str, channel_slug: str) -> str:
    """The signed status-page path of an order (what every email links to)."""
    return f"{plugin_path(channel_slug)}/status/{make_token(order_id, channel_slug)}"
