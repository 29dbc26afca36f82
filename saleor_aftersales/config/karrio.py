"""The ``karrio_carriers`` setting: which karrio extensions track which of our carriers, and
the accounts' JSON parsed and checked (unknown carriers, extensions not installed).

``tracking/carriers/karrio_client.py`` tracks with these accounts; validation lives here so
the settings layer never imports a service.
"""

from __future__ import annotations

import importlib.util
import json
from typing import Any

from django.utils.translation import gettext

#: Our carrier code → karrio extensions that track it, in order of preference.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "dhl": ("dhl_parcel_de", "dhl_universal"),
    "dhl_express": ("dhl_express", "dhl_universal"),
    "dhl_ecommerce": ("dhl_universal",),
    "deutsche_post": ("dhl_universal",),
    "dpd": ("dpd",),
    "gls": ("gls",),
    "hermes": ("hermes",),
    "ups": ("ups",),
    "fedex": ("fedex",),
    "usps": ("usps",),
    "royal_mail": ("royalmail",),
    "post_fr": ("colissimo", "laposte"),
    "post_be": ("bpost",),
    "post_ca": ("canadapost",),
    "post_au": ("australiapost",),
    "purolator": ("purolator",),
}
#: karrio extensions that exist but cannot track (no tracking mapper or proxy method): the
#: carrier they are for, named in the settings error. ``postat`` (Austrian Post's PLC API)
#: creates and voids labels only.
NO_TRACKING: dict[str, str] = {"postat": "Austrian Post"}
#: karrio's extension package per carrier name (what ``pip`` installs).
PACKAGES = {name: "karrio-" + name.replace("_", "-") for ex in EXTENSIONS.values() for name in ex}


def installed(name: str) -> bool:
    """Whether karrio and the extension for carrier ``name`` are importable."""
    try:
        return importlib.util.find_spec(f"karrio.mappers.{name}") is not None
    except (ImportError, ValueError):
        return False


def parse_accounts(text: str) -> dict[str, dict[str, Any]]:
    """The ``karrio_carriers`` JSON → ``{carrier name: settings}``; raises ``ValueError``."""
    if not (text or "").strip():
        return {}
    value = json.loads(text)
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ValueError("expected an object of objects")
    return {str(k).strip().lower(): v for k, v in value.items()}


def validate_accounts(raw: dict) -> dict[str, str]:
    """Settings errors for ``karrio_carriers``: bad JSON, unknown carriers, missing packages."""
    text = str(raw.get("karrio_carriers") or "")
    try:
        accounts = parse_accounts(text)
    except ValueError:
        return {
            "karrio_carriers": gettext("Carrier accounts: enter a JSON object such as %(example)s.")
            % {"example": '{"ups": {"client_id": "…", "client_secret": "…"}}'}
        }
    known = sorted(PACKAGES)
    for name in accounts:
        if name in NO_TRACKING:
            return {
                "karrio_carriers": gettext(
                    "Carrier accounts: karrio's '%(name)s' extension cannot track parcels "
                    "(%(carrier)s: labels only). Remove it; %(carrier)s parcels are tracked "
                    "through AfterShip where it is configured, otherwise they get the tracking "
                    "link only."
                )
                % {"name": name, "carrier": NO_TRACKING[name]}
            }
        if name not in PACKAGES:
            return {
                "karrio_carriers": gettext(
                    "Carrier accounts: unknown carrier '%(name)s'. Known: %(known)s."
                )
                % {"name": name, "known": ", ".join(known)}
            }
        if not installed(name):
            return {
                "karrio_carriers": gettext(
                    "Carrier accounts: '%(name)s' needs the package %(package)s "
                    "(pip install 'saleor-aftersales[carriers]')."
                )
                % {"name": name, "package": PACKAGES[name]}
            }
    return {}
