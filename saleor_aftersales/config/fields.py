"""The vocabulary of the settings: a field's declaration, carrier codes, email triggers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal[
    "bool", "str", "int", "url", "https_url", "email", "color", "secret", "text", "choice"
]

CARRIER_CODES: tuple[str, ...] = (
    "dhl",
    "dhl_express",
    "dhl_ecommerce",
    "deutsche_post",
    "dpd",
    "hermes",
    "gls",
    "ups",
    "fedex",
    "usps",
    "postnl",
    "royal_mail",
    "austrian_post",
    "swiss_post",
    "purolator",
)


@dataclass(frozen=True)
class Field:
    """One configuration field as the shop owner sees it in the dashboard."""

    name: str
    kind: Kind
    default: Any
    label: str
    help: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()


EMAIL_EVENTS: tuple[str, ...] = (
    "order_confirmation",
    "shipped",
    "out_for_delivery",
    "delivered",
    "ready_for_pickup",
    "delay",
    "review_request",
    "staff_digest",
)
#: Return emails: sent with emails and returns both on (not listed in ``email_events``).
RETURN_EMAIL_EVENTS: tuple[str, ...] = (
    "return_requested",
    "return_approved",
    "return_rejected",
    "return_received",
    "return_resolved",
)

