"""Tracking numbers: detect the carrier from the format, and build the public tracking link.

``detect_carriers`` lists every carrier whose published format fits (:mod:`.detection`);
``detect_carrier`` only answers when one carrier of ours is left (after the shop's carriers
broke a tie); shared or unknown formats give ``None`` so a wrong guess never reaches a
shopper. UPU members' posts without a code of their own are ``post_<country>``: named, but
without a tracking link. Input is normalized first: whitespace, dashes and dots are dropped and
letters upper-cased. A tracking number that is itself an http(s) address is its own link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, urlparse

from ..config import CARRIER_CODES
from .detection import S10_POSTS, pick_carrier, post_name
from .detection import detect_carriers as _detect_carriers
from .detection.local import DHL_SSCC_PREFIX, gs1_check_ok

__all__ = [
    "CARRIER_NAMES",
    "DHL_SSCC_PREFIX",
    "S10_POSTS",
    "carrier_name",
    "detect_carrier",
    "detect_carriers",
    "gs1_check_ok",
    "is_url",
    "normalize",
    "tracking_url",
]

#: Human names of the carrier codes (brand names, not translated).
CARRIER_NAMES: dict[str, str] = {
    "dhl": "DHL Paket",
    "dhl_express": "DHL Express",
    "dhl_ecommerce": "DHL eCommerce",
    "deutsche_post": "Deutsche Post",
    "dpd": "DPD",
    "hermes": "Hermes",
    "gls": "GLS",
    "ups": "UPS",
    "fedex": "FedEx",
    "usps": "USPS",
    "postnl": "PostNL",
    "royal_mail": "Royal Mail",
    "austrian_post": "Österreichische Post",
    "swiss_post": "Swiss Post",
    "purolator": "Purolator",
}


def carrier_name(code: str) -> str:
    """Display name of a carrier code ("" for none; unknown codes title-cased)."""
    if not code:
        return ""
    if code in CARRIER_NAMES:
        return CARRIER_NAMES[code]
    return post_name(code) or code.replace("_", " ").title()


_SEPARATORS = re.compile(r"[\s\-.]+")


def normalize(tracking_number: str) -> str:
    """Drop whitespace, dashes and dots; upper-case letters."""
    return _SEPARATORS.sub("", tracking_number or "").upper()


def is_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) address."""
    parsed = urlparse((value or "").strip())
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in value.strip()


# --- detection ------------------------------------------------------------------------------


def detect_carriers(tracking_number: str) -> tuple[str, ...]:
    """Every carrier whose published format fits the number (see :mod:`.detection`).

    Our carrier codes as they are, other couriers as ``"other:<courier>"``; empty for an
    http(s) address or an unknown format.
    """
    if not tracking_number or is_url(tracking_number):
        return ()
    found = _detect_carriers(normalize(tracking_number))
    kept = re.sub(r"\s+", "", tracking_number).upper()  # formats that spell a dash
    if "-" in kept or "." in kept:
        found = tuple(sorted({*found, *_detect_carriers(kept)}))
    return found


def detect_carrier(tracking_number: str, prefer: Iterable[str] = ()) -> str | None:
    """The carrier code whose format (and check digit) the number matches, else ``None``.

    A format several carriers share (a ``JJD`` number of Yodel or DHL, 12 digits of DHL
    Paket, GLS or FedEx …) gives ``None`` rather than a guess, unless exactly one of the
    ``prefer`` codes (the shop's carriers) is among the candidates.
    """
    return pick_carrier(detect_carriers(tracking_number), prefer)


# --- links ----------------------------------------------------------------------------------

_URLS: dict[str, str] = {
    "dhl": "https://www.dhl.de/{de_en}/privatkunden/pakete-empfangen/verfolgen.html?piececode={n}",
    "dhl_express": "https://www.dhl.com/{cc}-{lang}/home/tracking/tracking-express.html"
    "?submit=1&tracking-id={n}",
    "dhl_ecommerce": "https://www.dhl.com/{cc}-{lang}/home/tracking/tracking-ecommerce.html"
    "?submit=1&tracking-id={n}",
    "deutsche_post": "https://www.deutschepost.de/{de_en}/s/sendungsverfolgung.html?piececode={n}",
    "dpd": "https://tracking.dpd.de/status/{locale}/parcel/{n}",
    "hermes": "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#{n}",
    "gls": "https://gls-group.com/DE/{de_en}/paketverfolgung?match={n}",
    "ups": "https://www.ups.com/track?loc={locale}&tracknum={n}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={n}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={n}",
    "postnl": "https://jouw.postnl.nl/track-and-trace/{n}",
    "royal_mail": "https://www.royalmail.com/track-your-item#/tracking-results/{n}",
    "austrian_post": "https://www.post.at/s/sendungsdetails?snr={n}",
    "swiss_post": "https://service.post.ch/ekp-web/ui/entry/search/{n}",
    "purolator": "https://www.purolator.com/en/shipping/tracker?searchValue={n}",
}
assert set(_URLS) == set(CARRIER_CODES), "every carrier needs a tracking link"


def tracking_url(carrier: str, tracking_number: str, language: str = "en") -> str | None:
    """The carrier's public tracking page for the number, in the shopper's language if offered.

    A tracking number that is an http(s) address is returned as is; an unknown carrier or an
    empty number gives ``None``.
    """
    raw = (tracking_number or "").strip()
    if is_url(raw):
        return raw
    template = _URLS.get((carrier or "").lower())
    number = normalize(raw)
    if template is None or not number:
        return None
    lang = "de" if (language or "en").lower().startswith("de") else "en"
    return template.format(
        n=quote(number, safe=""),
        de_en=lang,
        lang=lang,
        cc="de" if lang == "de" else "global",
        locale="de_DE" if lang == "de" else "en_US",
    )
