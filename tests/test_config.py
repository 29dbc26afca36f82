"""Per-channel configuration: typed parsing and the errors a shop owner sees."""

from __future__ import annotations

from saleor_aftersales.config import FIELDS, parse_config, validate_config


def test_defaults_send_nothing_until_switched_on():
    config = parse_config([])
    assert config.emails_enabled is False
    assert config.sms_enabled is False
    assert config.enabled_email_events == frozenset()
    assert config.tracking_enabled is True
    assert config.link_validity_days == 90


def test_saleor_shaped_configuration_is_typed():
    config = parse_config(
        [
            {"name": "emails_enabled", "value": "true"},
            {"name": "review_delay_days", "value": "14"},
            {"name": "shop_name", "value": "  Nordwind  "},
            {"name": "carrier_by_shipping_method", "value": "Express = UPS\nnonsense\nPost=dhl"},
        ],
        channel_slug="de",
    )
    assert config.channel_slug == "de"
    assert config.emails_enabled is True
    assert config.review_delay_days == 14
    assert config.shop_name == "Nordwind"
    assert config.carrier_overrides == {"express": "ups", "post": "dhl"}
    assert "shipped" in config.enabled_email_events


def test_bad_int_falls_back_when_parsing_but_is_reported_by_validation():
    assert parse_config({"review_delay_days": "soon"}).review_delay_days == 7
    assert "review_delay_days" in validate_config({"review_delay_days": "soon"})


def test_validation_messages_are_field_keyed_and_understandable():
    errors = validate_config(
        {
            "storefront_url": "shop.example.com",
            "review_platform_url": "http://g.page/r/abc",
            "sender_email": "not-an-address",
            "delay_threshold_days": "-3",
            "link_validity_days": "100000",
            "default_carrier": "pigeon",
            "carrier_by_shipping_method": "Express = raven",
            "brand_color": "blue",
            "email_events": "shipped,telegram",
        }
    )
    assert "https://" in errors["storefront_url"]
    assert "secure link" in errors["review_platform_url"]
    assert "not-an-address" in errors["sender_email"]
    assert "at least 0" in errors["delay_threshold_days"]
    assert "at most 730" in errors["link_validity_days"]
    assert "pigeon" in errors["default_carrier"]
    assert "raven" in errors["carrier_by_shipping_method"]
    assert "hex colour" in errors["brand_color"]
    assert "telegram" in errors["email_events"]


def test_valid_configuration_has_no_errors():
    good = {f.name: f.default for f in FIELDS}
    good.update(
        storefront_url="https://shop.example.com",
        review_platform_url="https://g.page/r/abc/review",
        sender_email="service@shop.example.com",
        product_url_template="https://shop.example.com/products/{slug}",
    )
    assert validate_config(good) == {}


def test_readme_documents_every_setting_as_the_dashboard_shows_it():
    """The README's settings table says what the dashboard form says (label and help)."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    rows = {m[1]: m[0] for m in re.finditer(r"^\| `([\w<>]+)` \|.*$", readme, re.M)}
    for field in FIELDS:
        name = (
            "<trigger>_template"
            if field.name.endswith("_template") and field.name not in rows
            else field.name
        )
        assert name in rows, f"README has no row for {field.name}"
        if name == field.name:
            assert f"{field.label}: {field.help}" in rows[name], f"README drifted: {field.name}"


def test_shop_time_zone_and_support_contacts_are_checked():
    errors = validate_config({"time_zone": "Europe/Berlln", "support_phone": "call me maybe",
                              "support_url": "http://shop.example.com/help",
                              "support_email": "help@"})
    assert "unknown time zone 'Europe/Berlln'" in errors["time_zone"]
    assert set(errors) == {"time_zone", "support_phone", "support_url", "support_email"}
    ok = {"time_zone": "Europe/Berlin", "support_phone": "+49 (30) 123-4567",
          "support_url": "https://shop.example.com/help", "support_email": "help@example.com"}
    assert validate_config(ok) == {}
    assert parse_config(ok).time_zone == "Europe/Berlin"


def test_the_same_settings_are_parsed_once_and_a_change_is_read_anew():
    raw = [{"name": "shop_name", "value": "Nordwind"}, {"name": "review_delay_days", "value": 3}]
    first = parse_config(raw, channel_slug="c")
    assert parse_config([dict(item) for item in raw], channel_slug="c") is first
    changed = parse_config([{**raw[0], "value": "Südwind"}, raw[1]], channel_slug="c")
    assert changed.shop_name == "Südwind" and first.shop_name == "Nordwind"
    assert parse_config(raw, channel_slug="d").channel_slug == "d"
    assert parse_config(raw, channel_slug="c", active=False).active is False
    unhashable = parse_config([{"name": "shop_name", "value": ["x"]}], channel_slug="c")
    assert unhashable is not parse_config([{"name": "shop_name", "value": ["x"]}],
                                          channel_slug="c")


def test_carrier_account_and_email_template_errors_speak_the_owners_language():
    from django.utils import translation

    bad = {"karrio_carriers": "{", "shipped_template": "{% extends 'x.html' %}",
           "email_subjects": "shipped"}
    with translation.override("de"):
        errors = validate_config(bad)
    assert "JSON-Objekt" in errors["karrio_carriers"]
    assert "nicht unterstützt" in errors["shipped_template"]
    assert "eine Zeile je Auslöser" in errors["email_subjects"]
    with translation.override("en"):
        assert "JSON object" in validate_config(bad)["karrio_carriers"]
