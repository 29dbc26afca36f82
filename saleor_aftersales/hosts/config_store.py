"""A channel's stored settings for the dashboard's Settings tab, through the host.

The host keeps them where the shop does: Saleor's ``PluginConfiguration``, saved by Saleor's
own path (``saleor_settings.py``), or the sandbox's channel. Values are checked here first
with the same rules as Saleor's plugin form (``config.validate_config``) on the merged result.
"""

from __future__ import annotations

from typing import Any

from ..config import validate_config
from . import get_host


def read(channel_slug: str) -> tuple[bool, dict[str, Any]] | None:
    """``(active, {name: stored value or default})``; ``None`` if there is no such channel."""
    return get_host().stored_settings(channel_slug)


def write(channel_slug: str, changes: dict[str, Any]) -> dict[str, str]:
    """Store ``changes``; ``{name: message}`` and nothing stored if any value is wrong."""
    current = read(channel_slug)
    if current is None:
        return {"channel": "Unknown channel."}
    errors = validate_config({**current[1], **changes})
    return errors or get_host().save_settings(channel_slug, changes)
