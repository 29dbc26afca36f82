"""Field-keyed messages for values a shop owner must fix, and safe brand colours."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .channel import as_mapping, parse_carrier_overrides
from .emails import validate_email_settings
from .fields import CARRIER_CODES, EMAIL_EVENTS
from .form import FIELDS_BY_NAME
from .karrio import validate_accounts

_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
#: Line breaks and other control characters: never allowed in a one-line setting (headers).
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
DEFAULT_BRAND_COLOR = "#1f6feb"


def _label(name: str) -> str:
    return str(FIELDS_BY_NAME[name].label)


def _codes() -> str:
    return ", ".join(CARRIER_CODES)


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
            return _("Enter a secure link starting with https://.")
        return _("Enter a full web address starting with https:// (or http://).")
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
            errors[name] = _(
                "%(label)s: write it on one line, without line breaks or control characters."
            ) % {"label": spec.label}
            continue
        if spec.kind == "int":
            try:
                number = int(text)
            except ValueError:
                errors[name] = _("%(label)s: enter a whole number.") % {"label": spec.label}
                continue
            if spec.minimum is not None and number < spec.minimum:
                errors[name] = _("%(label)s: must be at least %(minimum)s.") % {
                    "label": spec.label,
                    "minimum": spec.minimum,
                }
            elif spec.maximum is not None and number > spec.maximum:
                errors[name] = _("%(label)s: must be at most %(maximum)s.") % {
                    "label": spec.label,
                    "maximum": spec.maximum,
                }
        elif spec.kind in ("url", "https_url"):
            problem = _check_url(text, https_only=spec.kind == "https_url")
            if problem:
                errors[name] = f"{spec.label}: {problem}"
        elif spec.kind == "email":
            try:
                validate_email(text)
            except ValidationError:
                errors[name] = _("%(label)s: '%(text)s' is not a valid email address.") % {
                    "label": spec.label,
                    "text": text,
                }
        elif spec.kind == "color" and not _COLOR.match(text):
            errors[name] = _("%(label)s: use a hex colour such as #1f6feb.") % {"label": spec.label}
        elif spec.kind == "choice" and text not in spec.choices:
            errors[name] = _("%(label)s: choose one of %(choices)s.") % {
                "label": spec.label,
                "choices": ", ".join(spec.choices),
            }
    raw = as_mapping(configuration)
    zone = str(raw.get("time_zone") or "").strip()
    if zone:
        from ..core.formatting import is_valid_zone

        if not is_valid_zone(zone):
            errors["time_zone"] = _(
                "%(label)s: unknown time zone '%(zone)s'. Use an IANA name such as Europe/Berlin."
            ) % {"label": _label("time_zone"), "zone": zone}
    phone = str(raw.get("support_phone") or "").strip()
    if phone and not re.fullmatch(r"\+?[0-9 ()/.\-]{3,30}", phone):
        errors["support_phone"] = _("%(label)s: use digits, spaces and + ( ) - / only.") % {
            "label": _label("support_phone")
        }
    default_carrier = str(raw.get("default_carrier") or "").strip().lower()
    if default_carrier and default_carrier not in CARRIER_CODES:
        errors["default_carrier"] = _(
            "%(label)s: unknown carrier code '%(code)s'. Known codes: %(known)s."
        ) % {"label": _label("default_carrier"), "code": default_carrier, "known": _codes()}
    for method, carrier in parse_carrier_overrides(
        str(raw.get("carrier_by_shipping_method") or "")
    ).items():
        if carrier not in CARRIER_CODES:
            errors["carrier_by_shipping_method"] = _(
                "%(label)s: unknown carrier code '%(code)s' for '%(method)s'. "
                "Known codes: %(known)s."
            ) % {
                "label": _label("carrier_by_shipping_method"),
                "code": carrier,
                "method": method,
                "known": _codes(),
            }
            break
    errors.update(validate_accounts(raw))
    errors.update(validate_email_settings(raw))
    events = str(raw.get("email_events") or "")
    unknown = [e.strip() for e in events.split(",") if e.strip() and e.strip() not in EMAIL_EVENTS]
    if unknown:
        errors["email_events"] = _(
            "%(label)s: unknown trigger '%(trigger)s'. Known: %(known)s."
        ) % {
            "label": _label("email_events"),
            "trigger": unknown[0],
            "known": ", ".join(EMAIL_EVENTS),
        }
    return errors
