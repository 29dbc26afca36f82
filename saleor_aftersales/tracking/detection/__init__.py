"""Which carriers may have issued a tracking number: candidates, never a guess.

:func:`detect_carriers` runs every published format of the ``tracking_number_data`` set
(regular expression, check digit, lookups; see :mod:`.dataset`) and our own formats for the
carriers it lacks (:mod:`.local`). It returns every carrier whose format the number fits:
our carrier codes as they are, other couriers as ``"other:<courier>"`` (``other:yodel``) so
that a number another courier also issues is never given to ours. :func:`pick_carrier` then
answers one code only when one of ours is left, after the shop's own carriers (configured
carriers, the shipping method's carrier) broke a tie.

UPU S10 numbers (``RR123456785FR``) go to the post of their country: the codes we know
(:data:`S10_POSTS`) or ``post_<country>`` for the other UPU members. A valid S10 number
names its issuer, so it is not shared with formats of the same shape (DHL eCommerce's
``LX…``/``CN…`` numbers are S10 numbers of the post they are handed to). So does an SSCC
with Deutsche Post DHL's GS1 company prefix.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from . import local
from .dataset import definitions, s10_countries

__all__ = ["S10_POSTS", "detect_carriers", "is_post_code", "pick_carrier", "post_name"]

#: UPU S10 country suffix → the national post's carrier code, where it has one of its own.
S10_POSTS: dict[str, str] = {
    "DE": "deutsche_post",
    "AT": "austrian_post",
    "CH": "swiss_post",
    "GB": "royal_mail",
    "NL": "postnl",
    "US": "usps",
}

#: Data set format → our carrier code; other formats of a mapped courier use ``COURIERS``.
FORMATS: dict[str, str] = {
    "dhl/dhl_express": "dhl_express",
    "dhl/dhl_express_piece_id": "dhl_express",
    "dhl/dhl_ecommerce": "dhl_ecommerce",
    "dhl/dhl_ecommerce_14": "dhl_ecommerce",
}
#: Data set courier → our carrier code (every format of it).
COURIERS: dict[str, str] = {
    "dpd": "dpd",
    "fedex": "fedex",
    "purolator": "purolator",
    "ups": "ups",
    "usps": "usps",
}

OTHER = "other:"


def post_code(country: str) -> str:
    """The carrier code of a UPU member's post (``"FR"`` → ``"post_fr"``)."""
    return S10_POSTS.get(country) or f"post_{country.lower()}"


def is_post_code(code: str) -> bool:
    """Whether ``code`` names a UPU member's post that has no code of its own."""
    return code.startswith("post_") and code[5:].upper() in s10_countries()


def post_name(code: str) -> str | None:
    """The name of the post behind a ``post_<country>`` code, from the data set."""
    return s10_countries().get(code[5:].upper()) if code.startswith("post_") else None


def _our_code(definition, groups: dict[str, str]) -> str:
    if definition.courier == "s10":
        return post_code(groups.get("CountryCode", ""))
    code = FORMATS.get(definition.key) or COURIERS.get(definition.courier)
    return code or OTHER + definition.courier


@lru_cache(maxsize=4096)
def _detect(number: str) -> tuple[str, ...]:
    strong, weak = local.matches(number)
    if strong:
        return tuple(sorted(strong))
    found = set(weak)
    for definition in definitions():
        groups = definition.read(number)
        if groups is None:
            continue
        if definition.courier == "s10":
            # a UPU S10 number (check digit right, a member's country) names its issuer
            return (_our_code(definition, groups),)
        found.add(_our_code(definition, groups))
    return tuple(sorted(found))


def detect_carriers(number: str) -> tuple[str, ...]:
    """Every carrier whose published format (and check digit) fits ``number``, sorted.

    ``number`` must be normalized (upper case, no separators). Ours are carrier codes,
    other couriers ``"other:<courier>"``; empty when no format fits.
    """
    if not number or len(number) > 64:
        return ()
    return _detect(number)


def pick_carrier(candidates: Iterable[str], preferred: Iterable[str] = ()) -> str | None:
    """The one carrier of ours among ``candidates``, else ``None``.

    A number that fits several carriers (ours or another courier's) gets an answer only
    when exactly one of the ``preferred`` codes (the shop's carriers) is among them.
    """
    found = tuple(dict.fromkeys(candidates))
    if len(found) == 1:
        return None if found[0].startswith(OTHER) else found[0]
    chosen = [code for code in dict.fromkeys(preferred) if code and code in found]
    return chosen[0] if len(chosen) == 1 else None
