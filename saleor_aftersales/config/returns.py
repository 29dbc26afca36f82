"""Returns: window, approval, resolutions, non-returnable products, reasons, address
(read by ``returns/rules.py``)."""

from __future__ import annotations

from .fields import Field

FIELDS: tuple[Field, ...] = (
    Field(
        "returns_enabled",
        "bool",
        False,
        "Returns",
        "Let shoppers return delivered items from the status page.",
    ),
    Field(
        "return_window_days",
        "int",
        30,
        "Return window (days)",
        "Days after delivery in which a parcel's items can be returned.",
        1,
        365,
    ),
    Field(
        "return_approval",
        "choice",
        "manual",
        "Return approval",
        "'manual': staff approve each return; 'auto': returns are approved at once.",
        choices=("manual", "auto"),
    ),
    Field(
        "return_resolutions",
        "str",
        "refund,exchange,store_credit",
        "Return resolutions",
        "Comma-separated: refund, exchange, store_credit.",
    ),
    Field(
        "return_non_returnable",
        "text",
        "",
        "Not returnable",
        "One product type name or product slug per line. A product (or product type) with "
        "the metadata key 'aftersales.returnable' set to 'false' cannot be returned either.",
    ),
    Field(
        "return_reasons",
        "text",
        "",
        "Return reasons",
        "One per line: 'code = English | Deutsch'. Empty: the shipped reasons. Ignored when "
        "Saleor's return reason model is set (its pages are the reasons).",
    ),
    Field(
        "return_address",
        "text",
        "",
        "Return address",
        "Where shoppers send parcels without a prepaid label; printed on the return slip.",
    ),
    Field(
        "return_stores",
        "text",
        "",
        "Return to a store",
        "Stores that take returns, one per line (name and address); shown on the return slip.",
    ),
    Field(
        "dhl_returns_api_url",
        "url",
        "https://api-eu.dhl.com/parcel/de/shipping/returns/v1",
        "DHL returns API URL",
        "DHL Parcel DE Returns API; leave as is unless DHL tells you otherwise.",
    ),
    Field(
        "dhl_returns_receiver_id",
        "str",
        "",
        "DHL returns receiver ID",
        "Your receiver ID in DHL's business customer portal (e.g. 'deu'); empty: no "
        "prepaid labels, shoppers get the return address.",
    ),
    Field("dhl_returns_username", "str", "", "DHL returns user", "Business customer user."),
    Field(
        "dhl_returns_password", "secret", "", "DHL returns password", "Business customer password."
    ),
)
