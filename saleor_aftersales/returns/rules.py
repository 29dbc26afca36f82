"""What a shopper may return: the channel's rules applied to an order's delivered lines.

A line can be returned up to what its delivered parcels carried minus what was returned
already (in the shop, or in a return of ours that is still open), within the channel's
window after its parcel's delivery, unless its product or product type is not returnable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Sum

from ..config import AftersalesConfig
from ..hosts.base import LineView, OrderView, ReturnableLine, VariantAvailability
from .models import ReturnLine, ReturnState

RESOLUTIONS = ("refund", "exchange", "store_credit")

#: The shipped reasons: code, English, German (``return_reasons`` replaces them).
DEFAULT_REASONS: tuple[tuple[str, str, str], ...] = (
    ("too_small", "Too small", "Zu klein"),
    ("too_large", "Too large", "Zu groß"),
    ("not_as_described", "Not as described", "Entspricht nicht der Beschreibung"),
    ("damaged", "Arrived damaged", "Beschädigt angekommen"),
    ("wrong_item", "Wrong item sent", "Falscher Artikel geliefert"),
    ("changed_mind", "Changed my mind", "Gefällt mir nicht"),
)


@dataclass(frozen=True)
class ReturnRules:
    """A channel's return settings, parsed."""

    enabled: bool
    window_days: int
    auto_approve: bool
    resolutions: tuple[str, ...]
    non_returnable: frozenset[str]  # case-folded product type names and product slugs
    reasons: tuple[tuple[str, str, str], ...]
    return_address: str = ""

    def reason_label(self, code: str, language: str) -> str | None:
        for key, english, german in self.reasons:
            if key == code:
                return german if language.startswith("de") else english
        return None


def parse_reasons(text: str) -> tuple[tuple[str, str, str], ...]:
    """``code = English | Deutsch`` lines (German optional); bad lines are skipped."""
    reasons = []
    for raw in (text or "").splitlines():
        code, sep, labels = raw.partition("=")
        code = code.strip()
        if not sep or not code:
            continue
        english, _, german = labels.partition("|")
        english = english.strip() or code
        reasons.append((code, english, german.strip() or english))
    return tuple(reasons)


def rules_for(config: AftersalesConfig) -> ReturnRules:
    return ReturnRules(
        enabled=config.returns_enabled,
        window_days=config.return_window_days,
        auto_approve=config.return_approval == "auto",
        resolutions=tuple(
            r for r in (p.strip() for p in config.return_resolutions.split(",")) if r in RESOLUTIONS
        ),
        non_returnable=frozenset(
            line.strip().casefold()
            for line in config.return_non_returnable.splitlines()
            if line.strip()
        ),
        reasons=parse_reasons(config.return_reasons) or DEFAULT_REASONS,
        return_address=config.return_address,
    )


@dataclass(frozen=True)
class ReturnableItem:
    """One order line as the return form shows it."""

    line: LineView
    delivered: int
    returned: int
    delivered_at: datetime | None
    window_ends: datetime | None
    blocked: str  # "" or a ReturnRefused code: not_delivered, outside_window, non_returnable
    exchange_options: tuple[VariantAvailability, ...] = ()

    @property
    def max_quantity(self) -> int:
        return 0 if self.blocked else max(self.delivered - self.returned, 0)


def _is_non_returnable(info: ReturnableLine | None, line: LineView, rules: ReturnRules) -> bool:
    if info is None:
        return False
    names = {info.product_type.casefold(), (info.product_slug or line.product_slug).casefold()}
    return info.non_returnable or bool(names & rules.non_returnable)


def pending_returned(order_id: str) -> dict[str, int]:
    """Quantities per line in our open returns that the shop does not count yet."""
    rows = (
        ReturnLine.objects.filter(request__order_id=order_id, request__host_return_id="")
        .exclude(request__state=ReturnState.REJECTED)
        .values("line_id")
        .annotate(n=Sum("quantity"))
    )
    return {row["line_id"]: row["n"] for row in rows}


def returnable_items(
    order: OrderView, rules: ReturnRules, host, *, now: datetime, with_exchange: bool = True
) -> list[ReturnableItem]:
    """Every line of ``order`` with its delivered and returned quantities and why not."""
    from ..models import Parcel

    delivered: dict[str, int] = {}
    delivered_at: dict[str, datetime] = {}
    for parcel in Parcel.objects.filter(order_id=order.id, status="delivered"):
        for entry in parcel.lines or ():
            line_id = str(entry.get("line_id", ""))
            delivered[line_id] = delivered.get(line_id, 0) + int(entry.get("quantity") or 0)
            when = parcel.delivered_at or parcel.last_event_at or parcel.shipped_at
            if when and (line_id not in delivered_at or when > delivered_at[line_id]):
                delivered_at[line_id] = when
    infos = host.returnable_lines(order.id)
    pending = pending_returned(order.id)
    options: dict[str, VariantAvailability] = {}
    if with_exchange and "exchange" in rules.resolutions:
        ids = sorted({v for info in infos.values() for v in info.exchange_variant_ids})
        options = host.check_variants(order.channel_slug, ids) if ids else {}
    items = []
    for line in order.lines:
        info = infos.get(line.id)
        at = delivered_at.get(line.id)
        ends = at + timedelta(days=rules.window_days) if at else None
        blocked = ""
        if not delivered.get(line.id):
            blocked = "not_delivered"
        elif _is_non_returnable(info, line, rules):
            blocked = "non_returnable"
        elif ends is not None and now > ends:
            blocked = "outside_window"
        exchange = tuple(
            options[v] for v in (info.exchange_variant_ids if info else ()) if v in options
        )
        items.append(
            ReturnableItem(
                line=line,
                delivered=delivered.get(line.id, 0),
                returned=(info.returned_quantity if info else 0) + pending.get(line.id, 0),
                delivered_at=at,
                window_ends=ends,
                blocked=blocked,
                exchange_options=exchange,
            )
        )
    return items
