"""What a shopper notices on the status page: prices, dates, languages, help, verification."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from saleor_aftersales.core.colours import readable_brand
from saleor_aftersales.models import Parcel, TrackingEvent
from saleor_aftersales.status.access import LINK_LIMIT
from sandbox import factories

from .conftest import BASE, csrf_of, page_url, process

pytestmark = pytest.mark.django_db

SHOP = {
    "time_zone": "Europe/Berlin",
    "support_email": "help@shop.example.com",
    "support_phone": "+49 30 1234567",
    "support_url": "https://shop.example.com/help",
}


@pytest.fixture
def shop(channel):
    channel.configuration.update(SHOP)
    channel.save()
    return channel


def _order(make_order, language="en", **kwargs):
    variants = [factories.make_product("Rain Jacket", price="24.90"),
                factories.make_product("Wool Beanie", price="19.90")]
    order = make_order(lines=2, parcels=2, variants=variants, language_code=language,
                       tracking_numbers=["00340434161094042557", "1Z999AA10123456784"],
                       metadata={"marketing_consent": "true"}, **kwargs)
    process(order)
    return order


def _event(parcel, at, status, text, relevant=True, n=1):
    TrackingEvent.objects.create(parcel=parcel, occurred_at=at, status=status, description=text,
                                 location="Berlin", source="dhl", source_id=f"{parcel.pk}-{n}",
                                 relevant=relevant)


def _html(client, order, lang=""):
    return client.get(page_url(order) + (f"?lang={lang}" if lang else "")).content.decode()


def _unlocked_html(client, order, lang=""):
    """The page after the shopper confirmed the postcode (carrier texts are shown then)."""
    url = page_url(order)
    client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url), "answer": "51147"})
    return _html(client, order, lang)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(("lang", "unit", "line"), [("en", "€24.90", "€39.80"),
                                                     ("de", "24,90 €", "39,80 €")])
def test_prices_are_formatted_for_the_shoppers_language(client, shop, make_order, lang, unit,
                                                         line):
    order = _order(make_order)
    other = factories.make_product("Linen Shirt", price="24.90")
    factories.make_order(channel=shop, lines=2, variants=[order.lines.first().variant, other])
    text = _text(_html(client, order, lang))
    assert "24.9000" not in text and "EUR" not in text
    assert unit in text  # buy again and cross-sell: unit prices
    assert line in text  # order summary: the second line is 2 x 19.90
    total = sum((li.unit_price * li.quantity for li in order.lines.all()), Decimal("0"))
    shown = f"€{total:.2f}" if lang == "en" else f"{total:.2f} €".replace(".", ",")
    assert re.search(r"Total|Gesamt", text) and shown in text


def test_order_summary_and_parcels_show_thumbnails(client, shop, make_order):
    variant = factories.make_product("Rain Jacket", thumbnail_url="https://cdn.example.com/r.png")
    order = make_order(lines=1, parcels=1, variants=[variant])
    process(order)
    html = _html(client, order)
    # in the parcel ("In this parcel") and in the order summary
    assert html.count('src="https://cdn.example.com/r.png"') >= 2
    assert "Order summary" in html


def test_times_in_the_shops_zone_with_the_zone_and_one_german_date_style(client, shop,
                                                                         make_order):
    order = _order(make_order, language="de")
    parcel = Parcel.objects.filter(order_id=order.pk).first()
    _event(parcel, datetime(2025, 3, 14, 12, 45, tzinfo=UTC), "out_for_delivery",
           "Die Sendung wurde in das Zustellfahrzeug geladen.")
    Parcel.objects.filter(pk=parcel.pk).update(status="in_transit",
                                               estimated_delivery=date(2031, 4, 11))
    text = _text(_html(client, order))
    assert "14. März 2025, 13:45 MEZ" in text  # Berlin, not "12:45" UTC without a zone
    assert "Freitag, 11. April 2031" in text  # the dot after the day
    assert not re.search(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b", text)  # no second date style


def test_time_elements_have_valid_datetime_values(client, shop, make_order):
    order = _order(make_order)
    parcel = Parcel.objects.filter(order_id=order.pk).first()
    _event(parcel, datetime(2025, 3, 14, 12, 45, 7, 123456, tzinfo=UTC), "in_transit", "Scan")
    values = re.findall(r'<time datetime="([^"]*)"', _html(client, order))
    assert values
    for value in values:  # HTML's global date and time or a date: no microseconds
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?", value), value


def test_carrier_texts_are_secondary_to_our_translated_status(client, shop, make_order):
    order = _order(make_order)
    dhl, ups = Parcel.objects.filter(order_id=order.pk).order_by("pk")
    german = "Die Sendung wurde in das Zustellfahrzeug geladen."
    _event(dhl, datetime(2025, 3, 14, 8, tzinfo=UTC), "out_for_delivery", german)
    _event(ups, datetime(2025, 3, 14, 8, tzinfo=UTC), "in_transit", "Departed from Facility")
    english_page = _unlocked_html(client, order, "en")
    german_page = _html(client, order, "de")
    # the headline of each event is ours, in the page's language
    assert '<span class="as-event__status">Out for delivery</span>' in english_page
    assert '<span class="as-event__status">Unterwegs</span>' in german_page
    # the carrier's own words only in the smaller secondary line
    assert f'<span class="as-event__carrier">{german}</span>' in english_page
    assert '<span class="as-event__carrier">Departed from Facility</span>' in german_page
    assert english_page.count(german) == german_page.count(german) == 1


def test_newest_event_is_shown_even_when_classed_as_noise(client, shop, make_order):
    order = _order(make_order)
    parcel = Parcel.objects.filter(order_id=order.pk).first()
    _event(parcel, datetime(2025, 3, 14, 8, tzinfo=UTC), "in_transit", "Arrived at hub", n=1)
    _event(parcel, datetime(2025, 3, 14, 9, tzinfo=UTC), "out_for_delivery",
           "Sorted for delivery", relevant=False, n=2)
    html = _unlocked_html(client, order)
    news = html.split("Latest news from the carrier", 1)[1].split("</ul>", 1)[0]
    assert "Sorted for delivery" in news and "Arrived at hub" in news


def test_split_order_hero_says_how_many_parcels_are_out(client, shop, make_order):
    order = _order(make_order)
    first, second = Parcel.objects.filter(order_id=order.pk).order_by("pk")
    Parcel.objects.filter(pk=first.pk).update(status="out_for_delivery")
    Parcel.objects.filter(pk=second.pk).update(status="in_transit")
    text = _text(_html(client, order))
    assert "1 of 2 parcels out for delivery today." in text
    assert "Your order is out for delivery today" not in text


def test_a_parcel_waiting_for_pickup_promises_no_delivery_date(client, shop, make_order):
    """The parcel is at the pickup point: no "expected today", no delivery estimate box."""
    order = _order(make_order, language="de")
    Parcel.objects.filter(order_id=order.pk).update(
        status="ready_for_pickup", estimated_delivery=date.today())
    text = _text(_html(client, order))
    assert "Zur Abholung bereit" in text
    assert "voraussichtlich" not in text
    assert "Voraussichtliche Zustellung" not in text and "Alle Pakete erwartet" not in text


@pytest.mark.parametrize("lang,hero,parcel", [
    ("en", "Was expected by", "was expected Monday, March 3, 2025"),
    ("de", "Ursprünglich erwartet bis", "ursprünglich erwartet am Montag, 3. März 2025"),
])
def test_a_late_parcel_says_when_it_was_expected_not_that_it_is(client, shop, make_order,
                                                                lang, hero, parcel):
    """A date in the past is no estimate: the page says it was expected then."""
    order = _order(make_order, language=lang)
    Parcel.objects.filter(order_id=order.pk).update(
        status="delayed", estimated_delivery=date(2025, 3, 3))
    text = _text(_html(client, order))
    assert hero in text and parcel in text
    assert "Estimated delivery" not in text and "Voraussichtliche Zustellung" not in text
    assert "expected Monday" not in text.replace("was expected Monday", "")


def test_help_block_contacts_the_shop_about_this_order(client, shop, make_order):
    order = _order(make_order)
    html = _html(client, order)
    subject = f"Question%20about%20order%20{order.number}"
    assert f'href="mailto:help@shop.example.com?subject={subject}"' in html
    assert 'href="tel:+49301234567"' in html and "+49 30 1234567" in html
    assert 'href="https://shop.example.com/help"' in html
    de = _html(client, order, "de")
    assert f"subject=Frage%20zu%20Bestellung%20{order.number}" in de


def test_tracking_number_gets_a_copy_button_from_a_static_script(client, shop, make_order):
    order = _order(make_order)
    response = client.get(page_url(order))
    html = response.content.decode()
    assert 'data-copy="00340434161094042557"' in html
    assert re.search(r'<script src="[^"]+/assets/status-page\.js" defer></script>', html)
    assert "<script>" not in html  # nothing inline: the CSP allows 'self' scripts only
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = client.get(f"{BASE}/assets/status-page.js")
    assert script.status_code == 200 and "clipboard" in script.content.decode()


def test_every_page_links_a_favicon_that_exists(client, shop, make_order):
    order = _order(make_order)
    html = _html(client, order)
    href = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    icon = client.get(href)
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"
    assert b"#1f6feb" in icon.content and b">N<" in icon.content  # brand colour, initial
    invalid = client.get(f"{BASE}/status/nonsense").content.decode()
    assert '<link rel="icon"' in invalid
    shop.configuration["logo_url"] = "https://cdn.example.com/logo.png"
    shop.save()
    assert '<link rel="icon" href="https://cdn.example.com/logo.png">' in _html(client, order)


@pytest.mark.parametrize("path", ["/status/abc", "/status/", "/status/x/y/z"])
def test_short_or_broken_links_get_the_branded_page(client, shop, path):
    response = client.get(f"{BASE}{path}")
    assert response.status_code == 403
    html = response.content.decode()
    assert "This link is not valid" in html and "Nordwind Outfitters" in html
    assert "help@shop.example.com" in html


def test_wrong_answer_is_shown_next_to_the_form(client, shop, make_order):
    order = _order(make_order)
    url = page_url(order)
    response = client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url),
                                             "answer": "99999"})
    location = response["Location"]
    assert location.endswith("#personal")
    html = client.get(location).content.decode()
    personal = html.split('id="personal"', 1)[1].split("</section>", 1)[0]
    assert "That did not match" in personal  # where the page jumps to, not at the top
    assert 'aria-invalid="true" aria-describedby="verify-message" autofocus' in personal
    assert html.count("That did not match") == 1


def test_lockout_counts_failed_attempts_only(client, shop, make_order):
    order = _order(make_order)
    url = page_url(order)
    csrf = csrf_of(client, url)
    for _ in range(LINK_LIMIT + 2):  # a shopper unlocking again and again is never locked
        response = client.post(f"{url}/verify", {"csrf_token": csrf, "answer": "51147"})
        assert "m=unlocked" in response["Location"]
    for _ in range(LINK_LIMIT):
        client.post(f"{url}/verify", {"csrf_token": csrf, "answer": "00000"})
    response = client.post(f"{url}/verify", {"csrf_token": csrf, "answer": "51147"})
    assert "m=verify_limited" in response["Location"]  # wrong guesses still lock


@pytest.mark.parametrize("color", ["#ffcc00", "#7fdbff", "#1f6feb", "#0b6e4f", "#fff"])
def test_brand_text_colour_reads_on_white(color):
    def luminance(hex_colour):
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    ink = readable_brand(color)
    for background in ("#ffffff", "#f3f4f6"):  # cards and the page's grey (footer link)
        assert (luminance(background) + 0.05) / (luminance(ink) + 0.05) >= 4.5
    if color == "#0b6e4f":
        assert ink == color  # a dark brand colour is used as it is


def test_page_and_assets_are_compressed_and_the_stylesheet_inlined(client, shop, make_order):
    import gzip

    order = _order(make_order)
    page = client.get(page_url(order), HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip" and "Accept-Encoding" in page["Vary"]
    html = gzip.decompress(page.content).decode()
    assert 'rel="stylesheet"' not in html  # no render-blocking request for the CSS
    assert re.search(r'<style nonce="[^"]+">/\* saleor-aftersales status page', html)
    script = client.get(f"{BASE}/assets/status-page.js", HTTP_ACCEPT_ENCODING="gzip")
    assert script["Content-Encoding"] == "gzip"
    again = client.get(f"{BASE}/assets/status-page.js", HTTP_ACCEPT_ENCODING="gzip",
                       HTTP_IF_NONE_MATCH=script["ETag"])
    assert again.status_code == 304
