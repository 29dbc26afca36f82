"""Zero-integration fallback: a short status summary in the order's public metadata."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lifecycle import Context


def write_order_summary(ctx: Context) -> None:
    """Write the status link and summary to public metadata when they changed."""
    if not ctx.config.metadata_summary_enabled:
        return
