"""A return's life: submitted by the shopper, decided by staff, received, resolved in the shop.

States: requested → approved | rejected → label_created → handed_over → received →
refunded | exchanged | credited. The return parcel's carrier news moves it to handed_over
(first scan) and received (delivered to the shop); it is resolved only once staff marked it
received with their inspection (``inspected_at``). Every function takes the row lock of the request
(``select_for_update``) and checks the state, so a double click, a repeated "received" or a
retried task changes nothing twice. Submitting takes a per-order advisory lock, so two
parallel submits cannot both pass the quantity check.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ..config import AftersalesConfig
from ..hosts.base import OrderView, ReturnItem
from ..status import cache as status_cache
from . import photos as photo_files
from .emails import queue_for
from .errors import ReturnRefused
from .labels import label_method, methods, order_label
from .models import Resolution, ReturnLine, ReturnRequest, ReturnState
from .rules import ReturnableItem, ReturnRules, returnable_items, rules_for

logger = logging.getLogger(__name__)
MAX_TEXT = 2000
#: States from which the shop still waits for the parcel.
OPEN_STATES = (ReturnState.APPROVED, ReturnState.LABEL_CREATED, ReturnState.HANDED_OVER)
RESOLVED = {
    Resolution.REFUND: ReturnState.REFUNDED,
    Resolution.EXCHANGE: ReturnState.EXCHANGED,
    Resolution.STORE_CREDIT: ReturnState.CREDITED,
}


@dataclass(frozen=True)
class LineRequest:
    """One line of the shopper's return form."""

    line_id: str
    quantity: int
    reason: str
    exchange_variant_id: str = ""


def _lock_order(order_id: str) -> None:
    key = int.from_bytes(
        hashlib.sha256(f"return:{order_id}".encode()).digest()[:8], "big", signed=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _submit_key(order_id: str, lines: list[LineRequest], resolution: str) -> str:
    rejected = ReturnRequest.objects.filter(order_id=order_id, state=ReturnState.REJECTED).count()
    body = json.dumps(
        [
            order_id,
            resolution,
            rejected,
            sorted((li.line_id, li.quantity, li.reason, li.exchange_variant_id) for li in lines),
        ]
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _check_line(
    request: LineRequest,
    item: ReturnableItem | None,
    rules: ReturnRules,
    resolution: str,
    reason_ids: set[str],
) -> None:
    if item is None:
        raise ReturnRefused("unknown_line", field="lines", line_id=request.line_id)
    name, line_id = item.line.product_name, item.line.id
    if request.quantity < 1:
        raise ReturnRefused("bad_quantity", field="quantity", line_id=line_id)
    if item.blocked == "outside_window":
        raise ReturnRefused(
            "outside_window",
            field="lines",
            line_id=line_id,
            name=name,
            date=item.window_ends.date().isoformat(),
        )
    if item.blocked:
        raise ReturnRefused(item.blocked, field="lines", line_id=line_id, name=name)
    if request.quantity > item.max_quantity:
        raise ReturnRefused(
            "too_many", field="quantity", line_id=line_id, name=name, max=item.max_quantity
        )
    if request.reason not in reason_ids:
        raise ReturnRefused("bad_reason", field="reason", line_id=line_id)
    if resolution == Resolution.EXCHANGE:
        option = next(
            (o for o in item.exchange_options if o.variant_id == request.exchange_variant_id), None
        )
        if option is None:
            raise ReturnRefused(
                "not_exchangeable", field="exchangeVariantId", line_id=line_id, name=name
            )
        if not option.available or option.quantity_available < request.quantity:
            raise ReturnRefused(
                "out_of_stock", field="exchangeVariantId", line_id=line_id, name=name
            )


def reason_choices(order: OrderView, rules: ReturnRules, host, language: str) -> list[tuple]:
    """``(id, label, is_reference)`` of the reasons offered: the shop's reason pages when
    Saleor's return reason model is set, else the channel's configured reasons."""
    pages = host.return_reasons(order.channel_slug, language)
    if pages is not None:
        return [(pid, title, True) for pid, title in pages]
    return [(code, rules.reason_label(code, language), False) for code, _, _ in rules.reasons]


def submit(
    order: OrderView,
    config: AftersalesConfig,
    host,
    lines: list[LineRequest],
    *,
    resolution: str,
    comment: str = "",
    method: str | None = None,
    photos=(),
    now=None,
) -> ReturnRequest:
    """Record the shopper's return; raise :class:`ReturnRefused` with the first problem.

    A double submit (same order, lines and resolution) raises ``already_submitted`` with the
    earlier request in ``existing``. With ``return_approval = auto`` it is approved at once.
    """
    rules = rules_for(config)
    now = now or timezone.now()
    if not rules.enabled:
        raise ReturnRefused("disabled")
    if order.is_cancelled:
        raise ReturnRefused("cancelled")
    if resolution not in rules.resolutions:
        raise ReturnRefused("bad_resolution", field="resolution")
    if not lines:
        raise ReturnRefused("no_lines", field="lines")
    method = method or label_method(config)
    if method not in methods(config):
        raise ReturnRefused("bad_method", field="method")
    if len(comment or "") > MAX_TEXT:
        raise ReturnRefused("too_long", field="comment")
    by_line: dict[str, LineRequest] = {}
    for li in lines:  # the same line twice counts once, with the quantities added
        seen = by_line.get(li.line_id)
        by_line[li.line_id] = (
            li
            if seen is None
            else LineRequest(
                li.line_id, seen.quantity + li.quantity, li.reason, li.exchange_variant_id
            )
        )
    lines = list(by_line.values())
    checked_photos = photo_files.check(photos)
    reasons = {rid: ref for rid, _label, ref in reason_choices(order, rules, host, "en")}
    with transaction.atomic():
        _lock_order(order.id)
        key = _submit_key(order.id, lines, resolution)
        existing = ReturnRequest.objects.filter(submit_key=key).first()
        if existing is not None:
            raise ReturnRefused("already_submitted", existing=existing)
        items = {i.line.id: i for i in returnable_items(order, rules, host, now=now)}
        for li in lines:
            _check_line(li, items.get(li.line_id), rules, resolution, set(reasons))
        request = ReturnRequest.objects.create(
            order_id=order.id,
            channel_slug=order.channel_slug,
            submit_key=key,
            resolution=resolution,
            method=method,
            comment=(comment or "").strip(),
            language_code=order.language_code,
            created_at=now,
        )

        ReturnLine.objects.bulk_create(
            ReturnLine(
                request=request,
                line_id=li.line_id,
                quantity=li.quantity,
                reason_code="" if reasons[li.reason] else li.reason,
                reason_reference=li.reason if reasons[li.reason] else "",
                exchange_variant_id=li.exchange_variant_id
                if resolution == Resolution.EXCHANGE
                else "",
            )
            for li in lines
        )
        if checked_photos:
            request.photos = photo_files.store(order.id, request.pk, checked_photos)
            request.save(update_fields=["photos"])
        status_cache.forget([order.id])
        if rules.auto_approve:
            _approve_locked(request, order, config, now)
        queue_for(request, config)
    return request


def _approve_locked(request: ReturnRequest, order: OrderView | None, config, now) -> None:
    """requested → approved, and the prepaid label where the return ships with one; a
    label that cannot be made raises ``try_again`` and the caller's transaction undoes all."""
    _set_state(request, ReturnState.APPROVED, "approved_at", now)
    if request.method == "label":
        if order is None or config is None:
            raise ReturnRefused("try_again")
        order_label(request, order, config, now)


def _locked(request_id: int) -> ReturnRequest:
    return ReturnRequest.objects.select_for_update().get(pk=request_id)


def _set_state(request: ReturnRequest, state: str, stamp: str, now) -> None:
    request.state = state
    setattr(request, stamp, now)
    request.save(update_fields=["state", stamp])
    status_cache.forget([request.order_id])  # the status page shows the return's timeline


def _refuse_state(request: ReturnRequest) -> ReturnRefused:
    return ReturnRefused("bad_state", field="id", state=request.get_state_display())


def approve(request_id: int, host=None, *, now=None) -> ReturnRequest:
    """requested → approved (and label created); approving again changes nothing.

    With a prepaid label the carrier is asked first; if it fails the return stays requested
    and ``ReturnRefused("try_again")`` is raised.
    """
    with transaction.atomic():
        request = _locked(request_id)
        if request.state == ReturnState.REQUESTED:
            order = config = None
            if request.method == "label" and host is not None:
                order = host.get_order(str(request.order_id))
                config = host.get_config(request.channel_slug)
            _approve_locked(request, order, config, now or timezone.now())
            queue_for(request, config)
        elif request.state not in OPEN_STATES:
            raise _refuse_state(request)
    return request


def reject(request_id: int, reason: str, *, now=None) -> ReturnRequest:
    """requested or approved (parcel not yet on its way) → rejected, with staff's reason."""
    if len(reason or "") > MAX_TEXT:
        raise ReturnRefused("too_long", field="reason")
    with transaction.atomic():
        request = _locked(request_id)
        if request.state == ReturnState.REJECTED:
            return request
        if request.state not in (ReturnState.REQUESTED, ReturnState.APPROVED):
            raise _refuse_state(request)
        request.reject_reason = (reason or "").strip()
        request.save(update_fields=["reject_reason"])
        _set_state(request, ReturnState.REJECTED, "rejected_at", now or timezone.now())
        queue_for(request)
    return request


def mark_handed_over(request_id: int, *, now=None) -> ReturnRequest:
    """approved or label_created → handed_over (the carrier's first scan, or staff)."""
    with transaction.atomic():
        request = _locked(request_id)
        if request.state in (ReturnState.APPROVED, ReturnState.LABEL_CREATED):
            _set_state(request, ReturnState.HANDED_OVER, "handed_over_at", now or timezone.now())
        elif request.state != ReturnState.HANDED_OVER:
            raise _refuse_state(request)
    return request


def mark_arrived(request_id: int, *, now=None) -> ReturnRequest:
    """The carrier delivered the return parcel to the shop: received (the shopper is told),
    waiting for staff's inspection; no effect in the shop yet. Later states are kept."""
    with transaction.atomic():
        request = _locked(request_id)
        if request.state in OPEN_STATES:
            _set_state(request, ReturnState.RECEIVED, "received_at", now or timezone.now())
            queue_for(request)
    return request


def mark_received(
    request_id: int, host, notes: dict[str, str] | None = None, *, now=None
) -> ReturnRequest:
    """Staff have the parcel: store the inspection notes, then resolve it in the shop.

    Also after the carrier said it arrived (received, not inspected yet). A second call (or
    a retry after a failure in the shop) resolves what is not resolved yet and never makes a
    second return, refund, replacement or gift card.
    """
    now = now or timezone.now()
    notes = {k: v.strip() for k, v in (notes or {}).items() if v and v.strip()}
    if any(len(v) > MAX_TEXT for v in notes.values()):
        raise ReturnRefused("too_long", field="notes")
    with transaction.atomic():
        request = _locked(request_id)
        arrived = request.state == ReturnState.RECEIVED and request.inspected_at is None
        if request.state in OPEN_STATES or arrived:
            for line in request.lines.filter(line_id__in=list(notes)):
                line.inspection_note = notes[line.line_id]
                line.save(update_fields=["inspection_note"])
            request.inspected_at = now
            request.save(update_fields=["inspected_at"])
            if not arrived:
                _set_state(request, ReturnState.RECEIVED, "received_at", now)
                queue_for(request)
        elif request.state != ReturnState.RECEIVED and request.state not in RESOLVED.values():
            raise _refuse_state(request)
    try:
        return resolve(request.pk, host, now=now)
    except Exception:  # the shop failed (payment gateway …): received stays, retried later
        logger.exception("aftersales: return %s received, not resolved yet", request.pk)
        request.refresh_from_db()
        return request


def resolve(request_id: int, host, *, now=None) -> ReturnRequest:
    """received and inspected → refunded | exchanged | credited, through the host, exactly
    once."""
    with transaction.atomic():
        request = _locked(request_id)
        if (
            request.state != ReturnState.RECEIVED
            or request.host_return_id
            or request.inspected_at is None
        ):
            return request
        items = [
            ReturnItem(
                line_id=line.line_id,
                quantity=line.quantity,
                reason=_reason_text(request, line),
                reason_reference=line.reason_reference,
                exchange_variant_id=line.exchange_variant_id,
            )
            for line in request.lines.all()
        ]
        outcome = host.process_return(
            str(request.order_id),
            items,
            resolution=request.resolution,
            idempotency_key=f"return:{request.pk}",
        )
        request.host_return_id = outcome.return_id
        request.host_refund_id = outcome.refund_id
        request.host_replacement_id = outcome.replacement_order_id
        request.gift_card_code = outcome.gift_card_code
        request.state = RESOLVED[request.resolution]
        request.resolved_at = now or timezone.now()
        request.save()
        status_cache.forget([request.order_id])
        queue_for(request)
    return request


def _reason_text(request: ReturnRequest, line: ReturnLine) -> str:
    text = line.reason_code or ""
    if line.inspection_note:
        text = f"{text} — {line.inspection_note}" if text else line.inspection_note
    return text[:255]
