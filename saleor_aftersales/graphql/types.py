"""GraphQL types of the shopper's status (prefixed ``Aftersales…``: no clash with Saleor's).

They resolve straight from the dataclasses of :mod:`saleor_aftersales.status.types` (built once
per order, with a fixed number of queries); staff types are in :mod:`.staff_types`. Our own
objects carry Saleor-style global ids (base64 ``"AftersalesParcel:<pk>"``); orders are referred
to by Saleor's global order id (``"Order:<uuid>"``).
"""

from __future__ import annotations

import graphene
from graphql_relay import to_global_id

from ..core.parcel_status import ParcelStatus
from ..models import FaqEntry

AftersalesParcelStatus = graphene.Enum(
    "AftersalesParcelStatus",
    [(value.upper(), value) for value in ParcelStatus.values],
    description="Normalised status of a parcel, whatever the carrier.",
)
AftersalesFaqContext = graphene.Enum(
    "AftersalesFaqContext",
    [(value.upper(), value) for value in FaqEntry.Context.values],
    description="The order state an FAQ entry is shown for.",
)


def order_global_id(order_id: str) -> str:
    """Saleor's global id of an order UUID."""
    return to_global_id("Order", str(order_id))


def _value(status) -> str:
    return status.value if hasattr(status, "value") else str(status)


class AftersalesMoney(graphene.ObjectType):
    amount = graphene.Float(required=True)
    currency = graphene.String(required=True)

    class Meta:
        description = "An amount of money."


def _money(price, currency):
    if price is None:
        return None
    return AftersalesMoney(amount=float(price), currency=currency or "")


class AftersalesLine(graphene.ObjectType):
    line_id = graphene.String(required=True, description="The host's order line id.")
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    thumbnail_url = graphene.String(required=True)
    product_url = graphene.String(required=True, description="Product page; empty if unknown.")

    class Meta:
        description = "An order line, or the part of it in one parcel."


class AftersalesTrackingEvent(graphene.ObjectType):
    occurred_at = graphene.DateTime(required=True)
    status = graphene.Field(AftersalesParcelStatus, required=True)
    status_text = graphene.String(required=True, description="Translated status label.")
    location = graphene.String(required=True)
    description = graphene.String(required=True, description="The carrier's text (escape it).")
    relevant = graphene.Boolean(
        required=True, description="False for carrier noise such as hub scans."
    )

    class Meta:
        description = "A carrier event of a parcel."

    @staticmethod
    def resolve_status(root, _info):
        return root.status


class AftersalesParcel(graphene.ObjectType):
    id = graphene.ID(required=True)
    number = graphene.Int(required=True, description="1-based position: parcel 1 of 2.")
    carrier = graphene.String(
        required=True, description="Carrier code, e.g. dhl; empty if unknown."
    )
    carrier_name = graphene.String(required=True)
    tracking_number = graphene.String(required=True)
    tracking_url = graphene.String(required=True, description="The carrier's tracking page.")
    status = graphene.Field(AftersalesParcelStatus, required=True)
    status_text = graphene.String(required=True)
    status_detail = graphene.String(required=True)
    shipped_at = graphene.DateTime()
    delivered_at = graphene.DateTime()
    estimated_delivery = graphene.Date(description="Estimated delivery date.")
    estimate_confidence = graphene.Float(description="0..1; null when unknown.")
    confidence = graphene.String(required=True, description="high, medium, low or empty.")
    confidence_text = graphene.String(required=True)
    events = graphene.List(
        graphene.NonNull(AftersalesTrackingEvent),
        required=True,
        all=graphene.Boolean(
            default_value=False, description="Include carrier noise (hub scans)."
        ),
        description="Carrier events, newest first.",
    )
    lines = graphene.List(graphene.NonNull(AftersalesLine), required=True)

    class Meta:
        description = "A parcel (one fulfillment) with its tracking data."

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("AftersalesParcel", root.id)

    @staticmethod
    def resolve_events(root, _info, all=False):
        return root.events if all else root.relevant_events


class AftersalesTimelineStep(graphene.ObjectType):
    key = graphene.String(required=True, description="received, paid, shipped, delayed …")
    label = graphene.String(required=True)
    state = graphene.String(required=True, description="done, current, upcoming or problem.")
    at = graphene.DateTime()
    parcel_id = graphene.ID(description="The parcel the step belongs to, if any.")
    side_path = graphene.Boolean(required=True, description="A detour such as a delay.")

    class Meta:
        description = "A step of the order's timeline."

    @staticmethod
    def resolve_parcel_id(root, _info):
        return to_global_id("AftersalesParcel", root.parcel_id) if root.parcel_id else None


class AftersalesBuyAgainLine(graphene.ObjectType):
    line_id = graphene.String(required=True)
    variant_id = graphene.String(description="The host's variant id; null if deleted.")
    name = graphene.String(required=True)
    quantity = graphene.Int(required=True, description="Quantity put into the checkout.")
    available = graphene.Boolean(required=True)
    reason = graphene.String(required=True, description="unavailable, out_of_stock or empty.")
    reason_text = graphene.String(required=True)
    price = graphene.Field(AftersalesMoney)
    thumbnail_url = graphene.String(required=True)

    class Meta:
        description = "An order line offered for buy again, with its availability now."

    @staticmethod
    def resolve_price(root, _info):
        return _money(root.price, root.currency)


class AftersalesFaqItem(graphene.ObjectType):
    id = graphene.ID(required=True)
    question = graphene.String(required=True)
    answer_html = graphene.String(required=True, description="Sanitised HTML, safe to insert.")

    class Meta:
        description = "An FAQ entry for the order's state and language."

    @staticmethod
    def resolve_id(root, _info):
        return to_global_id("AftersalesFaqEntry", root.id)


class AftersalesReviewState(graphene.ObjectType):
    enabled = graphene.Boolean(required=True, description="Whether to show the review prompt.")
    submitted = graphene.Boolean(required=True)
    rating = graphene.Int()
    comment = graphene.String(required=True)
    platform_url = graphene.String(required=True, description="Where the shopper goes next.")

    class Meta:
        description = "The review prompt's state."


class AftersalesRecommendation(graphene.ObjectType):
    product_id = graphene.String(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    url = graphene.String(required=True)
    thumbnail_url = graphene.String(required=True)
    price = graphene.Field(AftersalesMoney)

    class Meta:
        description = "A product bought together with the order's (only with consent)."

    @staticmethod
    def resolve_price(root, _info):
        return _money(root.price, root.currency)


class AftersalesShopperProblem(graphene.ObjectType):
    kind = graphene.String(required=True)
    text = graphene.String(required=True)
    parcel_id = graphene.ID()

    class Meta:
        description = "An open delivery problem, explained to the shopper."

    @staticmethod
    def resolve_parcel_id(root, _info):
        return to_global_id("AftersalesParcel", root.parcel_id) if root.parcel_id else None


class AftersalesAddress(graphene.ObjectType):
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    company_name = graphene.String(required=True)
    street_address_1 = graphene.String(required=True)
    street_address_2 = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    city = graphene.String(required=True)
    country = graphene.String(required=True)
    phone = graphene.String(required=True)

    class Meta:
        description = "A postal address (personal data)."


class AftersalesPersonalData(graphene.ObjectType):
    name = graphene.String(required=True)
    email = graphene.String(required=True)
    shipping_address = graphene.Field(AftersalesAddress)

    class Meta:
        description = "Personal data; present only after verification."


class AftersalesBrand(graphene.ObjectType):
    shop_name = graphene.String(required=True)
    color = graphene.String(required=True)
    logo_url = graphene.String(required=True)
    storefront_url = graphene.String(required=True)

    class Meta:
        description = "The shop's branding."


class AftersalesStatus(graphene.ObjectType):
    order_id = graphene.ID(required=True, description="Saleor's global order id.")
    number = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    language_code = graphene.String(required=True, description="Language of all texts.")
    state = graphene.String(
        required=True,
        description="Overall state: received, paid, preparing, partially_shipped, shipped, "
        "in_transit, out_for_delivery, ready_for_pickup, failed_attempt, exception, delayed, "
        "partially_delivered, delivered, returned, cancelled, refunded.",
    )
    state_label = graphene.String(required=True, description="Short headline.")
    state_text = graphene.String(required=True, description="A sentence about the state.")
    estimated_delivery = graphene.Date(description="Latest estimate over undelivered parcels.")
    brand = graphene.Field(AftersalesBrand, required=True)
    timeline = graphene.List(graphene.NonNull(AftersalesTimelineStep), required=True)
    progress = graphene.List(
        graphene.NonNull(AftersalesTimelineStep),
        required=True,
        description="The whole order's steps, as the status page's stepper: received, "
        "preparing, shipped, out_for_delivery, delivered (or received, cancelled). A step is "
        "done when every parcel has reached it, so a split order is never ahead of itself.",
    )
    parcels = graphene.List(graphene.NonNull(AftersalesParcel), required=True)
    unshipped_lines = graphene.List(graphene.NonNull(AftersalesLine), required=True)
    buy_again = graphene.List(graphene.NonNull(AftersalesBuyAgainLine), required=True)
    faq = graphene.List(graphene.NonNull(AftersalesFaqItem), required=True)
    review = graphene.Field(AftersalesReviewState, required=True)
    recommendations = graphene.List(graphene.NonNull(AftersalesRecommendation), required=True)
    problems = graphene.List(graphene.NonNull(AftersalesShopperProblem), required=True)
    verified = graphene.Boolean(
        required=True, description="Whether personal data may be shown to this caller."
    )
    personal = graphene.Field(
        AftersalesPersonalData,
        description="Name, email and address; null until the shopper verified access "
        "(verifyOrderAccess), or for the owning customer and staff.",
    )

    class Meta:
        description = "Everything the shopper may see about an order after purchase."

    @staticmethod
    def resolve_order_id(root, _info):
        return order_global_id(root.order_id)
