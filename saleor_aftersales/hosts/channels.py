"""The shop's channels, for reports that go over every channel (``aftersales_doctor``)."""

from __future__ import annotations

from . import get_host


def channel_slugs() -> list[str]:
    """Slugs of every channel of the shop (Saleor's ``Channel`` rows or the sandbox's)."""
    if get_host().name == "saleor":
        from saleor.channel.models import Channel
    else:
        from sandbox.models import Channel
    return sorted(Channel.objects.values_list("slug", flat=True))
