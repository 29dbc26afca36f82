"""A rich sandbox order for the page: split parcels, German DHL and English UPS texts, noise.

``rich_order(channel, language="en")`` returns the order after the lifecycle ran: parcel 1
(DHL) is out for delivery, its newest event classed as noise; parcel 2 (UPS) is in transit;
product thumbnails are data: URIs (the page's CSP allows them); cross-sell has consent.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from django.utils import timezone

from saleor_aftersales.models import FaqEntry, Milestone, Parcel, TrackedOrder, TrackingEvent
from saleor_aftersales.status.timeline import parcel_milestone_rows, store_milestones
from sandbox import factories
from tests.web.conftest import process

SHOP = {
    "brand_color": "#0b6e4f",
    "time_zone": "Europe/Berlin",
    "support_email": "help@shop.example.com",
    "support_phone": "+49 30 1234567",
    "support_url": "https://shop.example.com/help",
}
COLOURS = ("#c8553d", "#2d6a8f", "#7a9e7e", "#e0b04f", "#6b4e71", "#3d405b")


def thumbnail(index: int) -> str:
    """A square product picture as a data: URI (no network in tests)."""
    colour = COLOURS[index % len(COLOURS)]
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 64 64'>"
        f"<rect width='64' height='64' fill='{colour}'/>"
        "<path d='M16 22h32l-4 28H20z' fill='#fff' fill-opacity='.55'/></svg>"
    )
    return "data:image/svg+xml," + quote(svg)


def _event(parcel, at, status, text, where, n, relevant=True):
    TrackingEvent.objects.create(
        parcel=parcel, occurred_at=at, status=status, description=text, location=where,
        source="dhl" if parcel.carrier == "dhl" else "ups", source_id=f"rich-{parcel.pk}-{n}",
        relevant=relevant,
    )


def rich_order(channel, language: str = "en"):
    channel.configuration.update(SHOP)
    channel.save()
    names = ["Merino Wool Sweater", "Rain Jacket", "Running Socks (3-pack)", "Canvas Tote Bag"]
    variants = [
        factories.make_product(name, price=price, thumbnail_url=thumbnail(i))
        for i, (name, price) in enumerate(zip(names, ("89.90", "149.00", "24.90", "19.90"),
                                              strict=True))
    ]
    extra = [factories.make_product(n, price="24.90", thumbnail_url=thumbnail(4 + i))
             for i, n in enumerate(("Wool Beanie", "Linen Shirt"))]
    other = factories.make_order(lines=3, channel=channel, variants=[variants[0], *extra])
    process(other)
    order = factories.make_order(
        lines=4, parcels=2, channel=channel, variants=variants, language_code=language,
        tracking_numbers=["00340434161094042557", "1Z999AA10123456784"],
        created_at=timezone.now() - timedelta(days=2, hours=3),
        metadata={"marketing_consent": "true"},
    )
    process(order)
    TrackedOrder.objects.filter(order_id=order.pk).update(
        paid_at=order.created_at + timedelta(minutes=2))
    now = timezone.now()
    shipped = now - timedelta(days=1, hours=9)
    Parcel.objects.filter(order_id=order.pk).update(shipped_at=shipped)
    Milestone.objects.filter(order_id=order.pk, kind="shipped").update(occurred_at=shipped)
    dhl, ups = Parcel.objects.filter(order_id=order.pk).order_by("pk")
    today = timezone.localdate()
    _event(dhl, now - timedelta(days=1, hours=5), "in_transit",
           "Die Sendung wurde im Start-Paketzentrum bearbeitet.", "Köln", 1)
    _event(dhl, now - timedelta(hours=9), "in_transit",
           "Die Sendung wurde im Ziel-Paketzentrum bearbeitet.", "Berlin", 2)
    _event(dhl, now - timedelta(hours=3), "out_for_delivery",
           "Die Sendung wurde in das Zustellfahrzeug geladen.", "Berlin", 3)
    _event(dhl, now - timedelta(minutes=40), "out_for_delivery",
           "Sendung im Zustellbezirk sortiert.", "Berlin-Mitte", 4, relevant=False)
    Parcel.objects.filter(pk=dhl.pk).update(
        status="out_for_delivery", status_detail="Die Sendung wurde in das Zustellfahrzeug "
        "geladen.", estimated_delivery=today, estimate_confidence=0.9,
        first_scan_at=now - timedelta(days=1, hours=5), last_event_at=now - timedelta(minutes=40),
    )
    _event(ups, now - timedelta(days=1), "in_transit", "Origin Scan", "Hamburg, DE", 1)
    _event(ups, now - timedelta(hours=6), "in_transit", "Departed from Facility",
           "Hamburg, DE", 2)
    Parcel.objects.filter(pk=ups.pk).update(
        status="in_transit", status_detail="Departed from Facility",
        estimated_delivery=today + timedelta(days=2), estimate_confidence=0.6,
        first_scan_at=now - timedelta(days=1), last_event_at=now - timedelta(hours=6),
    )
    for parcel in Parcel.objects.filter(order_id=order.pk):
        store_milestones(parcel_milestone_rows(parcel, parcel.last_event_at))
    for lang, question, answer in (
        ("en", "When will my parcel arrive?", "Most parcels arrive in 1–3 working days."),
        ("de", "Wann kommt mein Paket an?", "Die meisten Pakete kommen in 1–3 Werktagen an."),
        ("en", "Can I change the delivery address?", "Contact us and we will ask the carrier."),
        ("de", "Kann ich die Lieferadresse ändern?", "Schreiben Sie uns, wir fragen beim "
         "Zusteller nach."),
    ):
        FaqEntry.objects.create(channel_slug=channel.slug, language_code=lang,
                                question=question, answer=answer)
    return order
