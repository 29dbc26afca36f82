"""The Aftersales page's Settings tab over HTTP: sections, write-only secrets, inline
validation, and the same stored values the plugin form shows."""

from __future__ import annotations

from saleor_aftersales.hosts import get_host
from sandbox import factories

from .conftest import ROOT, get, post

ADMIN = ("MANAGE_ORDERS", "MANAGE_PLUGINS")


def _form(**changes) -> dict:
    """What the page posts: every field as shown (booleans ticked when on)."""
    data = {
        "channel": "default-channel",
        "tracking_enabled": "on",
        "faq_enabled": "on",
        "shop_name": "Fjord & Fell",
        "brand_color": "#0b6e4f",
    }
    return {**data, **changes}


def test_every_field_is_in_one_section():
    from saleor_aftersales.config import FIELDS
    from saleor_aftersales.dashboard.settings_page import sectioned

    shown = [spec.name for fields in sectioned().values() for spec in fields]
    assert sorted(shown) == sorted(f.name for f in FIELDS)


def test_sections_and_secrets_that_are_never_shown(client, channel, token):
    factories.make_channel("default-channel", smtp_url="smtp://mailer:hunter2@127.0.0.1:2525")
    body = get(client, f"{ROOT}/api/settings?channel=default-channel", token()).content.decode()
    for section in (
        "Features",
        "Storefront and brand",
        "Carriers and timing",
        "Messages",
        "Returns",
        "Privacy and retention",
    ):
        assert f">{section}</h2>" in body
    assert "hunter2" not in body and "mailer" not in body
    assert 'type="password" id="as-s-smtp_url"' in body
    assert "Saving needs the permission to manage plugins." in body and " disabled>" in body


def test_a_wrong_value_is_shown_beside_its_field_and_nothing_is_saved(client, channel, token):
    url = f"{ROOT}/api/settings/save"
    response = post(client, url, _form(brand_color="red;}</style>", shop_name="New"), token(ADMIN))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="as-s-brand_color" name="brand_color" value="red;}&lt;/style&gt;"' in body
    assert 'aria-invalid="true"' in body and "1 value needs fixing" in body
    assert get_host().get_config("default-channel").shop_name != "New"


def test_saving_keeps_an_untouched_secret_and_the_plugin_form_agrees(client, channel, token):
    factories.make_channel("default-channel", smtp_url="smtp://mailer:hunter2@127.0.0.1:2525")
    response = post(client, f"{ROOT}/api/settings/save", _form(smtp_url=""), token(ADMIN))
    assert response.status_code == 200 and "Settings saved." in response.content.decode()
    config = get_host().get_config("default-channel")
    assert (config.shop_name, config.brand_color) == ("Fjord & Fell", "#0b6e4f")
    assert config.smtp_url == "smtp://mailer:hunter2@127.0.0.1:2525"
    assert config.emails_enabled is False  # an unticked box is off
    post(client, f"{ROOT}/api/settings/save", _form(smtp_url="smtp://127.0.0.1:2526"), token(ADMIN))
    assert get_host().get_config("default-channel").smtp_url == "smtp://127.0.0.1:2526"


def test_saving_needs_manage_plugins_in_the_channel(client, channel, token):
    url = f"{ROOT}/api/settings/save"
    assert post(client, url, _form(shop_name="X")).status_code == 401
    assert post(client, url, _form(shop_name="X"), token()).status_code == 403
    other = token(ADMIN, channels=["other-channel"])
    assert post(client, url, _form(shop_name="X"), other).status_code == 403
    assert get_host().get_config("default-channel").shop_name != "X"


def test_test_connections_tries_the_saved_mail_server(client, channel, token):
    from tests.notifications.conftest import SmtpServer, free_port

    smtp = SmtpServer().start()
    try:
        factories.make_channel("default-channel", smtp_url=smtp.url)
        data = {"channel": "default-channel"}
        body = post(client, f"{ROOT}/api/settings/check", data, token()).content.decode()
        assert "OK</strong> smtp: smtp://127.0.0.1:" in body and "accepts us" in body
    finally:
        smtp.stop()
    factories.make_channel("default-channel", smtp_url=f"smtp://127.0.0.1:{free_port()}")
    body = post(client, f"{ROOT}/api/settings/check", data, token()).content.decode()
    assert "Fix</strong> smtp:" in body and "fix smtp_url" in body
    other = token(channels=["other-channel"])
    assert post(client, f"{ROOT}/api/settings/check", data, other).status_code == 403


def test_labels_and_help_in_german(client, channel, token):
    url = f"{ROOT}/api/settings?channel=default-channel&lang=de"
    body = get(client, url, token()).content.decode()
    assert ">Shopname</label>" in body and "Markenfarbe" in body
    assert "Wird auf der Statusseite und in E-Mails angezeigt." in body
    assert "Vorlage: Bestellbestätigung" in body and ">Shop name<" not in body


def test_a_wrong_value_is_explained_in_german(client, channel, token):
    url = f"{ROOT}/api/settings/save?lang=de"
    response = post(client, url, _form(brand_color="rot", support_phone="call me"), token(ADMIN))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Markenfarbe: eine Hex-Farbe wie #1f6feb verwenden." in body
    assert "Support-Telefon: nur Ziffern, Leerzeichen und + ( ) - / verwenden." in body
