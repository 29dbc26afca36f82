"""The shopper's status view of one order, built once for every reader.

The status page, the thank-you widget, the GraphQL API and emails all read an order through
:func:`build_status_view`. It loads the order from the host and the plugin's own rows in a
**fixed number of SQL queries** (independent of the number of lines, parcels and events) and
returns an immutable :class:`StatusView`.

Contract for readers:

* Every text in a view is plain text (escape it when rendering) except
  :attr:`FaqItem.answer_html`, which is sanitised HTML (safe to insert as is).
* Personal data (name, address, email) is only in :attr:`StatusView.personal`, and only when
  the caller passed ``verified=True`` (the shopper proved the postcode or email, see
  ``access.py``). The same holds for the shopper's review comment (free text that may name
  them): unverified views carry the rating only. Nothing else in the view is personal.
* Translated texts (``*_text``, ``*_label``) are in ``StatusView.language_code``.
* Dates are timezone-aware ``datetime`` (UTC) or plain ``date`` for estimates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from .config import AftersalesConfig
from .hosts import get_host
from .hosts.base import AddressView, Host, OrderView
from .tracking.numbers import carrier_name

logger = logging.getLogger(__name__)

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

    @property
    def is_delivered(self) -> bool:
        return self.state == "delivered"

    @property
    def can_buy_again(self) -> bool:
        return any(item.available for item in self.buy_again)

    @property
    def unavailable_items(self) -> tuple[BuyAgainItem, ...]:
        return tuple(item for item in self.buy_again if not item.available)


def build_status_view(
    order: str | OrderView,
    config: AftersalesConfig,
    *,
    verified: bool = False,
    language: str | None = None,
    host: Host | None = None,
) -> StatusView | None:
    """Build the view of ``order`` (UUID string or an already loaded ``OrderView``).

    Returns ``None`` when the order is unknown or belongs to another channel than ``config``.
    ``language`` ("en"/"de") overrides the order's language (the page's switch). Personal
    data is included only when ``verified``. Runs a fixed number of queries.
    """
    host = host or get_host()
    order_view = order if isinstance(order, OrderView) else host.get_order(str(order))
    if order_view is None or order_view.channel_slug != config.channel_slug:
        return None
    lang = pick_language(language or order_view.language_code)
    with translation.override(lang):
        return _build(order_view, config, host=host, verified=verified, language=lang)


def pick_language(code: str | None) -> str:
    """Map any language code onto a shipped language ("de" or "en")."""
    return "de" if (code or "").lower().replace("_", "-").startswith("de") else "en"


def state_label(state: str) -> str:
    """Translated short headline of an overall state (in the active language)."""
    texts: dict[str, Any] = {
        "received": _("Order received"),
        "paid": _("Payment confirmed"),
        "preparing": _("Being prepared"),
        "partially_shipped": _("Partly on its way"),
        "shipped": _("On its way"),
        "in_transit": _("On its way"),
        "out_for_delivery": _("Out for delivery"),
        "ready_for_pickup": _("Ready for pickup"),
        "failed_attempt": _("Delivery attempt failed"),
        "exception": _("Problem with your delivery"),
        "delayed": _("Running late"),
        "partially_delivered": _("Partly delivered"),
        "delivered": _("Delivered"),
        "returned": _("Returned to us"),
        "cancelled": _("Cancelled"),
        "refunded": _("Refunded"),
    }
    return str(texts.get(state, state))


# --------------------------------------------------------------------------- the builder


def confidence_of(value: float | None) -> tuple[str, str]:
    """``(code, translated text)`` of an estimate confidence between 0 and 1."""
    if value is None:
        return "", ""
    if value >= 0.8:
        return "high", _("high confidence")
    if value >= 0.5:
        return "medium", _("medium confidence")
    return "low", _("low confidence")


def problem_text(kind: str) -> str:
    """What a problem means for the shopper (translated)."""
    texts: dict[str, Any] = {
        "no_scan": _("The carrier has not scanned your parcel yet. We are looking into it."),
        "overdue": _("Your parcel is taking longer than expected."),
        "exception": _("The carrier reports a problem with your parcel."),
        "failed_attempt": _("The carrier could not deliver your parcel."),
        "returned": _("Your parcel is on its way back to us. We will contact you."),
        "unshipped": _("Your order is taking longer to prepare than planned. Sorry!"),
    }
    return str(texts.get(kind, _("There is a problem with your delivery.")))


def _line_item(line, quantity: int, config: AftersalesConfig) -> LineItem:
    from .engagement.recommendations import product_url

    return LineItem(
        line_id=line.id,
        product_name=line.product_name,
        variant_name=line.variant_name,
        quantity=quantity,
        thumbnail_url=line.thumbnail_url,
        product_url=product_url(config, line.product_slug),
    )


def _parcel_item(
    parcel, events, number: int, order: OrderView, config: AftersalesConfig
) -> ParcelItem:
    """``events``: the parcel's tracking events (any order)."""
    from .tracking.statuses import ParcelStatus

    labels = dict(ParcelStatus.choices)
    lines: list[LineItem] = []
    for entry in parcel.lines or []:
        line = order.line(str(entry.get("line_id", "")))
        if line is not None:
            lines.append(_line_item(line, int(entry.get("quantity") or line.quantity), config))
    if not lines:  # parcel rows written before lines were known: use the fulfillment
        fulfillment = next((f for f in order.fulfillments if f.id == parcel.fulfillment_id), None)
        for line_id, quantity in fulfillment.lines if fulfillment else ():
            line = order.line(line_id)
            if line is not None:
                lines.append(_line_item(line, quantity, config))
    events = sorted(events, key=lambda e: (e.occurred_at, e.pk), reverse=True)
    code, text = confidence_of(parcel.estimate_confidence)
    return ParcelItem(
        id=str(parcel.pk),
        fulfillment_id=parcel.fulfillment_id,
        number=number,
        carrier=parcel.carrier,
        carrier_name=carrier_name(parcel.carrier),
        tracking_number=parcel.tracking_number,
        tracking_url=parcel.tracking_url,
        status=parcel.status,
        status_text=str(labels.get(parcel.status, parcel.status)),
        status_detail=parcel.status_detail,
        shipped_at=parcel.shipped_at,
        delivered_at=parcel.delivered_at,
        estimated_delivery=None if parcel.delivered_at else parcel.estimated_delivery,
        estimate_confidence=parcel.estimate_confidence,
        confidence=code,
        confidence_text=str(text),
        events=tuple(
            TrackingEventItem(
                occurred_at=e.occurred_at,
                status=e.status,
                status_text=str(labels.get(e.status, e.status)),
                location=e.location,
                description=e.description,
                relevant=e.relevant,
            )
            for e in events
        ),
        lines=tuple(lines),
    )


def _timeline(steps) -> tuple[TimelineStep, ...]:
    result: list[TimelineStep] = []
    last_reached: dict[str, int] = {}
    for step in steps:
        parcel_id = "" if step.parcel_id is None else str(step.parcel_id)
        problem = step.side_path and step.reached and step.kind not in ("ready_for_pickup",)
        state = "problem" if problem else ("done" if step.reached else "upcoming")
        if step.reached:
            last_reached[parcel_id] = len(result)
        result.append(
            TimelineStep(
                key=step.kind,
                label=str(step.label),
                state=state,
                at=step.occurred_at,
                parcel_id=parcel_id,
                side_path=step.side_path,
            )
        )
    for index in last_reached.values():
        if result[index].state == "done" and result[index].key != "delivered":
            step = result[index]
            result[index] = TimelineStep(
                step.key, step.label, "current", step.at, step.parcel_id, step.side_path
            )
    return tuple(result)


def _build(
    order: OrderView, config: AftersalesConfig, *, host: Host, verified: bool, language: str
) -> StatusView:
    """Assemble the view: a fixed number of queries whatever the lines, parcels and events."""
    from . import status_rows, timeline
    from .engagement import buy_again, faq, recommendations, reviews

    rows = status_rows.load(order.id, order.channel_slug, language)
    tracked, parcels, milestones = rows.tracked, rows.parcels, rows.milestones
    state, text = timeline.overall_state(order, parcels, tracked)
    live = [p for p in parcels if p.status != "cancelled"]
    parcel_items = tuple(
        _parcel_item(p, rows.events.get(p.pk, ()), i, order, config)
        for i, p in enumerate(live, start=1)
    )
    estimates = [p.estimated_delivery for p in parcel_items if p.estimated_delivery]
    personal = None
    if verified:
        address = order.shipping_address
        personal = PersonalData(
            name=address.full_name if address else "",
            email=order.customer_email,
            shipping_address=address,
        )
    return StatusView(
        order_id=order.id,
        channel_slug=order.channel_slug,
        number=order.number,
        created_at=order.created_at,
        language_code=language,
        state=state,
        state_text=text,
        state_label=state_label(state),
        brand=Brand(
            shop_name=config.display_name,
            color=config.brand_color or "#1f6feb",
            logo_url=config.logo_url,
            storefront_url=config.storefront_url,
        ),
        timeline=_timeline(timeline.build_timeline(order, tracked, parcels, milestones)),
        parcels=parcel_items,
        unshipped_lines=tuple(
            _line_item(line, line.quantity - line.quantity_fulfilled, config)
            for line in timeline.unshipped_lines(order)
        ),
        buy_again=(
            tuple(buy_again.offers(order, config, host)) if config.buy_again_enabled else ()
        ),
        faq=(
            tuple(
                FaqItem(pk, question, answer)
                for pk, question, answer in faq.choose(rows.faq, language, state)
            )
            if config.faq_enabled
            else ()
        ),
        review=reviews.state_of(
            rows.review, config, delivered=state == "delivered", with_comment=verified
        ),
        recommendations=recommendations.for_order(order, config, host),
        problems=tuple(
            ProblemItem(p.kind, problem_text(p.kind), str(p.parcel_id or "")) for p in rows.problems
        ),
        verified=verified,
        personal=personal,
        estimated_delivery=max(estimates) if estimates else None,
    )
