"""Locale-aware money, dates and times for the page and the emails (Babel, CLDR).

Contract: every shopper-facing amount, date and time goes through these functions, so one
language always shows one style. Dates and times are shown in the shop's time zone (the
channel setting ``time_zone``, an IANA name), and a time always carries its zone label.
Unknown languages fall back to English, unknown zones to UTC; nothing here raises on bad input
from configuration.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers

DEFAULT_LOCALE = "en"
DEFAULT_ZONE = "UTC"

# Within one ``rendering`` block, each distinct value is formatted once (a page shows the same
# event time in "latest news" and in "all events"). Scoped to the block, so never shared
# between requests.
_memo: ContextVar[dict[Hashable, str] | None] = ContextVar("aftersales_format_memo", default=None)


def memoized(key: Hashable, compute: Callable[[], str]) -> str:
    """``compute()``, remembered under ``key`` for the rest of the current ``rendering``
    block (computed every time outside one). ``key`` must determine the result."""
    memo = _memo.get()
    if memo is None:
        return compute()
    try:
        return memo[key]
    except KeyError:
        memo[key] = result = compute()
        return result
    except TypeError:  # unhashable: nothing to remember
        return compute()


@lru_cache(maxsize=64)
def locale_for(language: str | None) -> Locale:
    """The Babel locale of a language code such as ``de`` or ``en-GB`` (English if unknown)."""
    try:
        return Locale.parse((language or DEFAULT_LOCALE).replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse(DEFAULT_LOCALE)


@lru_cache(maxsize=64)
def zone_for(name: str | None) -> ZoneInfo:
    """The IANA zone named ``name`` (UTC if empty or unknown)."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def is_valid_zone(name: str) -> bool:
    """True when ``name`` is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def money(
    amount: Decimal | float | int | str | None, currency: str | None, language: str | None
) -> str:
    """``24,90 €`` in German, ``€24.90`` in English; empty for a missing amount.

    Digits follow the currency (CLDR), as Saleor's own ``prices`` filters do with Babel.
    """
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return ""
    return _money_text(str(value), (currency or "").upper(), language)


@lru_cache(maxsize=4096)
def _money_text(value: str, currency: str, language: str | None) -> str:
    """Babel's text for an amount (a shop's prices repeat: each is formatted once per
    process, not on every first view)."""
    if not currency:
        return babel_numbers.format_decimal(Decimal(value), locale=locale_for(language))
    return babel_numbers.format_currency(Decimal(value), currency, locale=locale_for(language))


def _aware(value: datetime, zone: str | None) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(zone_for(zone))


def local_date(
    value: date | datetime | None,
    language: str | None,
    zone: str | None = None,
    *,
    weekday: bool = False,
) -> str:
    """One date style per language (CLDR ``long``): ``14. März 2025`` / ``March 14, 2025``.

    With ``weekday`` the CLDR ``full`` style: ``Freitag, 14. März 2025``. A datetime is first
    moved into the shop's zone, so a late-evening UTC time lands on the shop's calendar day.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _aware(value, zone).date()
    return _date_text(value, language, "full" if weekday else "long")


@lru_cache(maxsize=4096)
def _date_text(day: date, language: str | None, width: str) -> str:
    """A calendar day in CLDR's ``width`` style (orders and parcels share days: once each
    per process)."""
    loc, pattern = _date_pattern(language, width)
    return pattern.apply(day, loc)


@lru_cache(maxsize=64)
def _date_pattern(language: str | None, width: str) -> tuple[Locale, babel_dates.DateTimePattern]:
    """The locale and its parsed CLDR date pattern: ``babel.dates.format_date`` looks both up
    on every call."""
    loc = locale_for(language)
    return loc, babel_dates.parse_pattern(babel_dates.get_date_format(width, locale=loc))


@lru_cache(maxsize=64)
def _time_pattern(language: str | None) -> tuple[Locale, babel_dates.DateTimePattern]:
    """The locale and its parsed CLDR ``short`` time pattern (as ``format_time`` uses)."""
    loc = locale_for(language)
    return loc, babel_dates.parse_pattern(babel_dates.get_time_format("short", locale=loc))


def local_time(value: datetime | None, language: str | None, zone: str | None = None) -> str:
    """A time in the shop's zone with the zone shown: ``14:45 MEZ`` / ``2:45 PM CET``."""
    if value is None:
        return ""
    moment = _aware(value, zone)
    return f"{_clock(moment, language)} {zone_label(moment, language)}"


#: Pattern letters of fields other than hour, minute and day period (seconds, zones …).
_NOT_CLOCK = frozenset("sSAzZOvVXx")


def _clock(moment: datetime, language: str | None) -> str:
    """The wall-clock time in CLDR's ``short`` style: hours and minutes (and AM/PM), so
    the text is kept per minute of the day and language."""
    if not _clock_only(language):  # a locale whose short time shows more
        loc, pattern = _time_pattern(language)
        return pattern.apply(moment.timetz(), loc)  # what babel's format_time does
    return _clock_text(moment.hour, moment.minute, language)


@lru_cache(maxsize=64)
def _clock_only(language: str | None) -> bool:
    """Whether the language's short time pattern shows nothing but the clock."""
    return not _NOT_CLOCK & set(_time_pattern(language)[1].pattern)


@lru_cache(maxsize=4096)
def _clock_text(hour: int, minute: int, language: str | None) -> str:
    loc, pattern = _time_pattern(language)
    return pattern.apply(time(hour, minute), loc)


def local_datetime(value: datetime | None, language: str | None, zone: str | None = None) -> str:
    """Date and time in the shop's zone, zone shown: ``14. März 2025, 14:45 MEZ``."""
    if value is None:
        return ""
    return f"{local_date(value, language, zone)}, {local_time(value, language, zone)}"


def zone_label(moment: datetime, language: str | None) -> str:
    """The short zone name a reader knows (``MEZ``, ``CET``, ``EDT``, ``UTC``), else ``GMT+1``.

    CLDR has short names only where they are in common use for a locale; elsewhere the
    offset is shown, compactly, instead of a long name such as "Eastern Daylight Time".
    """
    offset = moment.utcoffset()
    if offset is not None and not offset and moment.tzname() in {"UTC", "GMT", "Z"}:
        return "UTC"
    key = getattr(moment.tzinfo, "key", None)
    if key is None:  # not an IANA zone: nothing to cache it under
        return _label(moment, offset, language)
    # Babel's short name depends only on the zone, daylight saving and the locale (its GMT
    # fallback also on the offset): looked up once per such combination and process.
    cache_key = (key, moment.tzname(), offset, bool(moment.dst()), language)
    label = _ZONE_LABELS.get(cache_key)
    if label is None:
        if len(_ZONE_LABELS) >= 512:
            _ZONE_LABELS.clear()
        label = _ZONE_LABELS[cache_key] = _label(moment, offset, language)
    return label


_ZONE_LABELS: dict[tuple, str] = {}


def _label(moment: datetime, offset: timedelta | None, language: str | None) -> str:
    label = babel_dates.get_timezone_name(
        moment, width="short", locale=locale_for(language), return_zone=False
    )
    if label and label.isalpha() and len(label) <= 5:
        return label
    minutes = int((offset.total_seconds() if offset is not None else 0) // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "")


def iso(value: date | datetime | None) -> str:
    """A valid HTML ``<time datetime>`` value: ``2025-03-14T13:45:00Z`` or ``2025-03-14``.

    Seconds at most (no microseconds), UTC with ``Z``, as the HTML spec's global date and time.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo("UTC"))
        return value.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


class rendering:
    """Render in ``language`` and the shop's ``zone``: ``with rendering("de", "Europe/Berlin")``."""

    def __init__(self, language: str | None, zone: str | None) -> None:
        from django.utils import timezone, translation

        self._language = translation.override(language or DEFAULT_LOCALE)
        self._zone = timezone.override(zone_for(zone))

    def __enter__(self) -> rendering:
        self._language.__enter__()
        self._zone.__enter__()
        self._memo = _memo.set({})
        return self

    def __exit__(self, *exc: object) -> None:
        _memo.reset(self._memo)
        self._zone.__exit__(*exc)
        self._language.__exit__(*exc)
