"""What a reader who has not verified may see of carrier data: places no finer than a country.

A status link is often forwarded, and the postcode gate (``access.py``) only protects the
address if nothing else on the page gives it away. Carrier events do: a DHL scan names the
town ("KÖLN-PORZ", "Bonn, DE"), an AfterShip checkpoint may carry the postcode and street
("51147 Köln, DE", "Hauptstr. 5, 53113 Bonn"), and the carrier's own wording can name a
neighbour or who signed. So :func:`anonymous`, applied wherever an unverified view is made
(``orchestration.status_view.build_status_view``), keeps for each event our status label,
its time and the country (its name in the view's language), and drops the carrier's free text
(event descriptions and the parcel's ``status_detail``). A verified reader sees everything.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache

from babel import Locale
from babel.core import get_global

from .types import ParcelItem, StatusView, TrackingEventItem

_SEPARATORS = re.compile(r"[,;/|\n]")


@cache
def _names() -> dict[str, str]:
    """Country names (English and German, casefolded) → ISO 3166 alpha-2 code."""
    names: dict[str, str] = {}
    for language in ("en", "de"):
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names[name.casefold()] = code
    return names


def country_code(location: str) -> str:
    """The ISO alpha-2 country a carrier location ends with ("51147 Köln, DE" → "DE"),
    or "" when its last part is not a country ("Hauptstr. 5, 53113 Bonn", "KÖLN-PORZ")."""
    parts = [p.strip() for p in _SEPARATORS.split(location or "") if p.strip()]
    if not parts:
        return ""
    last = parts[-1]
    upper = last.upper()
    if len(upper) == 2 and upper.isalpha() and upper in Locale("en").territories:
        return upper
    if len(upper) == 3 and upper.isalpha():
        aliases = get_global("territory_aliases").get(upper) or []
        return aliases[0] if aliases and len(aliases[0]) == 2 else ""
    return _names().get(last.casefold(), "")


def coarse_location(location: str, language: str) -> str:
    """``location`` reduced to its country's name in ``language`` ("" when none is named)."""
    code = country_code(location)
    if not code:
        return ""
    return Locale.parse(language).territories.get(code, code)


def _event(event: TrackingEventItem, language: str) -> TrackingEventItem:
    return dataclasses.replace(
        event, location=coarse_location(event.location, language), description=""
    )


def _parcel(parcel: ParcelItem, language: str) -> ParcelItem:
    return dataclasses.replace(
        parcel,
        status_detail="",
        events=tuple(_event(e, language) for e in parcel.events),
    )


def anonymous(view: StatusView) -> StatusView:
    """``view`` as a reader who has not verified may see it (see the module's contract)."""
    return dataclasses.replace(
        view, parcels=tuple(_parcel(p, view.language_code) for p in view.parcels)
    )
