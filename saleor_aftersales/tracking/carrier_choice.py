"""Which carrier a parcel goes with: the shipping method's configured or named carrier, then
detection (the shop's own carriers break ties between shared formats), then the default."""

from __future__ import annotations

from ..config import CARRIER_CODES, AftersalesConfig
from .numbers import CARRIER_NAMES, detect_carrier


def choose_carrier(
    tracking_number: str, shipping_method_name: str, config: AftersalesConfig
) -> tuple[str, str]:
    """``(carrier code, source)``: the method's configured or named carrier wins over
    detection (a format several carriers share counts when exactly one of the shop's
    carriers is among them), then the channel default; ``("", "")`` when nothing fits."""
    method = (shipping_method_name or "").strip().casefold()
    overrides = config.carrier_overrides
    if method and overrides.get(method) in CARRIER_CODES:
        return overrides[method], "method"
    if method:
        named = _carrier_named_in(method)
        if named:
            return named, "method"
    detected = detect_carrier(tracking_number, prefer=shop_carriers(config))
    if detected:
        return detected, "detected"
    default = (config.default_carrier or "").strip().lower()
    if default in CARRIER_CODES:
        return default, "default"
    return "", ""


def shop_carriers(config: AftersalesConfig) -> tuple[str, ...]:
    """The carriers the shop says it ships with (default, per shipping method, carrier
    accounts): they break ties between shared formats."""
    from .carriers.karrio_client import account_carriers

    default = (config.default_carrier or "").strip().lower()
    named = [default, *config.carrier_overrides.values(), *account_carriers(config)]
    return tuple(dict.fromkeys(named))


def _carrier_named_in(method: str) -> str | None:
    """A carrier whose name or code the shipping method's name contains ("DHL Express")."""
    names = sorted(
        ((CARRIER_NAMES[code].casefold(), code) for code in CARRIER_CODES), key=lambda x: -len(x[0])
    )
    for name, code in names:
        if name in method:
            return code
    words = set(method.replace("-", " ").split())
    hits = [code for code in CARRIER_CODES if code in words]
    return hits[0] if len(hits) == 1 else None
