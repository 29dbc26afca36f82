"""How the status page and emails look and who the shopper can contact."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .fields import Field

FIELDS: tuple[Field, ...] = (
    Field("shop_name", "str", "", _("Shop name"), _("Shown on the status page and in emails.")),
    Field("sender_name", "str", "", _("Sender name"), _("Name in the From header of emails.")),
    Field(
        "sender_email", "email", "", _("Sender address"), _("Address in the From header of emails.")
    ),
    Field(
        "staff_email",
        "email",
        "",
        _("Staff address"),
        _("Receives the digest of problems that need your attention."),
    ),
    Field("brand_color", "color", "#1f6feb", _("Brand colour"), _("Hex colour, e.g. #1f6feb.")),
    Field(
        "logo_url", "url", "", _("Logo URL"), _("An https image shown on the page and in emails.")
    ),
    Field(
        "review_platform_url",
        "https_url",
        "",
        _("Review platform URL"),
        _("Where shoppers go after rating, e.g. your Google review link (https only)."),
    ),
    Field(
        "time_zone",
        "str",
        "",
        _("Shop time zone"),
        _(
            "IANA name such as Europe/Berlin; dates and times are shown in it, with the zone. "
            "Empty: UTC."
        ),
    ),
    Field(
        "support_email",
        "email",
        "",
        _("Support email"),
        _("Where shoppers write about an order; shown in the page's help block."),
    ),
    Field(
        "support_phone",
        "str",
        "",
        _("Support phone"),
        _("Phone number shown in the page's help block, e.g. +49 30 1234567."),
    ),
    Field(
        "support_url",
        "https_url",
        "",
        _("Support page URL"),
        _("Your help or contact page, shown in the page's help block (https only)."),
    ),
)
