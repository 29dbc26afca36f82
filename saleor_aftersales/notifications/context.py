"""Template variables of one message, built from the host's order view and our rows.

Links go through the click redirect only when the recipient may be tracked; otherwise they
are the plain signed status link and the carrier's page.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import get_supported_language_variant

from ..config import AftersalesConfig
from ..hosts.base import Host, LineView, OrderView
from ..links import status_url
from ..models import Parcel
from ..tracking.numbers import carrier_name
from . import links


def resolve_language(code: str | None) -> str:
    """The order's language if we ship it (``de-AT`` → ``de``), else the site default."""
    code = (code or "").replace("_", "-").lower()
    try:
        return get_supported_language_variant(code) if code else settings.LANGUAGE_CODE
    except LookupError:
        return settings.LANGUAGE_CODE


def money(amount: Decimal | None, currency: str) -> str:
    return "" if amount is None else f"{Decimal(amount):.2f} {currency}".strip()


def _line(line: LineView, quantity: int | None = None) -> dict[str, Any]:
    return {
        "name": line.product_name,
        "variant": line.variant_name,
        "quantity": line.quantity if quantity is None else quantity,
        "thumbnail_url": line.thumbnail_url,
        "price": money(line.unit_price, line.currency),
    }


def parcel_lines(order: OrderView, parcel: Parcel) -> list[dict[str, Any]]:
    result = []
    for item in parcel.lines or []:
        line = order.line(str(item.get("line_id")))
        if line is not None:
            result.append(_line(line, int(item.get("quantity") or line.quantity)))
    return result


def shop_context(config: AftersalesConfig, wrap: Callable[[str], str]) -> dict[str, str]:
    return {
        "name": config.display_name,
        "brand_color": config.brand_color or "#1f6feb",
        "logo_url": config.logo_url,
        "url": wrap(config.storefront_url) if config.storefront_url else "",
    }


def order_context(
    *,
    order: OrderView,
    config: AftersalesConfig,
    host: Host,
    parcel: Parcel | None,
    wrap: Callable[[str], str],
    cross_sell: bool,
) -> dict[str, Any]:
    """Variables of a shopper email about ``order`` (and ``parcel``)."""
    address = order.shipping_address or order.billing_address
    lines = [_line(line) for line in order.lines]
    ctx: dict[str, Any] = {
        "shop": shop_context(config, wrap),
        "order": {
            "number": order.number,
            "customer_name": address.first_name if address else "",
            "lines": lines,
            "total": money(order.total_gross, order.currency),
        },
        "lines": lines,
        "status_url": wrap(status_url(order.id, config, links.public_base())),
        "review_url": wrap(status_url(order.id, config, links.public_base(), review="1")),
        "parcel": None,
        "products": [],
    }
    if parcel is not None:
        ctx["lines"] = parcel_lines(order, parcel) or lines
        ctx["parcel"] = {
            "carrier": carrier_name(parcel.carrier),
            "tracking_number": parcel.tracking_number,
            "tracking_url": wrap(parcel.tracking_url) if parcel.tracking_url else "",
            "estimated_delivery": parcel.estimated_delivery,
            "status": parcel.status,
        }
    if cross_sell:
        product_ids = [line.product_id for line in order.lines if line.product_id]
        template = config.product_url_template
        ctx["products"] = [
            {
                "name": p.name,
                "url": wrap(template.replace("{slug}", p.slug)) if template else "",
                "thumbnail_url": p.thumbnail_url,
                "price": money(p.price, p.currency) if p.price is not None else "",
            }
            for p in host.recommendations(order.channel_slug, product_ids, limit=4)
        ]
    return ctx
