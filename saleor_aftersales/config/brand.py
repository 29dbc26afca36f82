"""How the status page and emails look and who the shopper can contact."""

from __future__ import annotations

from .fields import Field

FIELDS: tuple[Field, ...] = (
    Field("shop_name", "str", "", "Shop name", "Shown on the status page and in emails."),
    Field("sender_name", "str", "", "Sender name", "Name in the From header of emails."),
    Field("sender_email", "email", "", "Sender address", "Address in the From header of emails."),
    Field(
        "staff_email",
        "email",
        "",
        "Staff address",
        "Receives the digest of problems that need your attention.",
    ),
    Field("brand_color", "color", "#1f6feb", "Brand colour", "Hex colour, e.g. #1f6feb."),
    Field("logo_url", "url", "", "Logo URL", "An https image shown on the page and in emails."),
    Field(
        "review_platform_url",
        "https_url",
        "",
        "Review platform URL",
        "Where shoppers go after rating, e.g. your Google review link (https only).",
    ),
    Field(
        "time_zone",
        "str",
        "",
        "Shop time zone",
        "IANA name such as Europe/Berlin; dates and times are shown in it, with the zone. "
        "Empty: UTC.",
    ),
    Field(
        "support_email",
        "email",
        "",
        "Support email",
        "Where shoppers write about an order; shown in the page's help block.",
    ),
    Field(
        "support_phone",
        "str",
        "",
        "Support phone",
        "Phone number shown in the page's help block, e.g. +49 30 1234567.",
    ),
    Field(
        "support_url",
        "https_url",
        "",
        "Support page URL",
        "Your help or contact page, shown in the page's help block (https only).",
    ),
)
