"""Which first email the shopper gets, per ``confirmation_mode``, captured as actually sent.

A real ``checkoutComplete`` in Saleor 3.23, with Saleor's own *User emails* plugin and ours
both sending to one loopback SMTP server. Saleor's confirmation uses a shop template that
prints every public metadata key of the order, so a status link written to the metadata would
show in it.
"""

from __future__ import annotations

import re
from unittest.mock import patch
from urllib.parse import urlsplit

import pytest
from flows import SmtpServer, complete_checkout, message_parts, pay_checkout
from saleor.order.models import Order
from saleor.plugins.manager import get_plugins_manager
from saleor.plugins.user_email.plugin import UserEmailPlugin

from saleor_aftersales.notifications import email as email_module

USER_EMAILS = "saleor.plugins.user_email.plugin.UserEmailPlugin"
# A shop owner's confirmation template that shows the order's public metadata.
SALEOR_TEMPLATE = (
    "<p>Order {{order.number}}</p>"
    "{{#each order.metadata}}<p>meta {{@key}} = {{this}}</p>{{/each}}"
)


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def saleor_emails(settings, aftersales, smtp):
    """Saleor's *User emails* plugin for channel "main", sending to the loopback server."""

    def configure(order_confirmation_template: str = SALEOR_TEMPLATE):
        """Saleor's payment confirmation (also sent at checkout) is off: one email to compare."""
        settings.PLUGINS = [USER_EMAILS, *settings.PLUGINS]
        port = str(smtp.port)
        manager = get_plugins_manager(allow_replica=False)
        with patch("saleor.plugins.user_email.plugin.validate_default_email_configuration"):
            manager.save_plugin_configuration(
                UserEmailPlugin.PLUGIN_ID,
                "main",
                {
                    "active": True,
                    "configuration": [
                        {"name": "host", "value": "127.0.0.1"},
                        {"name": "port", "value": port},
                        {"name": "sender_address", "value": "saleor@shop.example.com"},
                        {"name": "use_tls", "value": False},
                        {"name": "use_ssl", "value": False},
                        {"name": "order_confirmation", "value": order_confirmation_template},
                        {"name": "order_payment_confirmation", "value": ""},
                        {"name": "order_confirmed", "value": ""},
                    ],
                },
            )

    return configure


@pytest.fixture
def our_emails(set_config, smtp):
    email_module.clear_cache()

    def configure(**values):
        set_config(
            emails_enabled="true",
            sender_email="service@shop.example.com",
            smtp_url=smtp.url,
            **values,
        )

    yield configure
    email_module.clear_cache()


@pytest.fixture
def place_order(user_api_client, checkout_ready_to_complete, transaction_item_generator):
    """Complete a paid checkout (carrying checkout metadata) through ``checkoutComplete``."""

    def place() -> Order:
        checkout = checkout_ready_to_complete
        checkout.metadata_storage.store_value_in_metadata({"gift_note": "for Anna"})
        checkout.metadata_storage.save()
        pay_checkout(checkout, transaction_item_generator)
        assert complete_checkout(user_api_client, checkout)["errors"] == []
        return Order.objects.get()

    return place


def _html(message) -> str:
    return message_parts(message)[1] if message.is_multipart() else message.get_content()


def test_block_mode_saleors_confirmation_cannot_carry_the_status_link(
    saleor_emails, our_emails, place_order, smtp
):
    saleor_emails()
    our_emails(confirmation_mode="block", metadata_summary_enabled="true")

    order = place_order()

    assert len(smtp.messages) == 1  # Saleor's; we send none in block mode
    message = smtp.messages[0]
    assert message["X-Aftersales-Event"] is None
    html = _html(message)
    assert "meta gift_note = for Anna" in html  # the template shows the order's metadata…
    assert "aftersales." not in html and "/status/" not in html  # …but not ours: not yet
    order.refresh_from_db()
    assert order.metadata["aftersales.status_url"]  # written, after Saleor built its email


def test_replace_mode_the_first_email_is_ours_with_a_working_status_link(
    saleor_emails, our_emails, place_order, smtp, client
):
    saleor_emails(order_confirmation_template="")  # the owner switched Saleor's off
    our_emails()  # confirmation_mode: the default

    order = place_order()

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["X-Aftersales-Event"] == "order_confirmation"
    assert message["To"] == order.user_email
    text, html = message_parts(message)
    link = re.search(r'href="(https?://[^"]*/status/[^"]+)"', html).group(1)
    assert link in text
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert str(order.number) in page.content.decode()
