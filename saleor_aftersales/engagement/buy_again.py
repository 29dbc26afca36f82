"""Buy again: the order's items, their availability now, and a new checkout with them."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.utils.translation import gettext as _

from ..config import AftersalesConfig
from ..core.exceptions import AftersalesError
from ..hosts.base import CheckoutRef, Host, OrderView, VariantAvailability
from ..status.types import BuyAgainItem


@dataclass(frozen=True)
class BuyAgainResult:
    """The checkout created for buy again, where to send the shopper, and what was left out."""

    checkout: CheckoutRef
    redirect_url: str
    unavailable: tuple[str, ...]  # names of items that could not be added


class NothingAvailable(AftersalesError):
    """None of the order's items can be bought again right now."""


def reason_text(reason: str) -> str:
    """Translated explanation of an unavailability reason."""
    if reason == "out_of_stock":
        return _("Out of stock")
    if reason:
        return _("No longer available")
    return ""


def offers(order: OrderView, config: AftersalesConfig, host: Host) -> list[BuyAgainItem]:
    """Every order line with its availability in the order's channel (fixed queries).

    Lines are merged per variant (quantities add up); the quantity offered is capped at the
    stock. Lines whose variant was deleted are named as unavailable.
    """
    merged: dict[str, tuple[str, int, str, str]] = {}
    deleted: list[BuyAgainItem] = []
    for line in order.lines:
        name = line.product_name + (f" ({line.variant_name})" if line.variant_name else "")
        if not line.variant_id:
            deleted.append(
                BuyAgainItem(
                    line.id, None, name, line.quantity, False, "unavailable",
                    reason_text("unavailable"), thumbnail_url=line.thumbnail_url,
                )
            )
            continue
        if line.variant_id in merged:
            first_id, qty, first_name, thumb = merged[line.variant_id]
            merged[line.variant_id] = (first_id, qty + line.quantity, first_name, thumb)
        else:
            merged[line.variant_id] = (line.id, line.quantity, name, line.thumbnail_url)
    known = order.availability  # read with the order (one query less), else ask the host
    if known is not None and known.keys() >= merged.keys():
        availability: dict[str, VariantAvailability] = known
    else:
        availability = host.check_variants(order.channel_slug, list(merged)) if merged else {}
    result: list[BuyAgainItem] = []
    for variant_id, (line_id, qty, name, thumb) in merged.items():
        info = availability.get(variant_id) or VariantAvailability(
            variant_id, False, reason="unavailable"
        )
        quantity = min(qty, info.quantity_available) if info.available else qty
        available = info.available and info.quantity_available > 0
        reason = "" if available else (info.reason or "out_of_stock")
        result.append(
            BuyAgainItem(
                line_id=line_id,
                variant_id=variant_id,
                name=name,
                quantity=max(quantity, 1),
                available=available,
                reason=reason,
                reason_text=reason_text(reason),
                price=info.price,
                currency=info.currency or order.currency,
                thumbnail_url=thumb,
            )
        )
    return result + deleted


def checkout_redirect_url(config: AftersalesConfig, checkout: CheckoutRef) -> str:
    """``config.checkout_url`` with ``{checkout_id}``/``{token}`` filled in (URL-quoted).

    Without a configured checkout URL, the storefront's ``/checkout?checkout=<id>`` is used.
    """
    template = config.checkout_url or (
        f"{config.storefront_url.rstrip('/')}/checkout?checkout={{checkout_id}}"
        if config.storefront_url
        else ""
    )
    if not template:
        raise AftersalesError("buy again needs the checkout URL or storefront URL configured")
    return template.replace("{checkout_id}", quote(checkout.id, safe="")).replace(
        "{token}", quote(checkout.token, safe="")
    )


def start_checkout(order: OrderView, config: AftersalesConfig, host: Host) -> BuyAgainResult:
    """Create a checkout with the order's available items; raise :class:`NothingAvailable`."""
    items = offers(order, config, host)
    lines = [(o.variant_id, o.quantity) for o in items if o.available and o.variant_id]
    if not lines:
        raise NothingAvailable("none of the items can be bought again right now")
    checkout = host.create_checkout(order.channel_slug, lines, email=order.customer_email)
    return BuyAgainResult(
        checkout=checkout,
        redirect_url=checkout_redirect_url(config, checkout),
        unavailable=tuple(o.name for o in items if not o.available),
    )


def record_order(order: OrderView) -> bool:
    """Count ``order`` as a buy-again order when it was placed from a checkout that buy again
    created (the ``BUY_AGAIN`` event's target is the checkout's id); once per order.

    The ``BUY_AGAIN_CHECKOUT`` event names the order bought again (``order_id``, as its
    ``BUY_AGAIN`` event does) and the new order (``target``). Returns whether it counted.
    """
    from django.db import transaction

    from ..models import EngagementEvent, TrackedOrder

    if not order.checkout_id:
        return False
    kind = EngagementEvent.Kind
    source = (
        EngagementEvent.objects.filter(
            channel_slug=order.channel_slug, kind=kind.BUY_AGAIN, target=order.checkout_id
        )
        .values_list("order_id", flat=True)
        .first()
    )
    if source is None:
        return False
    with transaction.atomic():
        # the new order's row serialises repeated hooks of the same order
        TrackedOrder.objects.select_for_update().filter(order_id=order.id).first()
        counted = EngagementEvent.objects.filter(kind=kind.BUY_AGAIN_CHECKOUT, target=order.id)
        if counted.exists():
            return False
        EngagementEvent.objects.create(
            order_id=source, channel_slug=order.channel_slug, kind=kind.BUY_AGAIN_CHECKOUT,
            target=order.id,
        )  # fmt: skip
    return True
