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
  ``status/access.py``). The same holds for the shopper's review comment (free text that may name
  them): unverified views carry the rating only, carrier places only their country and no
  carrier free text (:mod:`..status.privacy`). Nothing else in the view is personal.
* Translated texts (``*_text``, ``*_label``) are in ``StatusView.language_code``.
* Dates are timezone-aware ``datetime`` (UTC) or plain ``date`` for estimates.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from ..config import AftersalesConfig
from ..hosts import get_host
from ..hosts.base import Host, OrderView
from ..status import privacy
from ..status.types import (
    PROBLEM_STATES,
    Brand,
    FaqItem,
    LineItem,
    OrderSummary,
    ParcelItem,
    PersonalData,
    ProblemItem,
    StatusView,
    TimelineStep,
    TrackingEventItem,
)
from ..tracking.numbers import carrier_name

logger = logging.getLogger(__name__)


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
    order_view = (
        order
        if isinstance(order, OrderView)
        else host.get_order(str(order), availability=config.buy_again_enabled)
    )
    if order_view is None or order_view.channel_slug != config.channel_slug:
        return None
    lang = pick_language(language or order_view.language_code)
    with translation.override(lang):
        view = _build(order_view, config, host=host, verified=verified, language=lang)
    # the one place an unverified view is made: carrier places no finer than the country
    return view if verified else privacy.anonymous(view)


def pick_language(code: str | None) -> str:
    """Map any language code onto a shipped language ("de" or "en")."""
    return "de" if (code or "").lower().replace("_", "-").startswith("de") else "en"


def state_label(state: str) -> str:
    """Translated short headline of an overall state (in the active language).

    The same word as the timeline's step (and the parcel's status) for the same state, so a
    badge never says "Being prepared" next to a step "In preparation".
    """
    from ..status.timeline import LABELS

    texts: dict[str, Any] = {
        **LABELS,
        "partially_shipped": _("Partly shipped"),
        "partially_delivered": _("Partly delivered"),
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
    from ..engagement.recommendations import product_url

    return LineItem(
        line_id=line.id,
        product_name=line.product_name,
        variant_name=line.variant_name,
        quantity=quantity,
        thumbnail_url=line.thumbnail_url,
        product_url=product_url(config, line.product_slug),
        unit_price=line.unit_price,
        currency=line.currency,
    )


def _summary(order: OrderView, config: AftersalesConfig) -> OrderSummary:
    lines = tuple(_line_item(line, line.quantity, config) for line in order.lines)
    subtotal = sum((line.total or 0 for line in lines), start=Decimal("0"))
    return OrderSummary(
        lines=lines,
        currency=order.currency,
        subtotal=order.subtotal_gross if order.subtotal_gross is not None else subtotal,
        shipping=order.shipping_gross,
        total=order.total_gross,
    )


def _steps(steps, *, problem: bool = False) -> tuple[TimelineStep, ...]:
    """The hero's stepper rows: done, the current step (``problem`` when the order is in
    trouble), upcoming."""
    reached = [i for i, step in enumerate(steps) if step.reached]
    last = reached[-1] if reached else -1
    result = []
    for i, step in enumerate(steps):
        state = "done" if i < last else ("upcoming" if i > last else "current")
        if state == "current" and (problem or step.side_path):
            state = "problem"
        if state == "current" and step.kind == "delivered":
            state = "done"
        result.append(TimelineStep(step.kind, str(step.label), state, step.occurred_at, "",
                                   step.side_path))
    return tuple(result)


def _parcel_item(
    parcel, events, number: int, order: OrderView, config: AftersalesConfig
) -> ParcelItem:
    """``events``: the parcel's tracking events (any order)."""
    from ..core.parcel_status import ParcelStatus

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
        # delivered, or waiting at the pickup point: nothing is on its way any more
        estimated_delivery=(
            None if parcel.delivered_at or parcel.status == "ready_for_pickup"
            else parcel.estimated_delivery
        ),
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
    if any(last_reached) and "" in last_reached and not result[last_reached[""]].side_path:
        del last_reached[""]  # parcels are on their way: the order-wide steps are done
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
    from ..engagement import buy_again, faq, recommendations, reviews
    from ..status import progress, timeline
    from ..status import rows as status_rows

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
            support_email=config.support_email,
            support_phone=config.support_phone,
            support_url=config.support_url,
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
        progress=_steps(
            progress.progress_steps(order, tracked, parcels, milestones),
            problem=state in PROBLEM_STATES,
        ),
        summary=_summary(order, config),
    )
