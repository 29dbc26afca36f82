"""The typed settings of one channel and how a stored configuration becomes them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .fields import EMAIL_EVENTS, RETURN_EMAIL_EVENTS, Field
from .form import FIELDS_BY_NAME


@dataclass(frozen=True)
class AftersalesConfig:
    """Typed settings of one channel; build it with :func:`parse_config`."""

    channel_slug: str = ""
    active: bool = True
    tracking_enabled: bool = True
    buy_again_enabled: bool = True
    faq_enabled: bool = True
    reviews_enabled: bool = True
    cross_sell_enabled: bool = True
    emails_enabled: bool = False
    sms_enabled: bool = False
    metadata_summary_enabled: bool = False
    storefront_url: str = ""
    checkout_url: str = ""
    product_url_template: str = ""
    status_page_url: str = ""
    shop_name: str = ""
    sender_name: str = ""
    sender_email: str = ""
    staff_email: str = ""
    brand_color: str = "#1f6feb"
    logo_url: str = ""
    review_platform_url: str = ""
    time_zone: str = ""
    support_email: str = ""
    support_phone: str = ""
    support_url: str = ""
    dhl_api_key: str = ""
    dhl_api_url: str = "https://api-eu.dhl.com/track/shipments"
    aftership_api_key: str = ""
    aftership_api_url: str = "https://api.aftership.com/tracking/2024-04"
    aftership_webhook_secret: str = ""
    karrio_carriers: str = ""
    carrier_by_shipping_method: str = ""
    default_carrier: str = ""
    handling_time_days: int = 2
    no_scan_days: int = 3
    delay_threshold_days: int = 1
    review_delay_days: int = 7
    link_validity_days: int = 90
    polling_idle_days: int = 30
    data_retention_days: int = 730
    confirmation_mode: str = "replace"
    email_events: str = ",".join(EMAIL_EVENTS)
    tracking_pixel_enabled: bool = True
    marketing_consent_rule: str = "metadata"
    delay_voucher_enabled: bool = False
    delay_voucher_percent: int = 10
    delay_voucher_validity_days: int = 30
    smtp_url: str = ""
    email_subjects: str = ""
    email_subjects_b: str = ""
    order_confirmation_template: str = "default"
    shipped_template: str = "default"
    out_for_delivery_template: str = "default"
    delivered_template: str = "default"
    ready_for_pickup_template: str = "default"
    delay_template: str = "default"
    review_request_template: str = "default"
    staff_digest_template: str = "default"
    returns_enabled: bool = False
    return_window_days: int = 30
    return_approval: str = "manual"
    return_resolutions: str = "refund,exchange,store_credit"
    return_non_returnable: str = ""
    return_reasons: str = ""
    return_address: str = ""
    return_stores: str = ""
    dhl_returns_api_url: str = "https://api-eu.dhl.com/parcel/de/shipping/returns/v1"
    dhl_returns_receiver_id: str = ""
    dhl_returns_username: str = ""
    dhl_returns_password: str = ""
    sms_api_url: str = ""
    sms_account_sid: str = ""
    sms_auth_token: str = ""
    sms_from: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def enabled_email_events(self) -> frozenset[str]:
        """Email triggers switched on (empty unless ``emails_enabled``)."""
        if not self.emails_enabled:
            return frozenset()
        events = frozenset(e.strip() for e in self.email_events.split(",") if e.strip())
        return events | frozenset(RETURN_EMAIL_EVENTS) if self.returns_enabled else events

    def email_template(self, event: str) -> str:
        """The trigger's template setting: 'default', '' (do not send) or a template source."""
        return str(getattr(self, f"{event}_template", "default"))

    @property
    def carrier_overrides(self) -> dict[str, str]:
        """Shipping method name (case-folded) → carrier code."""
        return parse_carrier_overrides(self.carrier_by_shipping_method)

    @property
    def display_name(self) -> str:
        return self.shop_name or self.sender_name or "Shop"


def parse_carrier_overrides(text: str) -> dict[str, str]:
    """Parse 'method = carrier' lines; blank lines and lines without '=' are skipped."""
    result: dict[str, str] = {}
    for line in (text or "").splitlines():
        if "=" not in line:
            continue
        method, _, carrier = line.rpartition("=")
        if method.strip() and carrier.strip():
            result[method.strip().casefold()] = carrier.strip().lower()
    return result


def _coerce(spec: Field, value: Any) -> Any:
    if value is None:
        return spec.default
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in {"true", "1", "yes", "on"}
    if spec.kind == "int":
        try:
            return int(str(value).strip())
        except ValueError:
            return value  # validate_config reports it; parse_config falls back
    return str(value).strip()


def as_mapping(configuration: list[dict] | dict | None) -> dict[str, Any]:
    """Saleor's ``[{"name": ..., "value": ...}]`` (or a plain dict) → ``{name: value}``."""
    if not configuration:
        return {}
    if isinstance(configuration, dict):
        return dict(configuration)
    return {item["name"]: item.get("value") for item in configuration if "name" in item}


#: Configurations already parsed in this process, by their raw values (Saleor builds the
#: plugin, and so parses its settings, on every request that loads plugins).
_PARSED: dict[tuple, AftersalesConfig] = {}
_PARSED_MAX = 128


def parse_config(
    configuration: list[dict] | dict | None, *, channel_slug: str = "", active: bool = True
) -> AftersalesConfig:
    """Build the typed config; unknown names go to ``extra``, bad ints fall back to defaults.

    The same raw values give the same (immutable) config object, parsed once per process.
    """
    key = _raw_key(configuration, channel_slug, active)
    if key is not None and (kept := _PARSED.get(key)) is not None:
        return kept
    config = _parse(configuration, channel_slug=channel_slug, active=active)
    if key is not None:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = config
    return config


def _raw_key(configuration: Any, channel_slug: str, active: bool) -> tuple | None:
    """A hashable copy of the raw values, or ``None`` when one is not hashable."""
    try:
        if isinstance(configuration, dict):
            items = tuple(sorted(configuration.items()))
        else:
            items = tuple((item.get("name"), item.get("value")) for item in configuration or ())
        key = (channel_slug, active, items)
        hash(key)
    except (TypeError, AttributeError):
        return None
    return key


def _parse(
    configuration: list[dict] | dict | None, *, channel_slug: str, active: bool
) -> AftersalesConfig:
    raw = as_mapping(configuration)
    values: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for name, value in raw.items():
        spec = FIELDS_BY_NAME.get(name)
        if spec is None:
            extra[name] = "" if value is None else str(value)
            continue
        coerced = _coerce(spec, value)
        if spec.kind == "int" and not isinstance(coerced, int):
            coerced = spec.default
        values[name] = coerced
    known = {f.name for f in dataclasses.fields(AftersalesConfig)}
    values = {k: v for k, v in values.items() if k in known}
    return AftersalesConfig(channel_slug=channel_slug, active=active, extra=extra, **values)


