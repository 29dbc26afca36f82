"""The shopper's view of returns: what can be returned, how, and the returns made so far.

One builder for every reader (status page form, shopper GraphQL), in the active language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..config import AftersalesConfig
from ..hosts.base import OrderView
from .errors import MESSAGES
from .labels import methods
from .models import ReturnRequest, ReturnState
from .rules import ReturnableItem, returnable_items, rules_for
from .service import reason_choices

RESOLUTION_LABELS = {
    "refund": lambda: _("Refund to the original payment"),
    "exchange": lambda: _("Exchange for another size or colour"),
    "store_credit": lambda: _("Store credit (gift card)"),
}
METHOD_LABELS = {
    "label": lambda: _("Prepaid DHL label (print it, or show a QR code at a DHL point)"),
    "address": lambda: _("Send the parcel yourself to our return address"),
    "store": lambda: _("Bring the items to one of our stores"),
}
#: The way back as the shopper's small timeline shows it; the last step names the resolution.
STEPS = ("requested", "approved", "label_created", "handed_over", "received", "resolved")


@dataclass(frozen=True)
class ReturnStep:
    key: str
    label: str
    at: datetime | None
    done: bool


@dataclass(frozen=True)
class ShopperReturn:
    request: ReturnRequest
    state_label: str
    steps: tuple[ReturnStep, ...]
    lines: tuple[tuple[str, int], ...]  # (product name, quantity)


@dataclass(frozen=True)
class ReturnOptions:
    enabled: bool
    items: tuple[ReturnableItem, ...]
    reasons: tuple[tuple[str, str], ...]  # (id, label)
    resolutions: tuple[tuple[str, str], ...]  # (code, label)
    returns: tuple[ShopperReturn, ...]
    return_address: str = ""
    methods: tuple[tuple[str, str], ...] = ()

    @property
    def can_return(self) -> bool:
        return self.enabled and any(i.max_quantity for i in self.items)


def blocked_text(item: ReturnableItem) -> str:
    if not item.blocked:
        return ""
    if item.blocked == "outside_window" and item.window_ends:
        return str(MESSAGES["outside_window"]) % {
            "name": item.line.product_name,
            "date": item.window_ends.date().isoformat(),
        }
    return str(MESSAGES[item.blocked]) % {"name": item.line.product_name}


def _labels() -> dict[str, str]:
    return {
        "requested": _("Return requested"),
        "approved": _("Approved"),
        "rejected": _("Rejected"),
        "label_created": _("Return label created"),
        "handed_over": _("Handed over"),
        "received": _("Received"),
        "refunded": _("Refunded"),
        "exchanged": _("Exchanged"),
        "credited": _("Credited"),
        "resolved": _("Refunded, exchanged or credited"),
    }


def shopper_return(request: ReturnRequest, order: OrderView) -> ShopperReturn:
    labels = _labels()
    final = {"refund": "refunded", "exchange": "exchanged", "store_credit": "credited"}[
        request.resolution
    ]
    stamps = {
        "requested": request.created_at,
        "approved": request.approved_at,
        "label_created": request.label_created_at,
        "handed_over": request.handed_over_at,
        "received": request.received_at,
        "resolved": request.resolved_at,
    }
    steps = []
    later = {key: any(stamps[k] for k in STEPS[i + 1 :]) for i, key in enumerate(STEPS)}
    for key in STEPS:
        if key == "label_created" and request.method != "label":
            continue
        if key == "approved" and request.state == ReturnState.REJECTED:
            steps.append(ReturnStep("rejected", labels["rejected"], request.rejected_at, True))
            break
        name = final if key == "resolved" else key
        # a step passed without news (handed over, not scanned) is done, without a date
        done = stamps[key] is not None or later[key]
        steps.append(ReturnStep(name, labels[name], stamps[key], done))
    lines = tuple(
        ((order.line(li.line_id).product_name if order.line(li.line_id) else "?"), li.quantity)
        for li in request.lines.all()
    )
    return ShopperReturn(request, labels.get(request.state, request.state), tuple(steps), lines)


def return_options(
    order: OrderView,
    config: AftersalesConfig,
    host,
    *,
    now=None,
    language: str = "",
    summary: bool = False,
) -> ReturnOptions:
    """Everything the return form and the return timelines show for ``order``.

    ``summary``: only what the status page shows (the returns, and whether anything can be
    returned): no exchange variants, reasons or resolutions (3 host reads fewer).
    """
    rules = rules_for(config)
    requests = tuple(
        shopper_return(r, order)
        for r in ReturnRequest.objects.filter(order_id=order.id).prefetch_related("lines")
    )
    if not rules.enabled:
        return ReturnOptions(False, (), (), (), requests)
    language = language or get_language() or "en"
    items = tuple(
        returnable_items(order, rules, host, now=now or timezone.now(), with_exchange=not summary)
    )
    if summary:
        return ReturnOptions(not order.is_cancelled, items, (), (), requests)
    reasons = tuple(
        (rid, label) for rid, label, _ref in reason_choices(order, rules, host, language)
    )
    resolutions = tuple((r, RESOLUTION_LABELS[r]()) for r in rules.resolutions)
    return ReturnOptions(
        enabled=not order.is_cancelled,
        items=items,
        reasons=reasons,
        resolutions=resolutions,
        returns=requests,
        return_address=rules.return_address,
        methods=tuple((m, METHOD_LABELS[m]()) for m in methods(config)),
    )


def widget_returns(order_id: str, host, language: str, when) -> list[dict]:
    """The order's returns for the storefront widget, as the status page lists them to any
    holder of the link: state, items and the small timeline, dates formatted by ``when``;
    empty, without a host read, if there are none."""
    requests = list(ReturnRequest.objects.filter(order_id=order_id).prefetch_related("lines"))
    order = host.get_order(order_id) if requests else None
    if order is None:
        return []
    from django.utils import translation

    with translation.override(language):
        shown = [shopper_return(request, order) for request in requests]
    return [
        {
            "state": item.request.state,
            "state_label": item.state_label,
            "steps": [
                {"key": s.key, "label": s.label, "done": s.done, "at_text": when(s.at)}
                for s in item.steps
            ],
            "lines": [{"product_name": name, "quantity": qty} for name, qty in item.lines],
        }
        for item in shown
    ]
