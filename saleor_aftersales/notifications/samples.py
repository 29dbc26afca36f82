"""Sample message contexts for every trigger: previews (``aftersales_render_emails``), the
benchmark and tests.

Contract: the values have the shapes ``context.order_context`` gives real messages (amounts
with a currency, dates as dates), so a preview runs the templates' real formatting. Thumbnails
are ``data:`` images that load anywhere, offline too; ``preview_shop`` takes the channel's
configured name, brand colour, logo and time zone.
"""

from __future__ import annotations

from base64 import b64encode
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..config import AftersalesConfig

if TYPE_CHECKING:
    from .email import RenderedEmail

SAMPLE_SHOP_NAME = "Nordwind Outfitters"
SAMPLE_ZONE = "Europe/Berlin"
SAMPLE_URL = "https://shop.example.com"


def _svg(background: str, body: str) -> str:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="112" height="112" viewBox="0 0 112 112">'
        f'<rect width="112" height="112" rx="12" fill="{background}"/>{body}</svg>'
    )
    return "data:image/svg+xml;base64," + b64encode(svg.encode()).decode()


#: Product pictures drawn as small SVGs (a sweater, a T-shirt, a beanie, a belt).
THUMBNAILS: dict[str, str] = {
    "sweater": _svg("#dfe6f2", '<path d="M38 24l-22 14 8 22 10-5v43h44V55l10 5 8-22-22-14'
                    'c-4 8-10 12-18 12s-14-4-18-12z" fill="#26406b"/>'
                    '<path d="M34 80h44M34 88h44" stroke="#3d5a8c" stroke-width="3"/>'),
    "tshirt": _svg("#f3ece0", '<path d="M40 26l-24 12 8 18 10-4v40h44V52l10 4 8-18-24-12'
                   'c-3 7-9 10-16 10s-13-3-16-10z" fill="#f8f8f6" stroke="#b9ad97"'
                   ' stroke-width="3"/>'),
    "beanie": _svg("#f1e3e1", '<circle cx="56" cy="26" r="9" fill="#b5473a"/>'
                   '<path d="M26 70c0-22 13-38 30-38s30 16 30 38z" fill="#c8553d"/>'
                   '<rect x="22" y="68" width="68" height="18" rx="5" fill="#9e3f2f"/>'),
    "belt": _svg("#ece6dc", '<rect x="10" y="48" width="92" height="16" rx="4" fill="#6b4423"/>'
                 '<rect x="38" y="42" width="26" height="28" rx="4" fill="none" stroke="#c9a227"'
                 ' stroke-width="5"/>'),
}

LINES = [
    {"name": "Merino Wool Sweater", "variant": "M / Navy", "quantity": 1,
     "thumbnail_url": THUMBNAILS["sweater"], "price": Decimal("89.00"), "currency": "EUR"},
    {"name": "Organic Cotton T-Shirt", "variant": "L", "quantity": 2,
     "thumbnail_url": THUMBNAILS["tshirt"], "price": Decimal("24.90"), "currency": "EUR"},
]


def preview_shop(config: AftersalesConfig | None = None) -> dict[str, str]:
    """The shop part of a preview: the channel's own brand when ``config`` is given."""
    from .context import shop_context

    config = config or AftersalesConfig()
    shop = shop_context(config, lambda url: url)
    shop["name"] = config.shop_name or config.sender_name or SAMPLE_SHOP_NAME
    shop["url"] = shop["url"] or SAMPLE_URL
    shop["time_zone"] = shop["time_zone"] or SAMPLE_ZONE
    return shop


def sample_context(event: str, n: int = 0, *, shop: dict[str, str] | None = None
                   ) -> dict[str, Any]:
    """Variables of a realistic message for ``event`` (``n`` varies the order number)."""
    status = f"{SAMPLE_URL}/plugins/channel/default-channel/status/eyJvIjoi…"
    ctx: dict[str, Any] = {
        "shop": shop or preview_shop(),
        "order": {"number": str(1001 + n), "customer_name": "Erika & Co <Test>",
                  "lines": LINES, "total": Decimal("138.80"), "currency": "EUR"},
        "lines": LINES,
        "status_url": f"{status}?n={n}&utm=mail",
        "review_url": f"{status}?review=1",
        "parcel": None,
        "products": [],
        "voucher": None,
        "language": "en",
        "unsubscribe_url": f"{SAMPLE_URL}/mail/unsubscribe/abc",
        "pixel_url": "",
    }
    if event in ("shipped", "out_for_delivery", "delivered", "ready_for_pickup", "delay"):
        ctx["parcel"] = {"carrier": "DHL Paket", "tracking_number": "00340434161094042557",
                         "tracking_url": "https://www.dhl.de/de/verfolgen?piececode=003404341",
                         "estimated_delivery": date(2025, 3, 14), "status": "in_transit"}
    if event in ("order_confirmation", "shipped", "delivered", "review_request"):
        ctx["products"] = [
            {"name": "Wool Beanie", "url": f"{SAMPLE_URL}/products/wool-beanie",
             "thumbnail_url": THUMBNAILS["beanie"], "price": Decimal("19.90"),
             "currency": "EUR"},
            {"name": "Leather Belt", "url": f"{SAMPLE_URL}/products/leather-belt",
             "thumbnail_url": THUMBNAILS["belt"], "price": Decimal("39.00"), "currency": "EUR"},
        ]
    if event == "delay":
        ctx["voucher"] = {"code": "SORRY-3F9A1C22B0", "percent": 10,
                          "valid_until": datetime(2025, 4, 13, 21, 30, tzinfo=UTC)}
    if event.startswith("return_"):
        ctx["return"] = sample_return(event)
    if event == "staff_digest":
        ctx.update(staff=True, unsubscribe_url="", pixel_url="", problems=[
            {"order_number": str(1001 + i), "kind": kind, "detail": detail,
             "detected_at": datetime(2025, 3, 10, 9, tzinfo=UTC)
             + timedelta(hours=i), "status_url": f"{status}{i}"}
            for i, (kind, detail) in enumerate([
                ("Estimated date passed", "DHL: expected 12 March"),
                ("No carrier scan", "Label created 4 days ago"),
                ("Carrier exception", "Address could not be found"),
            ])
        ])
    return ctx


def preview_email(
    event: str,
    language: str,
    *,
    config: AftersalesConfig | None = None,
    shop: dict[str, str] | None = None,
) -> RenderedEmail | None:
    """``event`` rendered with the sample data in ``language`` through ``render_email``.

    ``shop`` defaults to :func:`preview_shop` of ``config``; with ``config`` its template and
    subject settings apply too (``None`` when they switch the trigger off).
    """
    from .email import render_email

    context = {**sample_context(event, shop=shop or preview_shop(config)), "language": language}
    return render_email(event, context, language=language, config=config)


def sample_return(event: str) -> dict[str, Any]:
    """A return of the sample order in the state its ``event`` announces (the keys of
    ``return_context.return_context``): approved with a prepaid label, rejected with a
    reason, resolved by refund."""
    return {
        "number": 42,
        "state": event.removeprefix("return_"),
        "state_label": event.removeprefix("return_").capitalize(),
        "resolution": "refund",
        "lines": [{"name": LINES[0]["name"], "quantity": 1}],
        "reject_reason": (
            "The sweater has been worn and washed." if event == "return_rejected" else ""
        ),
        "has_label": event == "return_approved",
        "tracking_number": "00340434161094042557" if event == "return_approved" else "",
        "gift_card_code": "",
    }
