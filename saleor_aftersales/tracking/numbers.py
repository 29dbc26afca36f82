"""Tracking numbers: detect the carrier from the format, and build the public tracking link.

``detect_carrier`` only answers when a format belongs to one carrier and its check digit (if
the format has one) is right; shared or unknown formats give ``None`` so a wrong guess never
reaches a shopper. Input is normalized first: whitespace, dashes and dots are dropped and
letters upper-cased. A tracking number that is itself an http(s) address is its own link.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlparse

from ..config import CARRIER_CODES

#: Human names of the carrier codes (brand names, not translated).
CARRIER_NAMES: dict[str, str] = {
    "dhl": "DHL Paket",
    "dhl_express": "DHL Express",
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
}


def carrier_name(code: str) -> str:
    """Display name of a carrier code ("" for none; unknown codes title-cased)."""
    if not code:
        return ""
    return CARRIER_NAMES.get(code, code.replace("_", " ").title())


#: UPU S10 country suffix → the national post we know.
S10_POSTS: dict[str, str] = {
    "DE": "deutsche_post",
    "AT": "austrian_post",
    "CH": "swiss_post",
    "GB": "royal_mail",
    "NL": "postnl",
    "US": "usps",
}

#: Extension digit and GS1 company prefix of DHL Paket in SSCC numbers (00 340434 …).
DHL_SSCC_PREFIX = "340434"

_SEPARATORS = re.compile(r"[\s\-.]+")


def normalize(tracking_number: str) -> str:
    """Drop whitespace, dashes and dots; upper-case letters."""
    return _SEPARATORS.sub("", tracking_number or "").upper()


def is_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) address."""
    parsed = urlparse((value or "").strip())
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in value.strip()


# --- check digits ---------------------------------------------------------------------------


def gs1_check_ok(digits: str) -> bool:
    """GS1 mod-10 (weights 3,1 from the right of the payload); used by SSCC and USPS IMpb."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    payload, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return (10 - total % 10) % 10 == check


def ups_check_ok(number: str) -> bool:
    """UPS 1Z: letters count as (ord - 63) mod 10, odd positions doubled, mod 10."""
    body = number[2:]
    if len(body) != 16 or not body[-1].isdigit():
        return False
    total = 0
    for i, char in enumerate(body[:-1]):
        value = int(char) if char.isdigit() else (ord(char) - 63) % 10
        total += value * 2 if i % 2 else value
    return (10 - total % 10) % 10 == int(body[-1])


def s10_check_ok(serial: str) -> bool:
    """UPU S10: 8 serial digits weighted 8,6,4,2,3,5,9,7; check 11 - sum mod 11 (10→0, 11→5)."""
    if len(serial) != 9 or not serial.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(serial[:8], (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    check = {10: 0, 11: 5}.get(check, check)
    return check == int(serial[8])


def dhl_express_check_ok(number: str) -> bool:
    """DHL Express 10-digit waybill: the first nine digits mod 7 give the last."""
    return len(number) == 10 and number.isdigit() and int(number[:9]) % 7 == int(number[9])


_ISO7064_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def iso7064_mod37_36_ok(number: str) -> bool:
    """ISO 7064 MOD 37,36 check character (DPD's 14-digit parcel number + 1 char)."""
    if len(number) < 2 or any(c not in _ISO7064_ALPHABET for c in number):
        return False
    m = 36
    product = m
    for char in number[:-1]:
        total = (product + _ISO7064_ALPHABET.index(char)) % m
        total = total or m
        product = (total * 2) % (m + 1)
    check = (m + 1 - product) % m
    return _ISO7064_ALPHABET[check] == number[-1]


# --- detection ------------------------------------------------------------------------------

_S10 = re.compile(r"^[A-Z]{2}(\d{9})([A-Z]{2})$")
_UPS = re.compile(r"^1Z[0-9A-Z]{16}$")
_SSCC = re.compile(r"^00(\d{18})$")
_JJD = re.compile(r"^JJD\d{16,22}$")
_IMPB = re.compile(r"^(?:420\d{5}(?:\d{4})?)?(9[2-5]\d{20})$")
_POSTNL = re.compile(r"^3S[A-Z]{4}\d{6,10}$")
_SWISS = re.compile(r"^99\d{16}$")
_HERMES = re.compile(r"^H\d{19}$")
_DPD = re.compile(r"^\d{14}[0-9A-Z]$")
_GLS = re.compile(r"^\d{11}$")
_FEDEX_15 = re.compile(r"^\d{15}$")


def _candidates(n: str) -> set[str]:
    found: set[str] = set()
    if m := _S10.match(n):
        post = S10_POSTS.get(m.group(2))
        if s10_check_ok(m.group(1)) and post:
            found.add(post)
        return found
    if _UPS.match(n):
        return {"ups"} if ups_check_ok(n) else set()
    if m := _SSCC.match(n):
        if gs1_check_ok(m.group(1)) and m.group(1).startswith(DHL_SSCC_PREFIX):
            found.add("dhl")
        return found  # an SSCC of another company prefix: shared format, no guess
    if _JJD.match(n):
        return {"dhl"}
    if m := _IMPB.match(n):
        return {"usps"} if gs1_check_ok(m.group(1)) else set()
    if _POSTNL.match(n):
        return {"postnl"}
    if _SWISS.match(n):
        return {"swiss_post"}
    if _HERMES.match(n):
        return {"hermes"}
    if dhl_express_check_ok(n):
        found.add("dhl_express")
    if _DPD.match(n) and iso7064_mod37_36_ok(n):
        found.add("dpd")
    if _FEDEX_15.match(n) and gs1_check_ok(n):
        found.add("fedex")
    if _GLS.match(n):
        found.add("gls")
    return found


def detect_carrier(tracking_number: str) -> str | None:
    """The carrier code whose format (and check digit) the number matches, else ``None``.

    Formats several carriers share (12-digit numbers used by DHL Paket and FedEx, foreign
    SSCCs …) and unknown formats give ``None`` rather than a guess.
    """
    if not tracking_number or is_url(tracking_number):
        return None
    found = _candidates(normalize(tracking_number))
    return next(iter(found)) if len(found) == 1 else None


# --- links ----------------------------------------------------------------------------------

_URLS: dict[str, str] = {
    "dhl": "https://www.dhl.de/{de_en}/privatkunden/pakete-empfangen/verfolgen.html?piececode={n}",
    "dhl_express": "https://www.dhl.com/{cc}-{lang}/home/tracking/tracking-express.html"
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
