"""Factories for sandbox shops and orders: ``make_order(lines=3, parcels=2)``."""

from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone

from sandbox import models as m

PRODUCT_NAMES = [
    "Merino Wool Sweater",
    "Organic Cotton T-Shirt",
    "Leather Belt",
    "Running Socks (3-pack)",
    "Rain Jacket",
    "Canvas Tote Bag",
    "Wool Beanie",
    "Linen Shirt",
]

DEFAULT_ADDRESS = {
    "first_name": "Erika",
    "last_name": "Mustermann",
    "street_address_1": "Heidestraße 17",
    "postal_code": "51147",
    "city": "Köln",
    "country": "DE",
    "phone": "+49 221 1234567",
}

_slug_counter = itertools.count(1)


def make_channel(
    slug: str = "default-channel",
    *,
    active: bool = True,
    currency: str = "EUR",
    **configuration: Any,
) -> m.Channel:
    """Get or create a channel; keyword arguments become plugin configuration values."""
    channel, created = m.Channel.objects.get_or_create(
        slug=slug,
        defaults={
            "name": slug.replace("-", " ").title(),
            "currency": currency,
            "plugin_active": active,
            "configuration": configuration,
        },
    )
    if not created and (configuration or channel.plugin_active != active):
        channel.configuration = {**channel.configuration, **configuration}
        channel.plugin_active = active
        channel.save()
    return channel


def make_product(
    name: str | None = None,
    *,
    price: Decimal | str = "29.90",
    stock: int = 50,
    published: bool = True,
    available: bool = True,
    thumbnail_url: str = "",
) -> m.Variant:
    """Create a product with one variant and return the variant."""
    n = next(_slug_counter)
    name = name or PRODUCT_NAMES[(n - 1) % len(PRODUCT_NAMES)]
    slug = f"{name.lower().replace(' ', '-')}-{n}"[:50]
    product = m.Product.objects.create(
        name=name, slug=slug, is_published=published, thumbnail_url=thumbnail_url
    )
    return m.Variant.objects.create(
        product=product,
        name="M",
        sku=f"SKU-{n:05d}",
        price=Decimal(price),
        stock=stock,
        is_available=available,
    )


def make_order(
    lines: int = 2,
    parcels: int = 0,
    *,
    channel: m.Channel | None = None,
    variants: list[m.Variant] | None = None,
    tracking_numbers: list[str] | None = None,
    language_code: str = "en",
    email: str = "erika@example.com",
    address: dict | None = None,
    shipping_method_name: str = "Standard",
    created_at: datetime | None = None,
    metadata: dict | None = None,
    status: str | None = None,
    charge_status: str = "full",
) -> m.Order:
    """Create an order with ``lines`` lines, the first ``parcels`` of them each in a parcel.

    Lines are spread over parcels round-robin; with ``parcels < lines`` the remaining
    lines stay unshipped (a split shipment in progress).
    """
    channel = channel or make_channel()
    variants = list(variants or [])
    while len(variants) < lines:
        variants.append(make_product())
    number = (m.Order.objects.aggregate(n=Max("number"))["n"] or 1000) + 1
    order = m.Order.objects.create(
        number=number,
        channel=channel,
        created_at=created_at or timezone.now(),
        status=status or "unfulfilled",
        charge_status=charge_status,
        language_code=language_code,
        user_email=email,
        shipping_address=DEFAULT_ADDRESS if address is None else address,
        shipping_method_name=shipping_method_name,
        metadata=metadata or {},
    )
    order_lines = [
        m.OrderLine.objects.create(
            order=order,
            variant=variant,
            product_name=variant.product.name,
            variant_name=variant.name,
            product_sku=variant.sku,
            quantity=1 + i % 2,
            unit_price=variant.price,
        )
        for i, variant in enumerate(variants[:lines])
    ]
    numbers = list(tracking_numbers or [])
    for p in range(parcels):
        shipped = order_lines[p::parcels] if parcels <= lines else order_lines[p : p + 1]
        add_fulfillment(order, shipped, numbers[p] if p < len(numbers) else "")
    if status is None and parcels:
        refresh_status(order)
    return order


def add_fulfillment(
    order: m.Order,
    lines: list[m.OrderLine],
    tracking_number: str = "",
    *,
    created_at: datetime | None = None,
) -> m.Fulfillment:
    """Ship ``lines`` (their full quantity) in a new fulfillment (created ``created_at``)."""
    fulfillment = m.Fulfillment.objects.create(
        order=order, tracking_number=tracking_number, created_at=created_at or timezone.now()
    )
    for line in lines:
        m.FulfillmentLine.objects.create(
            fulfillment=fulfillment, order_line=line, quantity=line.quantity
        )
        line.quantity_fulfilled = line.quantity
        line.save(update_fields=["quantity_fulfilled"])
    refresh_status(order)
    return fulfillment


def refresh_status(order: m.Order) -> None:
    """Set the order status from its lines, as Saleor does."""
    lines = list(order.lines.all())
    if all(li.quantity_fulfilled >= li.quantity for li in lines):
        order.status = "fulfilled"
    elif any(li.quantity_fulfilled for li in lines):
        order.status = "partially_fulfilled"
    else:
        order.status = "unfulfilled"
    order.save(update_fields=["status"])


def make_api_token(
    kind: str = "staff",
    permissions: tuple[str, ...] = ("MANAGE_ORDERS",),
    *,
    channels: list[str] | None = None,
    email: str = "",
    token: str | None = None,
) -> str:
    """Create a sandbox bearer token (staff/app/customer) and return it."""
    import secrets

    value = token or f"{kind}-{secrets.token_hex(12)}"
    m.ApiToken.objects.create(
        token=value, kind=kind, permissions=list(permissions), channels=channels, email=email
    )
    return value
