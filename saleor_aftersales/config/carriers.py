"""Tracking APIs (DHL, AfterShip) and which carrier a shipping method uses."""

from __future__ import annotations

from .fields import Field

FIELDS: tuple[Field, ...] = (
    Field(
        "dhl_api_key",
        "secret",
        "",
        "DHL API key",
        "Key of the DHL Shipment Tracking - Unified API.",
    ),
    Field(
        "dhl_api_url",
        "url",
        "https://api-eu.dhl.com/track/shipments",
        "DHL API URL",
        "Leave as is unless DHL tells you otherwise.",
    ),
    Field("aftership_api_key", "secret", "", "AfterShip API key", "AfterShip tracking API key."),
    Field(
        "aftership_api_url",
        "url",
        "https://api.aftership.com/tracking/2024-04",
        "AfterShip API URL",
        "Leave as is unless AfterShip tells you otherwise.",
    ),
    Field(
        "aftership_webhook_secret",
        "secret",
        "",
        "AfterShip webhook secret",
        "Used to verify AfterShip push notifications (HMAC-SHA256).",
    ),
    Field(
        "karrio_carriers",
        "secret",
        "",
        "Carrier accounts (karrio)",
        'JSON, one entry per carrier account: {"ups": {"client_id": "…", "client_secret": '
        '"…"}}. Needs pip install saleor-aftersales[carriers].',
    ),
    Field(
        "carrier_by_shipping_method",
        "text",
        "",
        "Carrier per shipping method",
        "One line per method: 'Shipping method name = carrier code' (e.g. 'Express = ups').",
    ),
    Field(
        "default_carrier",
        "str",
        "",
        "Default carrier",
        "Carrier code used when none can be detected; empty for none.",
    ),
)
