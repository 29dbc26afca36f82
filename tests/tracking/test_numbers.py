"""Carrier detection and tracking links: check digits, shared formats, normalization."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saleor_aftersales.config import CARRIER_CODES
from saleor_aftersales.tracking.numbers import (
    S10_POSTS,
    detect_carrier,
    gs1_check_ok,
    normalize,
    tracking_url,
)


@pytest.mark.parametrize(
    ("number", "carrier"),
    [
        ("1Z999AA10123456784", "ups"),
        ("1z 999 aa1 0123 4567 84", "ups"),
        ("00340434161094042557", "dhl"),
        ("JJD000390007807541530", "dhl"),
        ("RR123456785DE", "deutsche_post"),
        ("RR123456785AT", "austrian_post"),
        ("RR123456785CH", "swiss_post"),
        ("RR123456785GB", "royal_mail"),
        ("RR123456785NL", "postnl"),
        ("EA123456785US", "usps"),
        ("RR123456785FR", "post_fr"),  # every UPU member's post
        ("9400100000000000000000", None),  # IMpb shape, wrong check digit
        ("3SABCD1234567", "postnl"),
        ("99.60.123456.12345678", "swiss_post"),
    ],
)
def test_known_formats(number, carrier):
    assert detect_carrier(number) == carrier


@pytest.mark.parametrize(
    "number",
    [
        "1Z999AA10123456785",  # UPS with a wrong check digit
        "RR123456784DE",  # S10 with a wrong check digit
        "RR123456785XX",  # S10 of no UPU member
        "00123456789012345675",  # SSCC of another company: shared format
        "100000000220",  # 12 digits, valid for both DHL Paket and FedEx
        "hello",
        "",
        "https://track.example.com/abc",
    ],
)
def test_unknown_or_shared_formats_are_not_guessed(number):
    assert detect_carrier(number) is None


def test_tracking_url_for_every_carrier_and_language():
    for code in CARRIER_CODES:
        en = tracking_url(code, "ab 12-34")
        de = tracking_url(code, "ab 12-34", "de-DE")
        assert en.startswith("https://") and "AB1234" in en
        assert de.startswith("https://")
    assert "loc=de_DE" in tracking_url("ups", "1Z999AA10123456784", "de")
    assert tracking_url("nope", "123") is None
    assert tracking_url("dhl", "  ") is None


def test_a_url_tracking_number_is_its_own_link():
    url = "https://carrier.example/track?id=42"
    assert tracking_url("dhl", url) == url
    assert tracking_url("", url) == url


def _ups(body15: str) -> str:
    total = 0
    for i, char in enumerate(body15):
        value = int(char) if char.isdigit() else (ord(char) - 63) % 10
        total += value * 2 if i % 2 else value
    return "1Z" + body15 + str((10 - total % 10) % 10)


def _s10(prefix: str, serial8: str, country: str) -> str:
    total = sum(int(d) * w for d, w in zip(serial8, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = {10: 0, 11: 5}.get(11 - total % 11, 11 - total % 11)
    return f"{prefix}{serial8}{check}{country}"


alnum = string.ascii_uppercase + string.digits


@given(st.text(alphabet=alnum, min_size=15, max_size=15))
def test_every_valid_ups_number_is_detected_and_a_typo_is_not(body):
    number = _ups(body)
    assert detect_carrier(number) == "ups"
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert detect_carrier(wrong) is None


@given(
    st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=2),
    st.text(alphabet=string.digits, min_size=8, max_size=8),
    st.sampled_from(sorted(S10_POSTS)),
)
def test_every_valid_s10_number_goes_to_its_national_post(prefix, serial, country):
    assert detect_carrier(_s10(prefix, serial, country)) == S10_POSTS[country]


@given(st.text(alphabet=string.digits, min_size=10, max_size=10))
def test_sscc_check_digit(digits):
    payload = "3404341" + digits
    check = next(str(d) for d in range(10) if gs1_check_ok(payload + str(d)))
    assert detect_carrier("00" + payload + check) == "dhl"
    assert detect_carrier("00" + payload + str((int(check) + 1) % 10)) is None


@given(st.text(max_size=40))
def test_detection_never_fails_and_answers_a_known_code(text):
    assert detect_carrier(text) in {*CARRIER_CODES, None}


@given(st.text(alphabet=alnum, min_size=1, max_size=30), st.data())
def test_whitespace_case_and_dashes_do_not_matter(number, data):
    spaced = "".join(
        c.lower() + data.draw(st.sampled_from(["", " ", "-", "  "])) for c in number
    )
    assert normalize(spaced) == number
    assert detect_carrier(spaced) == detect_carrier(number)
