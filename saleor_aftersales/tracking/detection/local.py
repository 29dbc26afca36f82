"""Formats the data set lacks, from the carriers' published label specifications.

Each entry is ``(carrier code, regular expression, check or None, authoritative)``. An
*authoritative* format identifies its issuer by itself (an SSCC's GS1 company prefix is
assigned to one company), so it wins over formats that merely share its shape; the others
are candidates like any data set format.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def gs1_check_ok(digits: str) -> bool:
    """GS1 mod 10 (weights 3,1 from the right of the payload): SSCC/NVE, USPS IMpb."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    payload, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return (10 - total % 10) % 10 == check


def gls_check_ok(digits: str) -> bool:
    """GLS parcel number: 11 digits weighted 3,1 from the right, plus 1; complement mod 10."""
    if not digits.isdigit() or len(digits) != 12:
        return False
    payload = digits[:-1]
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload))) + 1
    return (10 - total % 10) % 10 == int(digits[-1])


def identcode_check_ok(digits: str) -> bool:
    """Deutsche Post Identcode (DHL Paket's 12-digit number): weights 4,9 from the left."""
    if not digits.isdigit() or len(digits) != 12:
        return False
    total = sum(int(d) * (4 if i % 2 == 0 else 9) for i, d in enumerate(digits[:-1]))
    return (10 - total % 10) % 10 == int(digits[-1])


#: GS1 company prefix of Deutsche Post DHL in SSCCs (NVE: ``00 3 40434 …``).
DHL_SSCC_PREFIX = "340434"

Check = Callable[[str], bool]

FORMATS: tuple[tuple[str, str, re.Pattern[str], Check | None, bool], ...] = (
    # DHL Paket: the NVE (SSCC, AI 00) with DHL's GS1 company prefix and GS1 check digit.
    ("dhl", "dhl_nve", re.compile(r"00(340434\d{12})"), lambda n: gs1_check_ok(n[2:]), True),
    # Any other company's SSCC (AI 00): a shared format (USPS's 20 digits share its check).
    ("other:sscc", "sscc", re.compile(r"00(\d{18})"), lambda n: gs1_check_ok(n[2:]), False),
    # DHL Paket: the 12-digit shipment number (Identcode arithmetic, check weights 4/9).
    ("dhl", "dhl_identcode", re.compile(r"\d{12}"), identcode_check_ok, False),
    # DHL Paket international / Parcel UK piece numbers (Yodel issues JJD + 16 digits too).
    ("dhl", "dhl_jjd", re.compile(r"JJD\d{16,22}"), None, False),
    # GLS parcel number: 11 digits and a check digit.
    ("gls", "gls_parcel", re.compile(r"\d{12}"), gls_check_ok, False),
    # Hermes Germany: "H" and 19 digits (no published check digit).
    ("hermes", "hermes_h", re.compile(r"H\d{19}"), None, False),
    # DPD: the 14-digit parcel number as printed without its check character.
    ("dpd", "dpd_14_bare", re.compile(r"\d{14}"), None, False),
    # PostNL domestic barcode (3S + customer code + serial).
    ("postnl", "postnl_3s", re.compile(r"3S[A-Z]{4}\d{6,10}"), None, False),
    # Swiss Post domestic parcels: 99 + 16 digits.
    ("swiss_post", "swiss_99", re.compile(r"99\d{16}"), None, False),
)


def matches(number: str) -> tuple[set[str], set[str]]:
    """``(authoritative codes, other codes)`` of our own formats that ``number`` fits."""
    strong: set[str] = set()
    weak: set[str] = set()
    for code, _id, pattern, check, authoritative in FORMATS:
        if pattern.fullmatch(number) and (check is None or check(number)):
            (strong if authoritative else weak).add(code)
    return strong, weak
