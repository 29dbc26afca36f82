"""Sample message contexts for every trigger: the review folder, the benchmark and tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

SHOP = {"name": "Nordwind Outfitters", "brand_color": "#0b7a75",
        "logo_url": "", "url": "https://shop.example.com"}
LINES = [
    {"name": "Merino Wool Sweater", "variant": "M / Navy", "quantity": 1,
     "thumbnail_url": "https://shop.example.com/media/thumbnails/sweater.png",
     "price": "89.00 EUR"},
    {"name": "Organic Cotton T-Shirt", "variant": "L", "quantity": 2,
     "thumbnail_url": "", "price": "24.90 EUR"},
]


def sample_context(event: str, n: int = 0) -> dict[str, Any]:
    """Variables of a realistic message for ``event`` (``n`` varies the order number)."""
    status = "https://shop.example.com/plugins/channel/default-channel/status/eyJvIjoi…"
    ctx: dict[str, Any] = {
        "shop": SHOP,
        "order": {"number": str(1001 + n), "customer_name": "Erika & Co <Test>",
                  "lines": LINES, "total": "138.80 EUR"},
        "lines": LINES,
        "status_url": f"{status}?n={n}&utm=mail",
        "review_url": f"{status}?review=1",
        "parcel": None,
        "products": [],
        "voucher": None,
        "language": "en",
        "unsubscribe_url": "https://shop.example.com/mail/unsubscribe/abc",
        "pixel_url": "https://shop.example.com/mail/open/abc.gif",
    }
    if event in ("shipped", "out_for_delivery", "delivered", "ready_for_pickup", "delay"):
        ctx["parcel"] = {"carrier": "DHL Paket", "tracking_number": "00340434161094042557",
                         "tracking_url": "https://www.dhl.de/de/verfolgen?piececode=003404341",
                         "estimated_delivery": date(2025, 3, 14), "status": "in_transit"}
    if event in ("order_confirmation", "shipped", "delivered", "review_request"):
        ctx["products"] = [
            {"name": "Wool Beanie", "url": "https://shop.example.com/products/wool-beanie",
             "thumbnail_url": "https://shop.example.com/media/thumbnails/beanie.png",
             "price": "19.90 EUR"},
            {"name": "Leather Belt", "url": "https://shop.example.com/products/leather-belt",
             "thumbnail_url": "", "price": "39.00 EUR"},
        ]
    if event == "delay":
        ctx["voucher"] = {"code": "SORRY-3F9A1C22B0", "percent": 10,
                          "valid_until": datetime(2025, 4, 13, tzinfo=UTC)}
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
