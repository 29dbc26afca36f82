"""Test numbers for carriers the ``tracking_number_data`` set lacks, built from their
published label specifications, each with its check digit computed here (independently of
the detection code) so that a wrong check rule in detection fails the tests.

- DHL Paket NVE: SSCC = AI ``00`` + extension digit ``3`` + GS1 company prefix ``40434``
  (Deutsche Post DHL) + serial + GS1 mod-10 check digit (GS1 General Specifications 2.1).
- DHL Paket shipment number (Identcode arithmetic): 11 digits, weights 4 and 9 alternating
  from the left, check = (10 - sum mod 10) mod 10 (Deutsche Post "Leitcode/Identcode").
- GLS parcel number: 11 digits weighted 3,1 from the right, plus 1, complement mod 10
  (GLS parcel label specification).
- Deutsche Post (and the other posts): UPU S10 — 2 letters, 8 digits, weights
  8,6,4,2,3,5,9,7, check 11 - sum mod 11 (10 → 0, 11 → 5), ISO country (UPU S10 standard).
- Hermes Germany: ``H`` + 19 digits; Hermes publishes no check digit.
"""

from __future__ import annotations


def gs1(payload: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return payload + str((10 - total % 10) % 10)


def identcode(payload: str) -> str:
    total = sum(int(d) * (4 if i % 2 == 0 else 9) for i, d in enumerate(payload))
    return payload + str((10 - total % 10) % 10)


def gls(payload: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload))) + 1
    return payload + str((10 - total % 10) % 10)


def s10(service: str, serial: str, country: str) -> str:
    total = sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"{service}{serial}{check}{country}"


#: ``(format, expected carrier code, number)``.
SPEC_NUMBERS: list[tuple[str, str, str]] = [
    *[
        ("spec/dhl_nve", "dhl", "00" + gs1("3" + "40434" + serial))
        for serial in ("16109404255", "00000000001", "98765432101", "12345678901", "55000001700")
    ],
    *[
        ("spec/dhl_identcode", "dhl", n)
        for n in map(
            identcode, ("34043416109", "00340434161", "58391201842", "10000000001", "99887766554")
        )
    ],
    *[
        ("spec/gls_parcel", "gls", n)
        for n in map(
            gls, ("56020170401", "80123456789", "40410000011", "12345678901", "91000000002")
        )
    ],
    *[
        ("spec/hermes_h", "hermes", "H" + body)
        for body in ("1001990123456701234", "1000230086123801021", "0000000000000000001")
    ],
    *[
        ("spec/deutsche_post_s10", "deutsche_post", s10(service, serial, "DE"))
        for service, serial in (
            ("RR", "12345678"),
            ("RT", "00000017"),
            ("LX", "63004812"),
            ("UX", "12904301"),
            ("CX", "55005500"),
            ("EE", "99001122"),
        )
    ],
    *[
        ("spec/s10_posts", code, s10("RR", "47381922", cc))
        for cc, code in (
            ("AT", "austrian_post"),
            ("CH", "swiss_post"),
            ("NL", "postnl"),
            ("FR", "post_fr"),
            ("BE", "post_be"),
            ("JP", "post_jp"),
        )
    ],
]
