"""Tracking APIs (DHL, AfterShip) and which carrier a shipping method uses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .fields import Field

FIELDS: tuple[Field, ...] = (
    Field(
        "dhl_api_key",
        "secret",
        "",
        _("DHL API key"),
        _("Key of the DHL Shipment Tracking - Unified API."),
    ),
    Field(
        "dhl_api_url",
        "url",
        "https://api-eu.dhl.com/track/shipments",
        _("DHL API URL"),
        _("Leave as is unless DHL tells you otherwise."),
    ),
    Field(
        "aftership_api_key", "secret", "", _("AfterShip API key"), _("AfterShip tracking API key.")
    ),
    Field(
        "aftership_api_url",
        "url",
        "https://api.aftership.com/tracking/2024-04",
        _("AfterShip API URL"),
        _("Leave as is unless AfterShip tells you otherwise."),
    ),
    Field(
        "aftership_webhook_secret",
        "secret",
        "",
        _("AfterShip webhook secret"),
        _("Used to verify AfterShip push notifications (HMAC-SHA256)."),
    ),
    Field(
        "karrio_carriers",
        "secret",
        "",
        _("Carrier accounts (karrio)"),
        _(
            'JSON, one entry per carrier account: {"ups": {"client_id": "…", "client_secret": '
            '"…"}}. Needs pip install saleor-aftersales[carriers].'
        ),
    ),
    Field(
        "carrier_by_shipping_method",
        "text",
        "",
        _("Carrier per shipping method"),
        _("One line per method: 'Shipping method name = carrier code' (e.g. 'Express = ups')."),
    ),
    Field(
        "default_carrier",
        "str",
        "",
        _("Default carrier"),
        _("Carrier code used when none can be detected; empty for none."),
    ),
)
