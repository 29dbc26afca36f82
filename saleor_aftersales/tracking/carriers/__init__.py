"""One module per tracking API behind :class:`base.CarrierClient`; :func:`client_for` picks."""

from __future__ import annotations

from ...config import AftersalesConfig
from .. import http
from .aftership import AfterShipClient
from .base import CarrierClient
from .dhl import DhlClient
from .karrio_client import KarrioClient

#: Tried in order: the shop's own carrier accounts (karrio), the carrier's own API, then
#: the aggregator.
CLIENTS: tuple[type[CarrierClient], ...] = (KarrioClient, DhlClient, AfterShipClient)


def client_for(
    carrier: str | None, config: AftersalesConfig, send: http.Send | None = None
) -> CarrierClient | None:
    """The first configured API that can track ``carrier``, or ``None``."""
    for cls in CLIENTS:
        client = cls(config, send=send)
        if client.supports(carrier) and client.configured():
            return client
    return None
