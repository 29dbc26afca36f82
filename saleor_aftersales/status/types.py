"""The plain dataclasses of a shopper's status view: the contract every reader relies on.

:func:`saleor_aftersales.orchestration.status_view.build_status_view` fills them; services
(engagement) fill their parts; readers (page, widget, GraphQL, emails) import them from here.
Every text is plain text (escape it) except :attr:`FaqItem.answer_html` (sanitised); personal
data is only in :attr:`StatusView.personal`; amounts are ``Decimal`` with their
currency, dates aware ``datetime`` (UTC) or plain ``date`` for estimates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..hosts.base import AddressView

#: Overall states of an order (``StatusView.state``): ``timeline.OVERALL_CODES``, i.e.
#: received, paid, preparing, partially_shipped, shipped, in_transit, out_for_delivery,
#: ready_for_pickup, failed_attempt, exception, delayed, partially_delivered, delivered,
#: returned, cancelled, refunded.
PROBLEM_STATES: frozenset[str] = frozenset({"failed_attempt", "exception", "delayed", "returned"})


# --------------------------------------------------------------------------- the contract


@dataclass(frozen=True)
class LineItem:
    """An order line (or the part of it in one parcel) as the shopper sees it."""

    line_id: str
    product_name: str
    variant_name: str = ""
    quantity: int = 1
    thumbnail_url: str = ""
    product_url: str = ""  # from config.product_url_template; "" when unknown
    unit_price: Decimal | None = None  # gross, as charged
    currency: str = ""

    @property
    def total(self) -> Decimal | None:
        """Unit price times quantity (``None`` when the price is unknown)."""
        return None if self.unit_price is None else self.unit_price * self.quantity


@dataclass(frozen=True)
class TrackingEventItem:
    """One carrier event of a parcel (texts straight from the carrier: escape them)."""

    occurred_at: datetime
    status: str  # ParcelStatus value
    status_text: str  # translated label of ``status``
    location: str = ""
    description: str = ""
    relevant: bool = True  # False for carrier noise (hub scans); hidden unless "all events"


@dataclass(frozen=True)
class ParcelItem:
    """One parcel (a fulfillment) with its tracking data."""

    id: str  # our Parcel pk as string
    fulfillment_id: str
    number: int  # 1-based position among the order's parcels ("Parcel 1 of 2")
    carrier: str  # carrier code, e.g. "dhl"; "" when unknown
    carrier_name: str  # display name, e.g. "DHL"; "" when unknown
    tracking_number: str
    tracking_url: str  # carrier's tracking page; "" when unknown
    status: str  # ParcelStatus value
    status_text: str  # translated label of ``status``
    status_detail: str = ""  # carrier's last status text (escape it)
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    estimated_delivery: date | None = None
    estimate_confidence: float | None = None  # 0..1, None when unknown
    confidence: str = ""  # "high" / "medium" / "low" / "" (from estimate_confidence)
    confidence_text: str = ""  # translated ``confidence``
    events: tuple[TrackingEventItem, ...] = ()  # all events, newest first
    lines: tuple[LineItem, ...] = ()  # what is in the parcel

    @property
    def relevant_events(self) -> tuple[TrackingEventItem, ...]:
        """The events shown by default (newest first)."""
        return tuple(e for e in self.events if e.relevant)

    @property
    def latest_events(self) -> tuple[TrackingEventItem, ...]:
        """"Latest news": the newest event always (even one classed as noise: it is what the
        parcel's status shows), then the newest relevant ones; three at most, newest first."""
        if not self.events:
            return ()
        newest = self.events[0]
        rest = [e for e in self.relevant_events if e is not newest]
        return (newest, *rest[:2])

    @property
    def is_delivered(self) -> bool:
        return self.status == "delivered"


@dataclass(frozen=True)
class TimelineStep:
    """A milestone of the order's timeline, in order."""

    key: str  # timeline.MAIN_PATH or SIDE_PATHS kind: "received", "paid", "shipped", "delayed"…
    label: str  # translated
    state: str  # "done" | "current" (last reached of its group) | "upcoming" | "problem"
    at: datetime | None = None  # when it happened ("done"/"current"), else None
    parcel_id: str = ""  # our Parcel pk when the step belongs to one parcel, else ""
    side_path: bool = False  # a detour (delayed, failed attempt, pickup, returned, …)


@dataclass(frozen=True)
class BuyAgainItem:
    """An order line offered for buy again, with its current availability."""

    line_id: str
    variant_id: str | None
    name: str  # product (variant) name
    quantity: int  # quantity to put into the checkout (capped at stock)
    available: bool
    reason: str = ""  # "", "unavailable", "out_of_stock", "unpublished"
    reason_text: str = ""  # translated reason ("No longer available")
    price: Decimal | None = None
    currency: str = ""
    thumbnail_url: str = ""

    @property
    def total(self) -> Decimal | None:
        """What ``quantity`` costs today (``None`` when the price is unknown)."""
        return None if self.price is None else self.price * self.quantity


@dataclass(frozen=True)
class FaqItem:
    """A published FAQ entry for the order's state and language."""

    id: int
    question: str  # plain text
    answer_html: str  # sanitised HTML (nh3): safe to insert unescaped


@dataclass(frozen=True)
class ReviewState:
    """Whether to show the review prompt, and the shopper's review if given."""

    enabled: bool  # config.reviews_enabled and the order is delivered
    rating: int | None = None  # 1..5 once reviewed
    comment: str = ""
    platform_url: str = ""  # config.review_platform_url (where the shopper goes next)

    @property
    def submitted(self) -> bool:
        return self.rating is not None


@dataclass(frozen=True)
class Recommendation:
    """A cross-sell product (published and available; only shown with consent)."""

    product_id: str
    name: str
    slug: str
    url: str = ""  # product page from config.product_url_template
    thumbnail_url: str = ""
    price: Decimal | None = None
    currency: str = ""


@dataclass(frozen=True)
class ProblemItem:
    """An open delivery problem, explained to the shopper."""

    kind: str  # models.Problem.Kind value
    text: str  # translated explanation for the shopper
    parcel_id: str = ""


@dataclass(frozen=True)
class PersonalData:
    """Personal data, present in a view only after verification."""

    name: str
    email: str
    shipping_address: AddressView | None


@dataclass(frozen=True)
class Brand:
    """The shop's branding from the channel configuration."""

    shop_name: str
    color: str
    logo_url: str = ""
    storefront_url: str = ""
    support_email: str = ""  # the help block's contacts (config.support_*)
    support_phone: str = ""
    support_url: str = ""

    @property
    def has_support(self) -> bool:
        return bool(self.support_email or self.support_phone or self.support_url)


@dataclass(frozen=True)
class OrderSummary:
    """What was bought: every line with its price, and the order's amounts (gross)."""

    lines: tuple[LineItem, ...] = ()
    currency: str = ""
    subtotal: Decimal | None = None  # the lines' total
    shipping: Decimal | None = None  # None when the host does not say
    total: Decimal | None = None  # what the shopper paid (with shipping, after discounts)


@dataclass(frozen=True)
class StatusView:
    """Everything the shopper may see about one order. Build with :func:`build_status_view`."""

    order_id: str  # UUID string (never shown; links use signed tokens)
    channel_slug: str
    number: str
    created_at: datetime
    language_code: str  # "en" or "de": the language of every translated text here
    state: str  # one of timeline.OVERALL_CODES, e.g. "partially_delivered"
    state_text: str  # translated sentence, e.g. "1 of 2 parcels delivered."
    state_label: str  # translated short headline, e.g. "On its way"
    brand: Brand
    timeline: tuple[TimelineStep, ...] = ()
    parcels: tuple[ParcelItem, ...] = ()
    unshipped_lines: tuple[LineItem, ...] = ()  # lines (or remaining quantities) not shipped
    buy_again: tuple[BuyAgainItem, ...] = ()  # empty when buy again is off
    faq: tuple[FaqItem, ...] = ()
    review: ReviewState = field(default_factory=lambda: ReviewState(enabled=False))
    recommendations: tuple[Recommendation, ...] = ()  # empty without consent
    problems: tuple[ProblemItem, ...] = ()
    verified: bool = False
    personal: PersonalData | None = None  # only when ``verified``
    estimated_delivery: date | None = None  # latest estimate over undelivered parcels
    #: The hero's stepper: received, preparing, shipped, out_for_delivery, delivered (or
    #: received, cancelled): a step is done when the *whole* order reached it.
    progress: tuple[TimelineStep, ...] = ()
    summary: OrderSummary = field(default_factory=OrderSummary)

    @property
    def is_delivered(self) -> bool:
        return self.state == "delivered"

    @property
    def can_buy_again(self) -> bool:
        return any(item.available for item in self.buy_again)

    @property
    def unavailable_items(self) -> tuple[BuyAgainItem, ...]:
        return tuple(item for item in self.buy_again if not item.available)
