"""Template tags over ``formatting``: ``{% load aftersales_format %}``.

They format in Django's active language and active time zone, so a caller renders inside
``translation.override(language)`` and ``timezone.override(shop_zone)`` (see
``formatting.rendering``) and every template shows one style:

- ``{{ amount|money:currency }}``: ``24,90 €``;
- ``{{ moment|local_date }}``, ``{{ moment|local_weekday_date }}``, ``{{ moment|local_time }}``,
  ``{{ moment|local_datetime }}``: dates and times with the zone shown;
- ``{{ moment|iso }}``: a valid ``<time datetime>`` value.

Inside ``formatting.rendering`` each distinct value is formatted once per render.
"""

from __future__ import annotations

from django import template
from django.utils import timezone, translation

from ..core import formatting

register = template.Library()


def _zone() -> str:
    return str(timezone.get_current_timezone_name())


def _moment(kind: str, value, format_) -> str:
    if value is None:
        return ""
    language, zone = translation.get_language(), _zone()
    # the type too: a naive and an aware datetime may compare equal yet show differently
    return formatting.memoized(
        (kind, type(value), value, getattr(value, "tzinfo", None), language, zone),
        lambda: format_(value, language, zone),
    )


@register.filter
def money(amount, currency=None) -> str:
    language = translation.get_language()
    return formatting.memoized(
        ("money", str(amount), currency, language),
        lambda: formatting.money(amount, currency, language),
    )


@register.filter
def local_date(value) -> str:
    return _moment("date", value, formatting.local_date)


@register.filter
def local_weekday_date(value) -> str:
    return _moment(
        "weekday", value, lambda v, lang, zone: formatting.local_date(v, lang, zone, weekday=True)
    )


@register.filter
def local_time(value) -> str:
    return _moment("time", value, formatting.local_time)


@register.filter
def local_datetime(value) -> str:
    return _moment("datetime", value, formatting.local_datetime)


@register.filter
def iso(value) -> str:
    return formatting.iso(value)
