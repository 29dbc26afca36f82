"""Feature switches: what the plugin does in a channel (tracking, buy again, FAQ, reviews,
cross-selling, messages, metadata)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .fields import Field

FIELDS: tuple[Field, ...] = (
    Field(
        "tracking_enabled",
        "bool",
        True,
        _("Shipment tracking"),
        _("Detect carriers, build tracking links and follow parcels."),
    ),
    Field(
        "buy_again_enabled",
        "bool",
        True,
        _("Buy again"),
        _("Offer the shopper to put the order's items into a new checkout."),
    ),
    Field("faq_enabled", "bool", True, _("FAQ"), _("Show FAQ entries on the status page.")),
    Field(
        "reviews_enabled",
        "bool",
        True,
        _("Review prompts"),
        _("Ask for a rating once the order is delivered."),
    ),
    Field(
        "cross_sell_enabled",
        "bool",
        True,
        _("Cross-selling"),
        _("Show products bought together with the purchased ones (marketing consent rules apply)."),
    ),
    Field(
        "emails_enabled",
        "bool",
        False,
        _("Send emails to shoppers"),
        _("Master switch for outbound emails. Off until you have checked sender and templates."),
    ),
    Field(
        "sms_enabled",
        "bool",
        False,
        _("Send SMS / WhatsApp"),
        _("Master switch for text messages through the HTTP provider below."),
    ),
    Field(
        "metadata_summary_enabled",
        "bool",
        False,
        _("Write status to order metadata"),
        _(
            "Put the status link and a short delivery summary into the order's public metadata "
            "(keys aftersales.*). Off by default: Saleor copies the checkout's metadata into the "
            "order, and integrations that sync or compare order metadata would see these keys."
        ),
    ),
)
