"""Returns: window, approval, resolutions, non-returnable products, reasons, address
(read by ``returns/rules.py``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .fields import Field

FIELDS: tuple[Field, ...] = (
    Field(
        "returns_enabled",
        "bool",
        False,
        _("Returns"),
        _("Let shoppers return delivered items from the status page."),
    ),
    Field(
        "return_window_days",
        "int",
        30,
        _("Return window (days)"),
        _("Days after delivery in which a parcel's items can be returned."),
        1,
        365,
    ),
    Field(
        "return_approval",
        "choice",
        "manual",
        _("Return approval"),
        _("'manual': staff approve each return; 'auto': returns are approved at once."),
        choices=("manual", "auto"),
    ),
    Field(
        "return_resolutions",
        "str",
        "refund,exchange,store_credit",
        _("Return resolutions"),
        _("Comma-separated: refund, exchange, store_credit."),
    ),
    Field(
        "return_non_returnable",
        "text",
        "",
        _("Not returnable"),
        _(
            "One product type name or product slug per line. A product (or product type) with "
            "the metadata key 'aftersales.returnable' set to 'false' cannot be returned either."
        ),
    ),
    Field(
        "return_reasons",
        "text",
        "",
        _("Return reasons"),
        _(
            "One per line: 'code = English | Deutsch'. Empty: the shipped reasons. Ignored when "
            "Saleor's return reason model is set (its pages are the reasons)."
        ),
    ),
    Field(
        "return_address",
        "text",
        "",
        _("Return address"),
        _("Where shoppers send parcels without a prepaid label; printed on the return slip."),
    ),
    Field(
        "return_stores",
        "text",
        "",
        _("Return to a store"),
        _("Stores that take returns, one per line (name and address); shown on the return slip."),
    ),
    Field(
        "dhl_returns_api_url",
        "url",
        "https://api-eu.dhl.com/parcel/de/shipping/returns/v1",
        _("DHL returns API URL"),
        _("DHL Parcel DE Returns API; leave as is unless DHL tells you otherwise."),
    ),
    Field(
        "dhl_returns_receiver_id",
        "str",
        "",
        _("DHL returns receiver ID"),
        _(
            "Your receiver ID in DHL's business customer portal (e.g. 'deu'); empty: no "
            "prepaid labels, shoppers get the return address."
        ),
    ),
    Field("dhl_returns_username", "str", "", _("DHL returns user"), _("Business customer user.")),
    Field(
        "dhl_returns_password",
        "secret",
        "",
        _("DHL returns password"),
        _("Business customer password."),
    ),
)
