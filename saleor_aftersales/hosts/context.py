"""One order as loaded for an event: the host's view, its channel configuration, our row.

``orchestration.loading.load`` builds it; services (``tracking.service.sync_parcels``,
``notifications.rules.on_lifecycle_event``) and the status rules (``status.timeline``) take it,
so the type lives here, below all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import AftersalesConfig
from ..models import TrackedOrder
from .base import Host, OrderView


@dataclass(frozen=True)
class Context:
    """An order with its channel configuration, as loaded for one event."""

    order: OrderView
    config: AftersalesConfig
    tracked: TrackedOrder
    host: Host
