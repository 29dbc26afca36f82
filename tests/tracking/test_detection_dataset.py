"""Detection against the public ``tracking_number_data`` test numbers (vendored, MIT) and our
own numbers built from carriers' specifications (``spec_numbers.py``).

``python -m bench.detection`` prints the per-format table these tests hold.
"""

from __future__ import annotations

import pytest

from saleor_aftersales.config import parse_config
from saleor_aftersales.tracking.detection import COURIERS, FORMATS, post_code
from saleor_aftersales.tracking.detection.dataset import definitions
from saleor_aftersales.tracking.numbers import (
    carrier_name,
    detect_carrier,
    detect_carriers,
    tracking_url,
)
from saleor_aftersales.tracking.service import choose_carrier

from .spec_numbers import SPEC_NUMBERS


def _expected(definition, number: str) -> str | None:
    if definition.courier == "s10":
        return post_code(number.replace(" ", "")[-2:])
    return FORMATS.get(definition.key) or COURIERS.get(definition.courier)


DATASET = [
    (d.key, _expected(d, n), n) for d in definitions() for n in d.spec["test_numbers"]["valid"]
]
OURS = [row for row in DATASET if row[1]] + SPEC_NUMBERS
OTHERS = [row for row in DATASET if not row[1]]
INVALID = [
    (d.key, _expected(d, n), n)
    for d in definitions()
    if _expected(d, d.key)
    for n in d.spec["test_numbers"].get("invalid", [])
    # the data set lists one format's valid numbers as another's invalid (Purolator)
    if (_expected(d, n), n) not in {(e, m) for _, e, m in DATASET}
]

#: Numbers the data set itself shows in two carriers' formats: answered once the shop's
#: carrier is known, never guessed.
SHARED = {
    "60120172242323": {"dhl_ecommerce", "dpd"},  # 14 digits: DHL eCommerce, DPD w/o check
    "510876930378 16".replace(" ", ""): {"dhl_ecommerce", "dpd"},
    "60120174971147": {"dhl_ecommerce", "dpd"},
    "4201028200009261290113185417468510": {"fedex", "usps"},  # FedEx via USPS (IMpb)
    # Purolator's 12 digits (Luhn) and 3 letters + 9 digits fit FedEx, DHL Paket, DHL Express
    "287809468872": {"fedex", "purolator"},
    "320610804900": {"fedex", "purolator"},
    "331434972567": {"dhl", "purolator"},
    "JFV247545960": {"dhl_express", "purolator"},
}


def test_the_data_set_is_complete():
    couriers = {d.courier for d in definitions()}
    assert {"dhl", "dpd", "fedex", "ups", "usps", "s10", "yodel", "amazon"} <= couriers
    assert len(DATASET) > 190 and len(OURS) > 120 and len(OTHERS) > 80, (
        len(DATASET),
        len(OURS),
        len(OTHERS),
    )


@pytest.mark.parametrize(("key", "expected", "number"), OURS, ids=[f"{k}:{n}" for k, _, n in OURS])
def test_valid_numbers_of_our_carriers_are_detected(key, expected, number):
    candidates = detect_carriers(number)
    assert expected in candidates
    # never another carrier: either ours alone, or left open for the shop's carriers
    assert detect_carrier(number) in (expected, None)
    assert detect_carrier(number, prefer=[expected]) == expected
    assert carrier_name(expected)


def test_recall_and_shared_formats():
    """Every valid number of ours gets its carrier, except formats two carriers share."""
    left_open = {
        n.replace(" ", ""): set(detect_carriers(n.replace(" ", "")))
        for _, e, n in OURS
        if detect_carrier(n) != e
    }
    dataset_open = {
        n: c for n, c in left_open.items() if any(n == m.replace(" ", "") for _, _, m in DATASET)
    }
    assert dataset_open == SHARED
    # Purolator's formats are shapes FedEx and DHL also issue: half its numbers need the
    # shop's carrier (asserted above for every number); the others' recall holds unaided
    ours_in_dataset = [row for row in DATASET if row[1] and row[1] != "purolator"]
    recall = 1 - (
        len([1 for _, _, n in ours_in_dataset if n.replace(" ", "") in SHARED])
        / len(ours_in_dataset)
    )
    assert recall >= 0.95
    for number, candidates in left_open.items():
        assert len(candidates) >= 2, number


@pytest.mark.parametrize(
    ("key", "expected", "number"), OTHERS, ids=[f"{k}:{n}" for k, _, n in OTHERS]
)
def test_no_number_of_another_courier_is_given_to_ours(key, expected, number):
    assert detect_carrier(number) is None
    courier = key.split("/")[0]
    assert f"other:{courier}" in detect_carriers(number)


@pytest.mark.parametrize(
    ("key", "expected", "number"), INVALID, ids=[f"{k}:{n}" for k, _, n in INVALID]
)
def test_invalid_numbers_are_not_given_to_the_format_carrier(key, expected, number):
    if key == "s10/s10":
        assert detect_carrier(number) is None
    else:
        assert detect_carrier(number) != expected


@pytest.mark.parametrize(
    ("key", "expected", "number"), SPEC_NUMBERS, ids=[f"{k}:{n}" for k, _, n in SPEC_NUMBERS]
)
def test_spec_numbers_with_a_wrong_check_digit_are_refused(key, expected, number):
    if key == "spec/hermes_h":
        pytest.skip("Hermes publishes no check digit")
    if key.endswith("s10") or key.endswith("posts"):
        wrong = number[:10] + str((int(number[10]) + 1) % 10) + number[11:]
    else:
        wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert expected not in detect_carriers(wrong)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("JJD0000000000000001", {"dhl", "other:yodel"}),  # JJD + 16: Yodel and DHL
        ("JJD000390007807541530", {"dhl"}),  # JJD + 18: DHL only
        ("LX630048122DE", {"deutsche_post"}),  # an S10 number names its post
    ],
)
def test_shared_prefixes(number, expected):
    assert set(detect_carriers(number)) == expected


def test_the_shops_carriers_break_a_tie():
    yodel_or_dhl = "JJD0000000000000001"
    none = parse_config({})
    assert choose_carrier(yodel_or_dhl, "Standard", none) == ("", "")
    ships_dhl = parse_config({"carrier_by_shipping_method": "Express = dhl"})
    assert choose_carrier(yodel_or_dhl, "Standard", ships_dhl) == ("dhl", "detected")
    ships_dpd = parse_config({"default_carrier": "dpd"})
    assert choose_carrier(yodel_or_dhl, "Standard", ships_dpd) == ("dpd", "default")
    has_dhl_account = parse_config({"karrio_carriers": '{"dhl_parcel_de": {"username": "u"}}'})
    assert choose_carrier(yodel_or_dhl, "Standard", has_dhl_account) == ("dhl", "detected")
    # the shipping method's carrier still wins
    assert choose_carrier(yodel_or_dhl, "DHL Paket", none) == ("dhl", "method")


def test_every_upu_post_is_named_and_unknown_posts_get_no_link():
    assert detect_carrier("RR123456785FR") == "post_fr"
    assert carrier_name("post_fr") == "La Poste"
    assert tracking_url("post_fr", "RR123456785FR") is None
    assert tracking_url("dhl_ecommerce", "GM2951173225174494").startswith("https://www.dhl.com/")
