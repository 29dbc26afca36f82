"""Carrier detection on the public ``tracking_number_data`` test numbers, per format.

    python -m bench.detection

For every format of every courier in the vendored data set, and for our own formats built
from published specifications (``tests/tracking/spec_numbers.py``): how many valid numbers
``detect_carrier`` gives to the right carrier of ours (recall), how many it leaves open
because another carrier shares the format (resolved once the shop's carrier is known), and
how many valid numbers of other couriers it gives to one of ours (misattributions, must be 0).
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")


def rows():
    """``(courier/format, expected code or None, number)`` for every valid test number."""
    from saleor_aftersales.tracking.detection import COURIERS, FORMATS, post_code
    from saleor_aftersales.tracking.detection.dataset import definitions
    from tests.tracking.spec_numbers import SPEC_NUMBERS

    for definition in definitions():
        for number in definition.spec["test_numbers"]["valid"]:
            if definition.courier == "s10":
                expected = post_code(number.replace(" ", "")[-2:])
            else:
                expected = FORMATS.get(definition.key) or COURIERS.get(definition.courier)
            yield definition.key, expected, number
    for key, expected, number in SPEC_NUMBERS:
        yield key, expected, number


def measure():
    """Per format: ``[valid, right, left open, wrong]`` and the overall sums."""
    from saleor_aftersales.tracking.numbers import detect_carrier, detect_carriers, normalize

    table: dict[str, list] = defaultdict(lambda: [None, 0, 0, 0, 0])
    failures = []
    for key, expected, number in rows():
        row = table[key]
        row[0] = expected or "other"
        row[1] += 1
        got = detect_carrier(number)
        if expected is None:
            if got is not None:
                row[4] += 1
                failures.append((key, number, got))
        elif got == expected:
            row[2] += 1
        elif got is None and expected in detect_carriers(normalize(number)):
            row[3] += 1
            failures.append((key, number, detect_carriers(normalize(number))))
        else:
            row[4] += 1
            failures.append((key, number, got))
    return table, failures


def main() -> None:
    import django

    django.setup()
    table, failures = measure()
    print(f"{'format':34} {'ours':14} {'valid':>5} {'right':>5} {'open':>5} {'wrong':>5}")
    ours = [0, 0, 0, 0]
    others = [0, 0]
    for key in sorted(table):
        code, valid, right, open_, wrong = table[key]
        print(f"{key:34} {code:14} {valid:5} {right:5} {open_:5} {wrong:5}")
        if code == "other":
            others[0] += valid
            others[1] += wrong
        else:
            ours = [ours[0] + valid, ours[1] + right, ours[2] + open_, ours[3] + wrong]
    print()
    print(
        f"supported carriers: {ours[1]}/{ours[0]} right "
        f"({100 * ours[1] / max(ours[0], 1):.1f} % recall), {ours[2]} left open "
        f"(shared format), {ours[3]} wrong"
    )
    print(f"other couriers: {others[1]} of {others[0]} valid numbers given to a carrier of ours")
    for key, number, got in failures:
        print(f"  {key}: {number!r} -> {got}")


if __name__ == "__main__":
    main()
