"""Sample shop for the demo: orders in several states, driven through the real services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from saleor_aftersales import lifecycle
from saleor_aftersales.links import make_token
from saleor_aftersales.plugin_id import PLUGIN_ID
from saleor_aftersales.sandbox import factories, models

from .tracking import play_journeys

DEMO_CONFIG = {
    "shop_name": "Nordwind Outfitters",
    "storefront_url": "https://shop.example.com",
    "checkout_url": "https://shop.example.com/checkout?checkout={checkout_id}",
    "product_url_template": "https://shop.example.com/products/{slug}",
    "sender_name": "Nordwind Outfitters",
    "sender_email": "service@shop.example.com",
    "staff_email": "ops@shop.example.com",
    "brand_color": "#0b6e4f",
    "review_platform_url": "https://g.page/r/nordwind/review",
    "emails_enabled": True,
}


def seed() -> list[tuple[str, str]]:
    """Create the sample orders once; return (label, path) pairs to print."""
    channel = factories.make_channel("default-channel", **DEMO_CONFIG)
    if not models.Order.objects.exists():
        orders = [
            factories.make_order(lines=3, parcels=2, channel=channel,
                                 tracking_numbers=["00340434161094042557", "1Z999AA10123456784"]),
            factories.make_order(lines=1, parcels=0, channel=channel, language_code="de"),
        ]
        # placed two days ago and handed to the carriers before their first scan
        now = timezone.now()
        models.Order.objects.filter(pk=orders[0].pk).update(created_at=now - timedelta(days=2))
        models.Fulfillment.objects.filter(order=orders[0]).update(
            created_at=now - timedelta(hours=31)
        )
        for order in orders:
            lifecycle.handle_order_event(str(order.pk), "order_created")
            for f in order.fulfillments.all():
                lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")
            play_journeys(str(order.pk))  # carrier events and estimates for the parcels
    base = f"/plugins/channel/{channel.slug}/{PLUGIN_ID}"
    pages = [
        (f"Status page, order {o.number} ({o.language_code})",
         f"{base}/status/{make_token(str(o.pk), channel.slug)}")
        for o in models.Order.objects.filter(channel=channel).order_by("number")
    ]
    first = models.Order.objects.filter(channel=channel).order_by("number").first()
    if first is not None:
        pages.append(("Thank-you widget demo",
                      f"{base}/widget-demo?order={first.pk}&email={first.user_email}"))
    return [*pages, ("Plugin route health", f"{base}/health")]
