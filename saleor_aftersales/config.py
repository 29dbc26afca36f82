"""Per-channel settings: one declaration drives the Saleor form, validation and the dataclass.

``FIELDS`` is the single source. ``plugin.py`` turns it into Saleor's ``CONFIG_STRUCTURE`` and
``DEFAULT_CONFIGURATION``; ``parse_config`` turns a stored configuration (Saleor's list of
``{"name", "value"}`` dicts) into a typed, frozen :class:`AftersalesConfig`;
``validate_config`` returns field-keyed error messages a shop owner understands.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

Kind = Literal[
    "bool", "str", "int", "url", "https_url", "email", "color", "secret", "text", "choice"
]

CARRIER_CODES: tuple[str, ...] = (
    "dhl",
    "dhl_express",
    "dhl_ecommerce",
    "deutsche_post",
    "dpd",
    "hermes",
    "gls",
    "ups",
    "fedex",
    "usps",
    "postnl",
    "royal_mail",
    "austrian_post",
    "swiss_post",
)


@dataclass(frozen=True)
class Field:
    """One configuration field as the shop owner sees it in the dashboard."""

    name: str
    kind: Kind
    default: Any
    label: str
    help: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()


EMAIL_EVENTS: tuple[str, ...] = (
    "order_confirmation",
    "shipped",
    "out_for_delivery",
    "delivered",
    "ready_for_pickup",
    "delay",
    "review_request",
    "staff_digest",
)
#: Return emails: sent with emails and returns both on (not listed in ``email_events``).
RETURN_EMAIL_EVENTS: tuple[str, ...] = (
    "return_requested",
    "return_approved",
    "return_rejected",
    "return_received",
    "return_resolved",
)

FIELDS: tuple[Field, ...] = (
    # --- features -------------------------------------------------------------------------
    Field(
        "tracking_enabled",
        "bool",
        True,
        "Shipment tracking",
        "Detect carriers, build tracking links and follow parcels.",
    ),
    Field(
        "buy_again_enabled",
        "bool",
        True,
        "Buy again",
        "Offer the shopper to put the order's items into a new checkout.",
    ),
    Field("faq_enabled", "bool", True, "FAQ", "Show FAQ entries on the status page."),
    Field(
        "reviews_enabled",
        "bool",
        True,
        "Review prompts",
        "Ask for a rating once the order is delivered.",
    ),
    Field(
        "cross_sell_enabled",
        "bool",
        True,
        "Cross-selling",
        "Show products bought together with the purchased ones (marketing consent rules apply).",
    ),
    Field(
        "emails_enabled",
        "bool",
        False,
        "Send emails to shoppers",
        "Master switch for outbound emails. Off until you have checked sender and templates.",
    ),
    Field(
        "sms_enabled",
        "bool",
        False,
        "Send SMS / WhatsApp",
        "Master switch for text messages through the HTTP provider below.",
    ),
    Field(
        "metadata_summary_enabled",
        "bool",
        False,
        "Write status to order metadata",
        "Put the status link and a short delivery summary into the order's public metadata "
        "(keys aftersales.*). Off by default: Saleor copies the checkout's metadata into the "
        "order, and integrations that sync or compare order metadata would see these keys.",
    ),
    # --- storefront -----------------------------------------------------------------------
    Field(
        "storefront_url",
        "url",
        "",
        "Storefront URL",
        "Your shop's address, e.g. https://shop.example.com.",
    ),
    Field(
        "checkout_url",
        "url",
        "",
        "Checkout URL",
        "Where buy again sends the shopper; {checkout_id} and {token} are replaced.",
    ),
    Field(
        "product_url_template",
        "url",
        "",
        "Product URL template",
        "Product page address; {slug} is replaced, e.g. https://shop.example.com/products/{slug}.",
    ),
    Field(
        "status_page_url",
        "url",
        "",
        "Public status page base URL",
        "The public address of this plugin's channel route; leave empty to derive it "
        "from the API host.",
    ),
    # --- brand ----------------------------------------------------------------------------
    Field("shop_name", "str", "", "Shop name", "Shown on the status page and in emails."),
    Field("sender_name", "str", "", "Sender name", "Name in the From header of emails."),
    Field("sender_email", "email", "", "Sender address", "Address in the From header of emails."),
    Field(
        "staff_email",
        "email",
        "",
        "Staff address",
        "Receives the digest of problems that need your attention.",
    ),
    Field("brand_color", "color", "#1f6feb", "Brand colour", "Hex colour, e.g. #1f6feb."),
    Field("logo_url", "url", "", "Logo URL", "An https image shown on the page and in emails."),
    Field(
        "review_platform_url",
        "https_url",
        "",
        "Review platform URL",
        "Where shoppers go after rating, e.g. your Google review link (https only).",
    ),
    Field(
        "time_zone",
        "str",
        "",
        "Shop time zone",
        "IANA name such as Europe/Berlin; dates and times are shown in it, with the zone. "
        "Empty: UTC.",
    ),
    Field(
        "support_email",
        "email",
        "",
        "Support email",
        "Where shoppers write about an order; shown in the page's help block.",
    ),
    Field(
        "support_phone",
        "str",
        "",
        "Support phone",
        "Phone number shown in the page's help block, e.g. +49 30 1234567.",
    ),
    Field(
        "support_url",
        "https_url",
        "",
        "Support page URL",
        "Your help or contact page, shown in the page's help block (https only).",
    ),
    # --- carriers -------------------------------------------------------------------------
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
    # --- timing ---------------------------------------------------------------------------
    Field(
        "handling_time_days",
        "int",
        2,
        "Handling time (business days)",
        "An order not shipped after this many business days is flagged.",
        0,
        60,
    ),
    Field(
        "no_scan_days",
        "int",
        3,
        "Days without first scan",
        "A parcel with a label but no carrier scan after this many days is flagged.",
        1,
        60,
    ),
    Field(
        "delay_threshold_days",
        "int",
        1,
        "Delay threshold (days)",
        "Days past the estimated date before a parcel counts as delayed.",
        0,
        60,
    ),
    Field(
        "review_delay_days",
        "int",
        7,
        "Review request delay (days)",
        "Days after delivery before the review request is sent.",
        0,
        365,
    ),
    Field(
        "link_validity_days",
        "int",
        90,
        "Link validity (days)",
        "How long status links in emails and the widget stay valid.",
        1,
        730,
    ),
    Field(
        "polling_idle_days",
        "int",
        30,
        "Stop polling after idle days",
        "Stop asking the carrier after this many days without news.",
        1,
        180,
    ),
    Field(
        "data_retention_days",
        "int",
        730,
        "Data retention (days)",
        "Tracking events and engagement older than this are deleted.",
        30,
        3650,
    ),
    # --- emails ---------------------------------------------------------------------------
    Field(
        "confirmation_mode",
        "choice",
        "replace",
        "Order confirmation",
        "'replace' (default): we send the order confirmation, with the status link; switch "
        "Saleor's own confirmation off (User emails plugin: empty its order confirmation "
        "template) so the shopper gets one. "
        "'block': Saleor sends its confirmation and we send none. Saleor's confirmation "
        "cannot carry the status link, not even with the metadata summary on: Saleor builds it "
        "before the plugin has written anything, so the shopper's first email with the link "
        "is our shipped email. "
        "'off': we send none; the link comes only with our later emails.",
        choices=("block", "replace", "off"),
    ),
    Field(
        "email_events",
        "str",
        ",".join(EMAIL_EVENTS),
        "Email triggers",
        "Comma-separated triggers to send: " + ", ".join(EMAIL_EVENTS) + ".",
    ),
    Field(
        "tracking_pixel_enabled",
        "bool",
        True,
        "Track opens and clicks",
        "Only for recipients who consented to marketing.",
    ),
    Field(
        "marketing_consent_rule",
        "choice",
        "metadata",
        "Marketing consent rule",
        "'metadata': consent when the order's metadata key 'marketing_consent' is 'true'; "
        "'always': no consent needed in your market; 'never': no marketing at all.",
        choices=("metadata", "always", "never"),
    ),
    Field(
        "delay_voucher_enabled",
        "bool",
        False,
        "Voucher on delay",
        "Include a one-time voucher in the delay apology.",
    ),
    Field(
        "delay_voucher_percent",
        "int",
        10,
        "Voucher value (%)",
        "Percentage discount of the delay voucher.",
        1,
        100,
    ),
    Field(
        "delay_voucher_validity_days",
        "int",
        30,
        "Voucher validity (days)",
        "Days the delay voucher stays valid.",
        1,
        365,
    ),
    Field(
        "smtp_url",
        "secret",
        "",
        "SMTP URL",
        "Own SMTP server as smtp://user:pass@host:port (empty: Saleor's email settings).",
    ),
    Field(
        "email_subjects",
        "text",
        "",
        "Email subjects",
        "One line per trigger to replace the shipped subject: 'trigger = subject'; "
        "may use {{ order.number }} and {{ shop.name }}.",
    ),
    Field(
        "email_subjects_b",
        "text",
        "",
        "Subject A/B test (variant B)",
        "One line per trigger, 'trigger = subject': orders are split between the subject "
        "and this variant; opens and clicks are reported per variant.",
    ),
    *(
        Field(
            f"{event}_template",
            "text",
            "default",
            f"Template: {event.replace('_', ' ')}",
            "'default' uses the shipped template; empty means do not send; anything else "
            "is your own Django HTML template.",
        )
        for event in EMAIL_EVENTS
    ),
    # --- returns (returns/rules.py reads these) ---------------------------------------------
    Field(
        "returns_enabled",
        "bool",
        False,
        "Returns",
        "Let shoppers return delivered items from the status page.",
    ),
    Field(
        "return_window_days",
        "int",
        30,
        "Return window (days)",
        "Days after delivery in which a parcel's items can be returned.",
        1,
        365,
    ),
    Field(
        "return_approval",
        "choice",
        "manual",
        "Return approval",
        "'manual': staff approve each return; 'auto': returns are approved at once.",
        choices=("manual", "auto"),
    ),
    Field(
        "return_resolutions",
        "str",
        "refund,exchange,store_credit",
        "Return resolutions",
        "Comma-separated: refund, exchange, store_credit.",
    ),
    Field(
        "return_non_returnable",
        "text",
        "",
        "Not returnable",
        "One product type name or product slug per line. A product (or product type) with "
        "the metadata key 'aftersales.returnable' set to 'false' cannot be returned either.",
    ),
    Field(
        "return_reasons",
        "text",
        "",
        "Return reasons",
        "One per line: 'code = English | Deutsch'. Empty: the shipped reasons. Ignored when "
        "Saleor's return reason model is set (its pages are the reasons).",
    ),
    Field(
        "return_address",
        "text",
        "",
        "Return address",
        "Where shoppers send parcels without a prepaid label; printed on the return slip.",
    ),
    Field(
        "return_stores",
        "text",
        "",
        "Return to a store",
        "Stores that take returns, one per line (name and address); shown on the return slip.",
    ),
    Field(
        "dhl_returns_api_url",
        "url",
        "https://api-eu.dhl.com/parcel/de/shipping/returns/v1",
        "DHL returns API URL",
        "DHL Parcel DE Returns API; leave as is unless DHL tells you otherwise.",
    ),
    Field(
        "dhl_returns_receiver_id",
        "str",
        "",
        "DHL returns receiver ID",
        "Your receiver ID in DHL's business customer portal (e.g. 'deu'); empty: no "
        "prepaid labels, shoppers get the return address.",
    ),
    Field("dhl_returns_username", "str", "", "DHL returns user", "Business customer user."),
    Field(
        "dhl_returns_password", "secret", "", "DHL returns password", "Business customer password."
    ),
    # --- text messages --------------------------------------------------------------------
    Field("sms_api_url", "url", "", "SMS provider URL", "Twilio-compatible Messages endpoint."),
    Field("sms_account_sid", "str", "", "SMS account SID", "Account id at the provider."),
    Field("sms_auth_token", "secret", "", "SMS auth token", "Secret at the provider."),
    Field("sms_from", "str", "", "SMS sender", "Sender number or 'whatsapp:+49…'."),
)

FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}


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


def parse_config(
    configuration: list[dict] | dict | None, *, channel_slug: str = "", active: bool = True
) -> AftersalesConfig:
    """Build the typed config; unknown names go to ``extra``, bad ints fall back to defaults."""
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


_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
#: Line breaks and other control characters: never allowed in a one-line setting (headers).
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
DEFAULT_BRAND_COLOR = "#1f6feb"


def safe_color(value: str | None, default: str = DEFAULT_BRAND_COLOR) -> str:
    """``value`` if it is a hex colour (``#1f6feb``, ``#fff``), else ``default``.

    The one check for every place a configured colour reaches CSS (page, emails, unsubscribe
    page): anything else, such as ``red;}</style><script>``, never gets there.
    """
    text = (value or "").strip()
    return text if _COLOR.match(text) else default


def _check_url(value: str, *, https_only: bool = False) -> str | None:
    parsed = urlparse(value.replace("{", "").replace("}", ""))
    if parsed.scheme not in ({"https"} if https_only else {"http", "https"}) or not parsed.netloc:
        if https_only:
            return "Enter a secure link starting with https://."
        return "Enter a full web address starting with https:// (or http://)."
    return None


def validate_config(configuration: list[dict] | dict | None) -> dict[str, str]:
    """Return ``{field name: message}`` for every value a shop owner has to fix."""
    errors: dict[str, str] = {}
    for name, value in as_mapping(configuration).items():
        spec = FIELDS_BY_NAME.get(name)
        if spec is None or value in (None, ""):
            continue
        text = str(value).strip()
        if spec.kind != "text" and _CONTROL.search(text):
            errors[name] = (
                f"{spec.label}: write it on one line, without line breaks or control characters."
            )
            continue
        if spec.kind == "int":
            try:
                number = int(text)
            except ValueError:
                errors[name] = f"{spec.label}: enter a whole number."
                continue
            if spec.minimum is not None and number < spec.minimum:
                errors[name] = f"{spec.label}: must be at least {spec.minimum}."
            elif spec.maximum is not None and number > spec.maximum:
                errors[name] = f"{spec.label}: must be at most {spec.maximum}."
        elif spec.kind in ("url", "https_url"):
            problem = _check_url(text, https_only=spec.kind == "https_url")
            if problem:
                errors[name] = f"{spec.label}: {problem}"
        elif spec.kind == "email":
            try:
                validate_email(text)
            except ValidationError:
                errors[name] = f"{spec.label}: '{text}' is not a valid email address."
        elif spec.kind == "color" and not _COLOR.match(text):
            errors[name] = f"{spec.label}: use a hex colour such as #1f6feb."
        elif spec.kind == "choice" and text not in spec.choices:
            errors[name] = f"{spec.label}: choose one of {', '.join(spec.choices)}."
    raw = as_mapping(configuration)
    zone = str(raw.get("time_zone") or "").strip()
    if zone:
        from .core.formatting import is_valid_zone

        if not is_valid_zone(zone):
            errors["time_zone"] = (
                f"Shop time zone: unknown time zone '{zone}'. Use an IANA name such as "
                "Europe/Berlin."
            )
    phone = str(raw.get("support_phone") or "").strip()
    if phone and not re.fullmatch(r"\+?[0-9 ()/.\-]{3,30}", phone):
        errors["support_phone"] = "Support phone: use digits, spaces and + ( ) - / only."
    default_carrier = str(raw.get("default_carrier") or "").strip().lower()
    if default_carrier and default_carrier not in CARRIER_CODES:
        errors["default_carrier"] = (
            f"Default carrier: unknown carrier code '{default_carrier}'. "
            f"Known codes: {', '.join(CARRIER_CODES)}."
        )
    for method, carrier in parse_carrier_overrides(
        str(raw.get("carrier_by_shipping_method") or "")
    ).items():
        if carrier not in CARRIER_CODES:
            errors["carrier_by_shipping_method"] = (
                f"Carrier per shipping method: unknown carrier code '{carrier}' for '{method}'. "
                f"Known codes: {', '.join(CARRIER_CODES)}."
            )
            break
    from .notifications.settings import validate_email_settings
    from .tracking.carriers.karrio_client import validate_accounts

    errors.update(validate_accounts(raw))

    errors.update(validate_email_settings(raw))
    events = str(raw.get("email_events") or "")
    unknown = [e.strip() for e in events.split(",") if e.strip() and e.strip() not in EMAIL_EVENTS]
    if unknown:
        errors["email_events"] = (
            f"Email triggers: unknown trigger '{unknown[0]}'. Known: {', '.join(EMAIL_EVENTS)}."
        )
    return errors
