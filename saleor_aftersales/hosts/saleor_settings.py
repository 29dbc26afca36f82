"""A channel's plugin settings in Saleor 3.23, read and saved as Saleor's plugin form does.

Saving goes through ``PluginsManager.save_plugin_configuration`` (``saleor/plugins/
manager.py``): the same type cleaning, ``validate_plugin_configuration`` and
``PluginConfiguration`` row as the dashboard's plugin form and ``pluginUpdate``, so both
places show the same values. Only this module (with ``saleor.py`` and ``plugin.py``) imports
``saleor``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from ..config import FIELDS, as_mapping
from ..core.ids import PLUGIN_ID


class SaleorSettingsMixin:
    """``stored_settings`` and ``save_settings`` of :class:`~.saleor.SaleorHost`."""

    def stored_settings(self, channel_slug: str) -> tuple[bool, dict[str, Any]] | None:
        """``(active, {name: value})`` with defaults filled in; ``None``: no such channel."""
        from saleor.channel.models import Channel
        from saleor.plugins.models import PluginConfiguration

        if not Channel.objects.filter(slug=channel_slug).exists():
            return None
        defaults = {f.name: f.default for f in FIELDS}
        row = PluginConfiguration.objects.filter(
            identifier=PLUGIN_ID, channel__slug=channel_slug
        ).first()
        if row is None:
            return False, defaults
        return row.active, defaults | as_mapping(row.configuration)

    def save_settings(self, channel_slug: str, changes: dict[str, Any]) -> dict[str, str]:
        """Store ``changes``; ``{name: message}`` (nothing stored) when Saleor refuses."""
        from saleor.core.db.connection import allow_writer
        from saleor.plugins.manager import get_plugins_manager

        items = [{"name": name, "value": value} for name, value in changes.items()]
        try:
            with allow_writer():
                manager = get_plugins_manager(allow_replica=False)
                saved = manager.save_plugin_configuration(
                    PLUGIN_ID, channel_slug, {"configuration": items}
                )
        except ValidationError as exc:
            return {name: " ".join(messages) for name, messages in exc.message_dict.items()}
        return {} if saved is not None else {"channel": "The plugin is not loaded."}
