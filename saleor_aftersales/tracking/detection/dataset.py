"""The ``tracking_number_data`` courier definitions (MIT, vendored in ``data/``), read as is.

Each definition is a regular expression with named groups (``SerialNumber``, ``CheckDigit``,
``CountryCode`` …), a check-digit algorithm and optional lookups. :func:`definitions` compiles
them once; :meth:`Definition.read` gives the groups of a number that fits the format *and*
passes its check digit and required lookups, else ``None``. The arithmetic follows the data
set's own reference (``CHECKSUM_ALGORITHMS.md`` and its site's ``checksum.js``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")

_NAMED_GROUP = re.compile(r"\(\?<(?=[A-Za-z])")  # Ruby/JS (?<Name> → Python (?P<Name>
_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _digit(char: str) -> int:
    return int(char) if char.isdigit() else 0


def mod10(sequence: str, check: str, spec: dict) -> bool:
    """Weighted sum (evens/odds multipliers by 0-based index), check = complement mod 10."""
    chars = sequence[::-1] if spec.get("reverse") else sequence
    total = 0
    for i, char in enumerate(chars):
        value = int(char) if char.isdigit() else (ord(char) - 3) % 10
        if i % 2 == 1 and spec.get("odds_multiplier") is not None:
            value *= int(spec["odds_multiplier"])
        elif i % 2 == 0 and spec.get("evens_multiplier") is not None:
            value *= int(spec["evens_multiplier"])
        total += value
    modulo = int(spec.get("modulo") or 10)
    return (modulo - total % modulo) % modulo == _digit(check)


def mod7(sequence: str, check: str, spec: dict) -> bool:
    return sequence.isdigit() and int(sequence) % int(spec.get("modulo") or 7) == _digit(check)


def s10(sequence: str, check: str, spec: dict) -> bool:
    weights = spec.get("weightings") or [8, 6, 4, 2, 3, 5, 9, 7]
    modulo = int(spec.get("modulo") or 11)
    remainder = sum(_digit(c) * w for c, w in zip(sequence, weights, strict=False)) % modulo
    expected = 0 if remainder == 1 else 5 if remainder == 0 else modulo - remainder
    return expected == _digit(check)


def luhn(sequence: str, check: str, spec: dict) -> bool:
    total = 0
    for i, char in enumerate(reversed(sequence)):
        value = _digit(char) * 2 if i % 2 == 0 else _digit(char)
        total += value - 9 if value > 9 else value
    modulo = int(spec.get("modulo") or 10)
    return (modulo - total % modulo) % modulo == _digit(check)


def mod_37_36(sequence: str, check: str, spec: dict) -> bool:
    """ISO 7064 MOD 37,36 (DPD's check character)."""
    modulo = int(spec.get("modulo") or 36)
    alphabet = spec.get("alphabet") or _BASE36
    running = modulo
    for char in sequence:
        running += _BASE36.index(char) if char in _BASE36 else 0
        if running > modulo:
            running -= modulo
        running *= 2
        if running > modulo:
            running -= modulo + 1
    expected = modulo + 1 - running
    if expected == modulo:
        expected = 0
    return alphabet[expected] == check


def sum_product(sequence: str, check: str, spec: dict) -> bool:
    weights = spec.get("weightings") or []
    total = sum(_digit(c) * w for c, w in zip(sequence, weights, strict=False))
    return total % int(spec["modulo1"]) % int(spec["modulo2"]) == _digit(check)


CHECKSUMS = {
    "mod10": mod10,
    "mod7": mod7,
    "s10": s10,
    "luhn": luhn,
    "mod_37_36": mod_37_36,
    "sum_product_with_weightings_and_modulo": sum_product,
}


@dataclass(frozen=True)
class Definition:
    """One published format of one courier."""

    courier: str  # the data set's courier code ("dhl", "yodel", "s10" …)
    id: str  # the format's id ("dhl_express", "usps_impb_c" …)
    name: str
    pattern: re.Pattern[str]
    spec: dict[str, Any] = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        return f"{self.courier}/{self.id}"

    def read(self, number: str) -> dict[str, str] | None:
        """Groups of a number (upper case, no whitespace) that fits and validates; else None."""
        found = self.pattern.fullmatch(number)
        if not found:
            return None
        groups = {k: re.sub(r"\s", "", v) for k, v in found.groupdict().items() if v is not None}
        validation = self.spec.get("validation") or {}
        checksum = validation.get("checksum")
        if checksum:
            algorithm = CHECKSUMS.get(checksum.get("name"))
            serial, check = self._serial(groups, validation), groups.get("CheckDigit")
            if algorithm is None or not serial or not check:
                return None
            if not algorithm(serial, check, checksum):
                return None
        for name in (validation.get("additional") or {}).get("exists", []):
            if self.lookup(name, groups) is None:
                return None
        return groups

    def lookup(self, name: str, groups: dict[str, str]) -> dict | None:
        """The entry of the ``additional`` table ``name`` that the number's group matches."""
        for table in self.spec.get("additional") or []:
            if table.get("name") != name:
                continue
            value = groups.get(table.get("regex_group_name", ""))
            if value is None:
                return None
            for entry in table.get("lookup") or []:
                if "matches" in entry and value == entry["matches"]:
                    return entry
                if "matches_regex" in entry and re.search(entry["matches_regex"], value):
                    return entry
        return None

    @staticmethod
    def _serial(groups: dict[str, str], validation: dict) -> str:
        serial = groups.get("SerialNumber", "")
        prepend = (validation.get("serial_number_format") or {}).get("prepend_if")
        if prepend and re.search(prepend["matches_regex"], serial):
            serial = prepend["content"] + serial
        return serial


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


@cache
def couriers() -> tuple[dict[str, Any], ...]:
    """The raw courier files, sorted by file name."""
    return tuple(
        json.loads(path.read_text(encoding="utf-8")) for path in sorted(DATA.glob("*.json"))
    )


@cache
def definitions() -> tuple[Definition, ...]:
    """Every format of every courier in the data set, compiled."""
    found = []
    for courier in couriers():
        for spec in courier["tracking_numbers"]:
            regex = spec["regex"]
            pattern = "".join(regex) if isinstance(regex, list) else regex
            found.append(
                Definition(
                    courier=courier["courier_code"],
                    id=spec.get("id") or _slug(spec["name"]),
                    name=spec["name"],
                    pattern=re.compile(_NAMED_GROUP.sub("(?P<", pattern)),
                    spec=spec,
                )
            )
    return tuple(found)


def s10_countries() -> dict[str, str]:
    """UPU member country code → the name of its post, from the data set's S10 table."""
    for definition in definitions():
        if definition.courier == "s10":
            for table in definition.spec.get("additional") or []:
                if table.get("name") == "Courier":
                    return {e["matches"]: e["courier"] for e in table["lookup"] if "matches" in e}
    return {}
