"""Per-channel settings: one declaration drives the Saleor form, validation and the dataclass.

``FIELDS`` is the single source. ``plugin.py`` turns it into Saleor's ``CONFIG_STRUCTURE`` and
``DEFAULT_CONFIGURATION``; ``parse_config`` turns a stored configuration (Saleor's list of
``{"name", "value"}`` dicts) into a typed, frozen :class:`AftersalesConfig`;
``validate_config`` returns field-keyed error messages a shop owner understands.
"""

from __future__ import annotations

from .channel import AftersalesConfig, as_mapping, parse_carrier_overrides, parse_config
from .fields import CARRIER_CODES, EMAIL_EVENTS, RETURN_EMAIL_EVENTS, Field, Kind
from .form import FIELDS, FIELDS_BY_NAME
from .validation import DEFAULT_BRAND_COLOR, safe_color, validate_config

__all__ = [
    "CARRIER_CODES",
    "DEFAULT_BRAND_COLOR",
    "EMAIL_EVENTS",
    "FIELDS",
    "FIELDS_BY_NAME",
    "RETURN_EMAIL_EVENTS",
    "AftersalesConfig",
    "Field",
    "Kind",
    "as_mapping",
    "parse_carrier_overrides",
    "parse_config",
    "safe_color",
    "validate_config",
]
