"""The status page's faster formatting shows exactly what Babel's own calls show.

``formatting`` caches parsed CLDR patterns and zone names and formats each distinct value once
per render. The reference here is the plain Babel call (``format_date``, ``format_time``,
``get_timezone_name`` on every value); whole pages rendered both ways must be identical except
for the per-response nonce and CSRF token.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from saleor_aftersales.core import formatting
from saleor_aftersales.models import Parcel, TrackingEvent
from sandbox import factories

from .conftest import page_url, process

LANGUAGES = ["en", "de", "en-GB", "fr", "xx", None]
ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "Nowhere/Else",
    None,
]
MOMENTS = [
    datetime(2025, 3, 30, 0, 59, tzinfo=UTC),  # Berlin: just before the switch to summer time
    datetime(2025, 3, 30, 1, 0, tzinfo=UTC),
    datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
    datetime(2025, 12, 31, 23, 30, tzinfo=UTC),  # New Year's Day in Berlin
    datetime(2025, 7, 4, 12, 0),  # naive: taken as UTC
]


def reference_label(moment: datetime, language: str | None) -> str:
    offset = moment.utcoffset()
    if offset is not None and not offset and moment.tzname() in {"UTC", "GMT", "Z"}:
        return "UTC"
    label = babel_dates.get_timezone_name(
        moment, width="short", locale=formatting.locale_for(language), return_zone=False
    )
    if label and label.isalpha() and len(label) <= 5:
        return label
    minutes = int((offset.total_seconds() if offset is not None else 0) // 60)
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{'+' if minutes >= 0 else '-'}{hours}" + (f":{rest:02d}" if rest else "")


def reference_date(value, language, zone=None, *, weekday=False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = formatting._aware(value, zone).date()
    return babel_dates.format_date(
        value, format="full" if weekday else "long", locale=formatting.locale_for(language)
    )


def reference_time(value, language, zone=None) -> str:
    if value is None:
        return ""
    moment = formatting._aware(value, zone)
    clock = babel_dates.format_time(moment, format="short", locale=formatting.locale_for(language))
    return f"{clock} {reference_label(moment, language)}"


def reference_datetime(value, language, zone=None) -> str:
    if value is None:
        return ""
    return f"{reference_date(value, language, zone)}, {reference_time(value, language, zone)}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("zone", ZONES)
def test_dates_and_times_match_babel(language, zone):
    for moment in MOMENTS:
        for _ in range(2):  # the second call is served from the caches
            assert formatting.local_datetime(moment, language, zone) == reference_datetime(
                moment, language, zone
            )
            assert formatting.local_date(moment, language, zone, weekday=True) == (
                reference_date(moment, language, zone, weekday=True)
            )
    assert formatting.local_date(date(2025, 3, 14), language) == reference_date(
        date(2025, 3, 14), language
    )


def test_memo_keeps_equal_but_different_values_apart():
    """Within one render, values that compare equal but show differently stay apart."""
    from saleor_aftersales.templatetags import aftersales_format as tags

    aware = datetime(2025, 7, 4, 12, 0, tzinfo=UTC)
    with formatting.rendering("de", "Europe/Berlin"):
        assert tags.money(Decimal("24.9"), "EUR") == "24,90\xa0€"
        assert tags.money(Decimal("24.9"), "USD") == "24,90\xa0$"
        assert tags.money(None, "EUR") == ""
        assert tags.local_date(aware) == "4. Juli 2025"
        assert tags.local_date(aware.date() + timedelta(days=1)) == "5. Juli 2025"
        assert tags.local_time(aware) == "14:00 MESZ"
    with formatting.rendering("en", "America/New_York"):  # a new render: nothing carried over
        assert tags.local_time(aware) == "8:00\u202fAM EDT"
        assert tags.money(Decimal("24.9"), "EUR") == babel_numbers.format_currency(
            Decimal("24.9"), "EUR", locale="en"
        )


def _reference_formatting(monkeypatch):
    monkeypatch.setattr(formatting, "local_date", reference_date)
    monkeypatch.setattr(formatting, "local_time", reference_time)
    monkeypatch.setattr(formatting, "local_datetime", reference_datetime)
    monkeypatch.setattr(formatting, "memoized", lambda key, compute: compute())


_VOLATILE = re.compile(r'(nonce="|nonce-|name="csrf_token" value=")[^"\']+')


def _page(client, url: str) -> str:
    html = client.get(url).content.decode()
    return _VOLATILE.sub(r"\1…", html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("state", ["shipped", "delivered", "preparing"])
def test_page_is_unchanged(client, monkeypatch, language, state):
    channel = factories.make_channel(
        "default-channel",
        shop_name="Nordwind",
        storefront_url="https://shop.example.com",
        time_zone="Europe/Berlin",
    )
    parcels = 0 if state == "preparing" else 2
    order = factories.make_order(
        lines=3,
        parcels=parcels,
        channel=channel,
        language_code=language,
        tracking_numbers=["00340434161094042557", "1Z999AA10123456784"][:parcels],
    )
    process(order)
    start = datetime(2025, 3, 29, 20, 0, tzinfo=UTC)
    for parcel in Parcel.objects.filter(order_id=order.pk):
        TrackingEvent.objects.bulk_create(
            TrackingEvent(
                parcel=parcel,
                occurred_at=start + timedelta(hours=5 * i),
                status="in_transit",
                description=f"Scan {i}",
                location="Leipzig",
                source="test",
                source_id=f"{parcel.pk}-{i}",
                relevant=i % 2 == 0,
            )
            for i in range(8)
        )
        if state == "delivered":
            Parcel.objects.filter(pk=parcel.pk).update(
                status="delivered", delivered_at=start + timedelta(days=2)
            )
    url = page_url(order)
    fast = _page(client, url)
    assert ('<li class="as-event">' in fast) == (state != "preparing")
    with monkeypatch.context() as patched:
        _reference_formatting(patched)
        assert _page(client, url) == fast
    assert _page(client, url + "?lang=" + ("de" if language == "en" else "en")) != fast
