"""Data retention: forget what is older than each channel's ``data_retention_days``."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ..hosts import get_host
from ..hosts.base import Host
from ..models import EngagementEvent, NotificationLog, TrackedOrder, TrackingEvent


def purge_old_data(host: Host | None = None) -> dict[str, int]:
    """Delete old tracking and engagement events and blank old recipients, per channel.

    Channels where the plugin is inactive keep their data (the owner may switch it back on).
    Returns counts per kind, for logs and tests.
    """
    host = host or get_host()
    counts = {"tracking_events": 0, "engagement_events": 0, "recipients_erased": 0}
    channels = TrackedOrder.objects.values_list("channel_slug", flat=True).distinct()
    for slug in channels:
        config = host.get_config(slug)
        if config is None:
            continue
        cutoff = timezone.now() - timedelta(days=config.data_retention_days)
        counts["tracking_events"] += TrackingEvent.objects.filter(
            parcel__channel_slug=slug, occurred_at__lt=cutoff
        ).delete()[0]
        counts["engagement_events"] += EngagementEvent.objects.filter(
            channel_slug=slug, created_at__lt=cutoff
        ).delete()[0]
        counts["recipients_erased"] += (
            NotificationLog.objects.filter(channel_slug=slug, created_at__lt=cutoff)
            .exclude(recipient="")
            .update(recipient="")
        )
    return counts
