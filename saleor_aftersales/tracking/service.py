"""Parcels from fulfillments, and carrier news applied to them.

``sync_parcels`` upserts one parcel per fulfillment: carrier (staff choice, then the
shipping method's configured or named carrier, then detection, then the channel default),
tracking link, promised date and first estimate. ``apply_result`` stores a carrier answer:
new events only (duplicates and late arrivals are harmless), status folded over all events in
time order, noise marked, milestones, estimate, problems and the next check.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ..config import CARRIER_CODES, AftersalesConfig
from ..core import signals
from ..core.bulk import bulk_update, insert_ignore
from ..core.parcel_status import SCANNED_STATUSES, ParcelStatus, advance
from ..models import Parcel, TrackedOrder, TrackingEvent
from ..status import cache as status_cache
from . import eta, problems
from .carrier_choice import choose_carrier
from .carriers.base import CarrierEvent, TrackingResult
from .numbers import is_url, normalize, tracking_url

if TYPE_CHECKING:
    from ..hosts.context import Context

logger = logging.getLogger(__name__)

#: ``tasks.refresh_order_summaries_task``, started by name (no import of ``tasks.py``).
REFRESH_SUMMARIES_TASK = "saleor_aftersales.tasks.refresh_order_summaries_task"


def clean_number(value: str) -> str:
    """Normalized tracking number; an http(s) address is kept as typed."""
    value = (value or "").strip()
    return value if is_url(value) else normalize(value)


def _link(parcel: Parcel, language: str) -> str:
    return tracking_url(parcel.carrier, parcel.tracking_number, language) or ""


def sync_parcels(
    ctx: Context, *, event: str = "", fulfillment_id: str | None = None
) -> list[Parcel]:
    """Upsert one parcel per fulfillment; return the parcels that are new or changed."""
    order = ctx.order
    config = ctx.config
    language = order.language_code or "en"
    existing = {p.fulfillment_id: p for p in Parcel.objects.filter(order_id=order.id)}
    changed: list[Parcel] = []
    now = timezone.now()
    for f in order.fulfillments:
        parcel = existing.get(f.id)
        cancelled = f.status in ("canceled", "cancelled")
        number = clean_number(f.tracking_number)
        if parcel is None:
            carrier, source = choose_carrier(number, order.shipping_method_name, config)
            parcel = Parcel(
                order_id=order.id,
                channel_slug=order.channel_slug,
                fulfillment_id=f.id,
                tracking_number=number,
                carrier=carrier,
                carrier_source=source,
                lines=[{"line_id": lid, "quantity": q} for lid, q in f.lines],
                shipped_at=f.created_at or ctx.tracked.placed_at,
                destination_country=order.destination_country,
                destination_postal_code=(
                    order.shipping_address.postal_code if order.shipping_address else ""
                ),
                status=ParcelStatus.CANCELLED if cancelled else ParcelStatus.PENDING,
            )
            parcel.tracking_url = _link(parcel, language)
            if not cancelled:
                eta.apply_estimate(parcel, eta.estimate(parcel))
                parcel.next_check_at = first_check_at(parcel, config, now)
            parcel.save()
            if parcel.estimated_delivery:
                eta.EtaEstimate.objects.create(
                    parcel=parcel, estimated_date=parcel.estimated_delivery,
                    source=parcel.estimate_source, confidence=parcel.estimate_confidence,
                    created_at=parcel.shipped_at,
                )
            changed.append(parcel)
            continue
        fields: list[str] = []
        if parcel.tracking_number != number:
            parcel.tracking_number = number
            fields.append("tracking_number")
            if parcel.carrier_source != "staff":
                parcel.carrier, parcel.carrier_source = choose_carrier(
                    number, order.shipping_method_name, config
                )
                fields += ["carrier", "carrier_source"]
            if not parcel.is_terminal:
                parcel.next_check_at = first_check_at(parcel, config, now)
                parcel.check_failures = 0
                fields += ["next_check_at", "check_failures"]
        link = _link(parcel, language)
        if link != parcel.tracking_url:
            parcel.tracking_url = link
            fields.append("tracking_url")
        if cancelled and parcel.status != ParcelStatus.CANCELLED:
            parcel.status = ParcelStatus.CANCELLED
            parcel.next_check_at = None
            fields += ["status", "next_check_at"]
        if fields:
            parcel.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
            changed.append(parcel)
    first = min((f.created_at for f in order.fulfillments if f.created_at), default=None)
    if order.fulfillments and ctx.tracked.shipped_at is None:
        TrackedOrder.objects.filter(pk=ctx.tracked.pk, shipped_at__isnull=True).update(
            shipped_at=first or now
        )  # lifecycle._react drops the order's cached view after this
        ctx.tracked.shipped_at = first or now
    return changed


def set_carrier(parcel: Parcel, carrier: str, language: str = "en") -> Parcel:
    """Staff override: this parcel goes with ``carrier`` (kept on later syncs)."""
    if carrier not in CARRIER_CODES:
        raise ValueError(f"unknown carrier code {carrier!r}")
    parcel.carrier, parcel.carrier_source = carrier, "staff"
    parcel.tracking_url = _link(parcel, language)
    parcel.check_failures = 0
    if not parcel.is_terminal and not parcel.push_updates:
        parcel.next_check_at = timezone.now()
    parcel.save(update_fields=["carrier", "carrier_source", "tracking_url", "check_failures",
                               "next_check_at", "updated_at"])
    return parcel


def first_check_at(parcel: Parcel, config: AftersalesConfig, now: datetime) -> datetime | None:
    """When to ask the carrier first (None: nothing to poll): see ``schedule.first_check``."""
    from .schedule import can_poll, first_check

    return first_check(parcel, now) if can_poll(parcel, config) else None


# --- applying carrier news --------------------------------------------------------------------


def _fold(parcel: Parcel, events: Iterable[CarrierEvent | TrackingEvent]) -> dict:
    """Walk all events in time order: status, first scan, delivery time, noise flags."""
    status = ParcelStatus.PENDING
    first_scan = delivered_at = last = None
    detail = ""
    relevance: dict[str, bool] = {}
    previous: str | None = None
    for ev in sorted(events, key=lambda e: (e.occurred_at, e.source_id)):
        new = advance(status, ev.status)
        relevance[ev.source_id] = bool(ev.status) and ev.status != previous
        if ev.status:
            previous = ev.status
        if new != status or ev.status == status:
            detail = ev.description or detail
        status = new
        if ev.status in SCANNED_STATUSES and first_scan is None:
            first_scan = ev.occurred_at
        if ev.status == ParcelStatus.DELIVERED:
            delivered_at = delivered_at or ev.occurred_at
        last = ev.occurred_at if last is None or ev.occurred_at > last else last
    return {"status": status, "first_scan": first_scan, "delivered_at": delivered_at,
            "last": last, "detail": detail, "relevance": relevance}


def apply_result(
    parcel: Parcel,
    result: TrackingResult,
    config: AftersalesConfig,
    *,
    now: datetime | None = None,
    push: bool = False,
) -> list[str]:
    """Store what the carrier said about one parcel; returns the new milestone kinds."""
    return apply_results([(parcel, result, config)], now=now, push=push)[parcel.pk]


def apply_results(
    items: list[tuple[Parcel, TrackingResult, AftersalesConfig]],
    *,
    now: datetime | None = None,
    push: bool = False,
) -> dict[int, list[str]]:
    """Store carrier answers for many parcels with a fixed number of queries.

    New events only (by source id), status folded over all events in time order, noise
    marked, estimates kept, milestones recorded, then problems checked for parcels whose
    status changed. Returns ``{parcel.pk: [new milestone kinds]}``.

    Each parcel's row is written with only the fields that changed on it, so a concurrent
    write to another field (a cancellation, a staff carrier change) is never undone. Once
    the news is committed, follow-up work (problems, messages, summaries) never raises.
    """
    from ..status.timeline import parcel_milestone_rows, store_milestones
    from .schedule import next_check

    now = now or timezone.now()
    known: dict[int, list[TrackingEvent]] = {p.pk: [] for p, _, _ in items}
    for event in TrackingEvent.objects.filter(parcel_id__in=list(known)).only(
        "parcel_id", "source_id", "occurred_at", "status", "relevant", "description"
    ):
        known[event.parcel_id].append(event)
    new_events: list[TrackingEvent] = []
    flips: list[TrackingEvent] = []
    estimates: list[eta.EtaEstimate] = []
    milestone_rows = []
    changed_status: list[tuple[Parcel, AftersalesConfig, str]] = []
    by_fields: dict[frozenset[str], list[Parcel]] = {}  # one UPDATE per set of changed fields
    news: set = set()  # orders whose shopper-visible data changed
    for parcel, result, config in items:
        fields = {"last_checked_at", "next_check_at", "check_failures", "updated_at"}
        visible = False  # did anything the shopper sees change?
        stored = known.get(parcel.pk, [])
        seen = {e.source_id for e in stored}
        fresh: dict[str, CarrierEvent] = {}
        for ev in result.events:
            if ev.source_id not in seen:
                fresh.setdefault(ev.source_id, ev)
        old_status = parcel.status
        folded = _fold(parcel, [*stored, *fresh.values()]) if (fresh or stored) else None
        if fresh:
            new_events += [
                TrackingEvent(
                    parcel_id=parcel.pk, occurred_at=ev.occurred_at, status=ev.status or "",
                    location=ev.location, description=ev.description, source=result.source,
                    source_id=ev.source_id,
                    relevant=folded["relevance"].get(ev.source_id, False),
                    estimated_delivery=result.estimated_delivery,
                )
                for ev in fresh.values()
            ]
            for e in stored:
                if e.relevant != folded["relevance"].get(e.source_id):
                    e.relevant = not e.relevant
                    flips.append(e)
        parcel.last_checked_at = now
        parcel.check_failures = 0
        parcel.updated_at = now
        if result.carrier and not parcel.carrier:
            visible = True
            parcel.carrier, parcel.carrier_source = result.carrier, "detected"
            parcel.tracking_url = tracking_url(parcel.carrier, parcel.tracking_number) or ""
            fields.update(("carrier", "carrier_source", "tracking_url"))
        if push and not parcel.push_updates:
            parcel.push_updates = True
            fields.add("push_updates")
        if folded and parcel.status != ParcelStatus.CANCELLED:
            status = folded["status"]
            if status == ParcelStatus.PENDING:
                status = parcel.status
            for name, value in (("status", status), ("status_detail", folded["detail"][:255]),
                                ("first_scan_at", folded["first_scan"]),
                                ("delivered_at", folded["delivered_at"]),
                                ("last_event_at", folded["last"])):
                if value is not None and getattr(parcel, name) != value:
                    setattr(parcel, name, value)
                    fields.add(name)
                    visible = True
        outbound = parcel.direction != Parcel.Direction.RETURN
        if outbound and not parcel.is_terminal:
            est = eta.estimate(parcel, result.estimated_delivery)
            estimate_fields = eta.apply_estimate(parcel, est, collect=estimates)
            fields.update(estimate_fields)
            visible = visible or bool(estimate_fields)
        parcel.next_check_at = None if parcel.push_updates else next_check(parcel, config, now)
        if parcel.status != old_status:
            at = folded["last"] if folded else now
            if parcel.status == ParcelStatus.DELIVERED:
                at = parcel.delivered_at or at
            if outbound:  # a return's steps are the return's own (returns/)
                milestone_rows += parcel_milestone_rows(parcel, at)
            changed_status.append((parcel, config, old_status))
        if visible or fresh:
            news.add(parcel.order_id)
        by_fields.setdefault(frozenset(fields), []).append(parcel)
        if result.skipped:
            logger.warning("aftersales: %s skipped %d malformed entries for parcel %s",
                           result.source, result.skipped, parcel.pk)
    with transaction.atomic():
        if new_events:
            insert_ignore(new_events)
        if flips:
            bulk_update(flips, ["relevant"])
        for fields, group in by_fields.items():
            bulk_update(group, sorted(fields))
        if estimates:
            eta.EtaEstimate.objects.bulk_create(estimates)
        new_milestones = store_milestones(milestone_rows)
    _follow_up(changed_status, news, now)
    kinds: dict[int, list[str]] = {p.pk: [] for p, _, _ in items}
    for m in new_milestones:
        kinds[m.parcel_id].append(m.kind)
    return kinds


def _follow_up(
    changed_status: list[tuple[Parcel, AftersalesConfig, str]], news: set, now: datetime
) -> None:
    """After the news is committed: problems, messages, cached views, summaries.

    Never raises: a failure here is logged and must not mark the stored news as failed.
    A return parcel's change is announced as ``return_parcel_changed`` (the return moves
    on), never as an outbound parcel's news (no shipping messages, no review requests).
    """
    delivered = [p.pk for p, _, _ in changed_status if p.status == ParcelStatus.DELIVERED]
    try:
        if delivered:
            problems.resolve_delivered(delivered, now)
    except Exception:
        logger.exception("aftersales: resolving problems of %d parcels failed", len(delivered))
    for parcel, config, old_status in changed_status:
        if parcel.status in problems.STATUS_PROBLEMS:
            try:
                problems.check_parcel(parcel, config, now)
            except Exception:
                logger.exception("aftersales: problem check failed for parcel %s", parcel.pk)
        _notify_status(parcel, old_status, config)
    _schedule_reviews(
        [(config, str(p.order_id)) for p, config, _ in changed_status
         if p.status == ParcelStatus.DELIVERED and p.direction != Parcel.Direction.RETURN]
    )
    status_cache.forget(news)  # after problems were opened or resolved
    # estimates and delays change the summary too, not only a new status
    _refresh_summaries({str(order_id) for order_id in news})


def _refresh_summaries(order_ids: set[str]) -> None:
    """Carrier news changes the orders' metadata summaries: one task per batch, on commit."""
    if not order_ids:
        return
    from ..core.enqueue import enqueue_on_commit

    enqueue_on_commit(REFRESH_SUMMARIES_TASK, sorted(order_ids), log_ref="poll batch")


def _notify_status(parcel: Parcel, old_status: str, config: AftersalesConfig) -> None:
    """Announce that a parcel's status changed (notifications, or for a return parcel the
    return, react); never raises."""
    returning = parcel.direction == Parcel.Direction.RETURN
    signal = signals.return_parcel_changed if returning else signals.parcel_status_changed
    try:
        signal.send(sender=Parcel, parcel=parcel, old_status=old_status, config=config)
    except Exception:  # a message failure must not undo the stored news
        logger.exception("aftersales: on_parcel_status failed for parcel %s", parcel.pk)


def _schedule_reviews(items: list[tuple[AftersalesConfig, str]]) -> None:
    """Announce delivered parcels (review requests follow in notifications); never raises."""
    if not items:
        return
    try:
        with transaction.atomic():
            signals.parcels_delivered.send(sender=Parcel, items=items)
    except Exception:  # a message failure must not undo the stored news
        logger.exception("aftersales: scheduling %d review requests failed", len(items))
