"""The shop's channels, for reports that go over every channel (``aftersales_doctor``)."""

from __future__ import annotations

from . import get_host


def channel_slugs() -> list[str]:
    """Slugs of every channel of the shop (the host's: Saleor's ``Channel`` rows, the sandbox's)."""
    return sorted(get_host().channel_slugs())
