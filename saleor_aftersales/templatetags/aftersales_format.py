"""Template tags over ``formatting``: ``{% load aftersales_format %}``.

They format in Django's active language and active time zone, so a caller renders inside
``translation.override(language)`` and ``timezone.override(shop_zone)`` (see
``formatting.rendering``) and every template shows one style:

- ``{{ amount|money:currency }}``: ``24,90 €``;
- ``{{ moment|local_date }}``, ``{{ moment|local_weekday_date }}``, ``{{ moment|local_time }}``,
  ``{{ moment|local_datetime }}``: dates and times with the zone shown;
- ``{{ moment|iso }}``: a valid ``<time datetime>`` value.
"""

from __future__ import annotations

from django import template
from django.utils import timezone, translation

from .. import formatting

register = template.Library()


def _zone() -> str:
    return str(timezone.get_current_timezone_name())


@register.filter
def money(amount, currency=None) -> str:
    return formatting.money(amount, currency, translation.get_language())


@register.filter
def local_date(value) -> str:
    return formatting.local_date(value, translation.get_language(), _zone())


@register.filter
def local_weekday_date(value) -> str:
    return formatting.local_date(value, translation.get_language(), _zone(), weekday=True)


@register.filter
def local_time(value) -> str:
    return formatting.local_time(value, translation.get_language(), _zone())


@register.filter
def local_datetime(value) -> str:
    return formatting.local_datetime(value, translation.get_language(), _zone())


@register.filter
def iso(value) -> str:
    return formatting.iso(value)
