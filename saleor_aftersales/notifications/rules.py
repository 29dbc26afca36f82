"""Lifecycle event → messages to send (filled in by the notifications feature)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..lifecycle import Context
    from ..models import Parcel


def on_lifecycle_event(ctx: Context, event: str, changed_parcels: list[Parcel]) -> None:
    """Queue the messages an event triggers; sends nothing while emails are switched off."""
    if not ctx.config.enabled_email_events:
        return
