"""Root conftest of the Saleor suite: reuse Saleor's own fixtures and test settings.

Saleor's root ``conftest.py`` lists its fixture modules in ``pytest_plugins``, which pytest
only accepts in the rootdir conftest; this file is that rootdir conftest and takes them over.
``SALEOR_ROOT`` (set by ``make test-saleor``) is the directory holding Saleor's ``conftest.py``.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

import pytest

_root = Path(os.environ["SALEOR_ROOT"]) / "conftest.py"
globals().update(
    {k: v for k, v in runpy.run_path(str(_root)).items() if not k.startswith("__")}
)

# The repository root, so loopback stand-ins of the main suite (tests.tracking.fakes) are shared.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PLUGIN_PATH = "saleor_aftersales.plugin.AftersalesPlugin"


@pytest.fixture
def aftersales(settings, channel_USD):
    """The plugin loaded by Saleor's manager and configured for channel "main"."""
    from saleor.plugins.models import PluginConfiguration

    from saleor_aftersales.plugin import AftersalesPlugin

    settings.PLUGINS = [*settings.PLUGINS, PLUGIN_PATH]
    settings.AFTERSALES_HOST = "saleor_aftersales.hosts.saleor.SaleorHost"
    # ``AFTERSALES_SERVER_PREPARED=1 make test-saleor``: every read statement of ours
    # prepared on the server (core/prepared.py), against Saleor's real schema; unset, the
    # default decides (Saleor's test database connection: CONN_MAX_AGE 0, not prepared)
    if os.environ.get("AFTERSALES_SERVER_PREPARED"):
        settings.AFTERSALES_SERVER_PREPARED = os.environ["AFTERSALES_SERVER_PREPARED"] == "1"
    config = [
        *AftersalesPlugin.DEFAULT_CONFIGURATION,
    ]
    overrides = {
        "shop_name": "Nordwind Outfitters",
        "storefront_url": "https://shop.example.com",
        "checkout_url": "https://shop.example.com/checkout?checkout={checkout_id}",
        "sender_email": "service@shop.example.com",
        "dhl_api_key": "test-key",
    }
    config = [
        {"name": c["name"], "value": overrides.get(c["name"], c["value"])} for c in config
    ]
    return PluginConfiguration.objects.create(
        identifier=AftersalesPlugin.PLUGIN_ID,
        name=AftersalesPlugin.PLUGIN_NAME,
        channel=channel_USD,
        active=True,
        configuration=config,
    )


@pytest.fixture
def set_config(aftersales):
    """Change configuration values of the channel's plugin row."""

    def update(**values):
        conf = {c["name"]: c["value"] for c in aftersales.configuration}
        conf.update(values)
        aftersales.configuration = [{"name": k, "value": v} for k, v in conf.items()]
        aftersales.save()
        return aftersales

    return update
