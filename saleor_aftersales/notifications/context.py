"""Template variables of one message, built from the host's order view and our rows.

Links go through the click redirect only when the recipient may be tracked; otherwise they
are the plain signed status link and the carrier's page. Prices are amounts with their
currency and dates are dates: templates format them with ``aftersales_format`` filters in the
message's language and the shop's time zone (``email.render_email``). Thumbnails are absolute
URLs (a relative one is resolved against the public base URL), since a mail client has no base.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.utils.translation import get_supported_language_variant

from ..config import AftersalesConfig, safe_color
from ..core.colours import text_color_on
from ..core.links import status_url
from ..hosts.base import Host, LineView, OrderView
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


def absolute_image(url: str | None) -> str:
    """An image URL a mail client can load: https/http/data as is, a path made absolute."""
    url = (url or "").strip()
    if not url or url.startswith(("https://", "http://", "data:image/")):
        return url
    if url.startswith("/") and not url.startswith("//"):
        return urljoin(links.public_base(), url)
    return ""


def _line(line: LineView, quantity: int | None = None) -> dict[str, Any]:
    return {
        "name": line.product_name,
        "variant": line.variant_name,
        "quantity": line.quantity if quantity is None else quantity,
        "thumbnail_url": absolute_image(line.thumbnail_url),
        "price": line.unit_price,
        "currency": line.currency,
    }


def parcel_lines(order: OrderView, parcel: Parcel) -> list[dict[str, Any]]:
    result = []
    for item in parcel.lines or []:
        line = order.line(str(item.get("line_id")))
        if line is not None:
            result.append(_line(line, int(item.get("quantity") or line.quantity)))
    return result


def shop_context(config: AftersalesConfig, wrap: Callable[[str], str]) -> dict[str, str]:
    """The shop's name, brand (a validated hex colour, text colour on it), logo and link."""
    color = safe_color(config.brand_color)
    return {
        "name": config.display_name,
        "brand_color": color,
        "brand_text": text_color_on(color),
        "logo_url": absolute_image(config.logo_url),
        "url": wrap(config.storefront_url) if config.storefront_url else "",
        "time_zone": str(getattr(config, "time_zone", "") or ""),
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
            "total": order.total_gross,
            "currency": order.currency,
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
                "thumbnail_url": absolute_image(p.thumbnail_url),
                "price": p.price,
                "currency": p.currency,
            }
            for p in host.recommendations(order.channel_slug, product_ids, limit=4)
        ]
    return ctx
