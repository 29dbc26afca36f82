"""The app manifest Saleor's ``appInstall`` reads (``saleor/app/manifest_schema.py``, 3.23).

Mount and target names are Saleor's (stored lower-case, returned upper-case by
``appExtensions``). The widget and the popup have absolute URLs (Saleor stitches relative ones
only for popups, the dashboard joins a widget's by plain concatenation); the page under Orders
is relative to ``appUrl``, as the dashboard resolves app pages. No ``tokenTargetUrl``: the
plugin runs inside Saleor and needs no app token.
"""

from __future__ import annotations

from .. import __version__
from ..core.ids import PLUGIN_ID

#: The installed app's ``identifier``: extension tokens are accepted only for this app.
APP_ID = PLUGIN_ID
PERMISSIONS = ["MANAGE_ORDERS"]
#: Where the pages live, relative to the plugin's global route ``/plugins/<PLUGIN_ID>``.
PREFIX = "/dashboard"


def manifest(base_url: str) -> dict:
    """The manifest for pages under ``base_url`` (absolute, ``…/plugins/<id>/dashboard``)."""
    base = base_url.rstrip("/")
    return {
        "id": APP_ID,
        "name": "Aftersales",
        "version": __version__,
        "about": (
            "Delivery timeline, tracking, problems and messages of each order, and the "
            "Aftersales page under Orders."
        ),
        "author": "saleor-aftersales",
        "permissions": PERMISSIONS,
        "appUrl": f"{base}/",
        "requiredSaleorVersion": ">=3.22.0",
        "extensions": [
            {
                "identifier": "order-widget",
                "label": "Aftersales",
                "mount": "ORDER_DETAILS_WIDGETS",
                "target": "WIDGET",
                "permissions": PERMISSIONS,
                "url": f"{base}/order-widget",
                "options": {"widgetTarget": {"method": "GET"}},
            },
            {
                "identifier": "orders-page",
                "label": "Aftersales",
                "mount": "NAVIGATION_ORDERS",
                "target": "APP_PAGE",
                "permissions": PERMISSIONS,
                "url": "/problems",
            },
            {
                "identifier": "order-actions",
                "label": "Aftersales: tracking and messages",
                "mount": "ORDER_DETAILS_MORE_ACTIONS",
                "target": "POPUP",
                "permissions": PERMISSIONS,
                "url": f"{base}/order-popup",
            },
        ],
        "webhooks": [],
    }
