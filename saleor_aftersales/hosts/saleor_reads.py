"""Reads over Saleor 3.23's tables, one SQL statement each, returning our host views.

A status page reads an order with its lines, product images and fulfillments, then the
availability of the ordered variants. Loaded as Django model instances with prefetches that
is ten statements and the instantiation of wide Saleor rows; here each read is a single
statement whose nested rows PostgreSQL returns as JSON arrays (``ArraySubquery`` of
``JSONObject``), so it costs one round trip and no model instances. Everything is still
expressed through Saleor's models (no table or column names), so a renamed field fails
loudly in the Saleor suite instead of silently.

Both statements are :class:`~saleor_aftersales.core.prepared.Prepared`: built and compiled once
per process, which saves the ORM more time than PostgreSQL spends running them.

Contract: :func:`order_view` (also with its variants' rows, for the status page) and
:func:`variant_rows` run exactly one query, whatever the number of lines, fulfillments,
images or variants.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

import graphene
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, JSONObject
from saleor.order.models import Fulfillment, FulfillmentLine, Order, OrderLine
from saleor.product import ProductMediaTypes
from saleor.product.models import (
    ProductChannelListing,
    ProductMedia,
    ProductVariant,
    ProductVariantChannelListing,
)
from saleor.thumbnail.models import Thumbnail
from saleor.warehouse.models import Stock

from ..core.prepared import Prepared, padded
from .base import AddressView, FulfillmentView, LineView, OrderView

THUMBNAIL_SIZE = 256
ADDRESS_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "company_name",
    "street_address_1",
    "street_address_2",
    "postal_code",
    "city",
    "country",
    "phone",
)
ORDER_FIELDS = (
    "id",
    "number",
    "created_at",
    "status",
    "charge_status",
    "language_code",
    "currency",
    "total_gross_amount",
    "subtotal_gross_amount",
    "shipping_price_gross_amount",
    "user_email",
    "user_id",
    "shipping_method_name",
    "metadata",
    "private_metadata",
    "checkout_token",
    "channel__slug",
    *(f"{a}__{f}" for a in ("shipping_address", "billing_address") for f in ADDRESS_FIELDS),
)


def _text(field: str) -> Cast:
    """A decimal column as text inside JSON (JSON numbers would come back as floats)."""
    return Cast(field, CharField())


def _media_json(media: QuerySet) -> Subquery:
    thumbnail = (
        Thumbnail.objects.filter(product_media_id=OuterRef("pk"), size=THUMBNAIL_SIZE)
        .filter(Q(format__isnull=True) | Q(format=""))
        .order_by("pk")
        .values("image")[:1]
    )
    return Subquery(
        media.values(
            json=JSONObject(
                id="id", image="image", external_url="external_url", thumbnail=thumbnail
            )
        )[:1]
    )


def first_image(product_ref: Any, variant_ref: Any = None) -> Subquery | Coalesce:
    """The image Saleor shows for a variant or product, with its stored thumbnail, as JSON.

    As Saleor's ``OrderLine.thumbnail``: the variant's first image, else the product's first
    image (``sort_order``, pk); videos are never thumbnails.
    """
    images = ProductMedia.objects.filter(type=ProductMediaTypes.IMAGE)
    of_product = _media_json(images.filter(product_id=product_ref).order_by("sort_order", "pk"))
    if variant_ref is None:
        return of_product
    of_variant = _media_json(
        images.filter(variant_media__variant_id=variant_ref).order_by("variant_media__id")
    )
    return Coalesce(of_variant, of_product)


def thumbnail_url(media: dict | None) -> str:
    """Saleor's URL for a :func:`first_image` row: the stored thumbnail, else its proxy."""
    if not media:
        return ""
    if not media.get("image"):
        return media.get("external_url") or ""
    from saleor.core.utils import build_absolute_uri
    from saleor.thumbnail.utils import prepare_image_proxy_url

    if media.get("thumbnail"):
        url = Thumbnail._meta.get_field("image").storage.url(media["thumbnail"])
    else:
        url = prepare_image_proxy_url(str(media["id"]), "ProductMedia", THUMBNAIL_SIZE, None)
    return build_absolute_uri(url)


def _order_query(order_id: uuid.UUID) -> QuerySet:
    lines = (
        OrderLine.objects.filter(order_id=OuterRef("pk"))
        .order_by("created_at", "pk")
        .values(
            json=JSONObject(
                id="id",
                product_name="product_name",
                variant_name="variant_name",
                sku="product_sku",
                variant_id="variant_id",
                product_id="variant__product_id",
                product_slug="variant__product__slug",
                quantity="quantity",
                quantity_fulfilled="quantity_fulfilled",
                unit_price=_text("unit_price_gross_amount"),
                currency="currency",
                media=first_image(OuterRef("variant__product_id"), OuterRef("variant_id")),
            )
        )
    )
    fulfillment_lines = (
        FulfillmentLine.objects.filter(fulfillment_id=OuterRef("pk"))
        .order_by("pk")
        .values(json=JSONObject(line="order_line_id", quantity="quantity"))
    )
    fulfillments = (
        Fulfillment.objects.filter(order_id=OuterRef("pk"))
        .order_by("fulfillment_order", "pk")
        .values(
            json=JSONObject(
                id="id",
                status="status",
                tracking_number="tracking_number",
                created_at="created_at",
                lines=ArraySubquery(fulfillment_lines),
            )
        )
    )
    return Order.objects.filter(pk=order_id).values(
        *ORDER_FIELDS,
        line_rows=ArraySubquery(lines),
        fulfillment_rows=ArraySubquery(fulfillments),
    )


_ORDER = Prepared(
    _order_query,
    uuid.UUID("5e1f0000-a5a5-4a5a-8a5a-00000000a5a5"),
    json=("metadata", "private_metadata", "line_rows", "fulfillment_rows"),
)
_ORDER_WITH_VARIANTS = Prepared(
    lambda order_id: _order_query(order_id).annotate(variant_rows=_order_variants()),
    uuid.UUID("5e1f0000-a5a5-4a5a-8a5a-00000000a5a5"),
    json=("metadata", "private_metadata", "line_rows", "fulfillment_rows", "variant_rows"),
)


def order_view(order_id: str, with_variants: bool = False) -> tuple[OrderView, list] | None:
    """The order (UUID string) as an :class:`OrderView` and, ``with_variants``, the
    :func:`variant_rows` of its lines' variants in its channel (else ``[]``); ``None`` when
    unknown: 1 query. Raises :class:`ValueError` for a string that is no UUID.
    """
    statement = _ORDER_WITH_VARIANTS if with_variants else _ORDER
    rows = statement.rows(uuid.UUID(str(order_id)))
    return (_view(rows[0]), rows[0].get("variant_rows") or []) if rows else None


def _address(row: dict, prefix: str) -> AddressView | None:
    if row[f"{prefix}__id"] is None:
        return None
    country = row[f"{prefix}__country"]
    return AddressView(
        first_name=row[f"{prefix}__first_name"],
        last_name=row[f"{prefix}__last_name"],
        company_name=row[f"{prefix}__company_name"],
        street_address_1=row[f"{prefix}__street_address_1"],
        street_address_2=row[f"{prefix}__street_address_2"],
        postal_code=row[f"{prefix}__postal_code"],
        city=row[f"{prefix}__city"],
        country=str(getattr(country, "code", country) or ""),
        phone=str(row[f"{prefix}__phone"] or ""),
    )


def _view(row: dict) -> OrderView:
    lines = tuple(
        LineView(
            id=str(line["id"]),
            product_name=line["product_name"],
            variant_name=line["variant_name"],
            sku=line["sku"] or "",
            variant_id=str(line["variant_id"]) if line["variant_id"] else None,
            product_id=str(line["product_id"]) if line["product_id"] else None,
            product_slug=line["product_slug"] or "",
            quantity=line["quantity"],
            quantity_fulfilled=line["quantity_fulfilled"],
            unit_price=Decimal(line["unit_price"]),
            currency=line["currency"],
            thumbnail_url=thumbnail_url(line["media"]),
        )
        for line in row["line_rows"] or ()
    )
    fulfillments = tuple(
        FulfillmentView(
            id=str(f["id"]),
            status=f["status"],
            tracking_number=f["tracking_number"],
            created_at=datetime.fromisoformat(f["created_at"]),
            lines=tuple((str(fl["line"]), fl["quantity"]) for fl in f["lines"] or ()),
        )
        for f in row["fulfillment_rows"] or ()
    )
    return OrderView(
        id=str(row["id"]),
        number=str(row["number"]),
        channel_slug=row["channel__slug"],
        created_at=row["created_at"],
        status=row["status"],
        charge_status=row["charge_status"],
        language_code=(row["language_code"] or "en").split("-")[0].lower(),
        currency=row["currency"],
        total_gross=row["total_gross_amount"],
        subtotal_gross=row["subtotal_gross_amount"],
        shipping_gross=row["shipping_price_gross_amount"],
        customer_email=row["user_email"] or "",
        user_id=str(row["user_id"]) if row["user_id"] else None,
        shipping_address=_address(row, "shipping_address"),
        billing_address=_address(row, "billing_address"),
        shipping_method_name=row["shipping_method_name"] or "",
        lines=lines,
        fulfillments=fulfillments,
        metadata=dict(row["metadata"] or {}),
        private_metadata=dict(row["private_metadata"] or {}),
        # CheckoutRef.id of hosts/saleor_checkout.py: Saleor's global id of the checkout
        checkout_id=(
            graphene.Node.to_global_id("Checkout", row["checkout_token"])
            if row["checkout_token"]
            else ""
        ),
    )


def _variant_query(channel_slug: str, *ids: int) -> QuerySet:
    channel = {"channel__slug": channel_slug}
    return ProductVariant.objects.filter(pk__in=ids).values(
        *VARIANT_FIELDS, **_variant_columns(channel, {"warehouse__channels__slug": channel_slug})
    )


VARIANT_FIELDS = ("id", "name", "track_inventory", "product__name")


def _variant_columns(channel: dict[str, Any], stock_channel: dict[str, Any]) -> dict[str, Any]:
    """A variant's listings and free stock in one channel (``channel`` filters the listings,
    ``stock_channel`` the stock rows), as the columns of :func:`variant_rows`."""
    variant_listing = (
        ProductVariantChannelListing.objects.filter(variant_id=OuterRef("pk"), **channel)
        .order_by("pk")
        .values(json=JSONObject(price=_text("price_amount"), currency="currency"))[:1]
    )
    product_listing = (
        ProductChannelListing.objects.filter(product_id=OuterRef("product_id"), **channel)
        .order_by("pk")
        .values(
            json=JSONObject(
                is_published="is_published",
                published_at="published_at",
                available_at="available_for_purchase_at",
            )
        )[:1]
    )
    free = (
        Stock.objects.filter(product_variant_id=OuterRef("pk"), **stock_channel)
        .values("product_variant_id")
        .annotate(free=Sum("quantity") - Sum("quantity_allocated"))
        .values("free")
    )
    return {
        "variant_listing": Subquery(variant_listing),
        "product_listing": Subquery(product_listing),
        "free": Subquery(free),
    }


def _order_variants() -> ArraySubquery:
    """The :func:`variant_rows` of an order's variants in the order's channel, as JSON."""
    channel = OuterRef(OuterRef("channel_id"))
    variants = ProductVariant.objects.filter(
        pk__in=OrderLine.objects.filter(order_id=OuterRef(OuterRef("pk"))).values("variant_id")
    ).order_by("pk")
    columns = _variant_columns({"channel_id": channel}, {"warehouse__channels": channel})
    return ArraySubquery(
        variants.values(json=JSONObject(**{f: f for f in VARIANT_FIELDS}, **columns))
    )


_NO_VARIANT = -1  # pads id lists (see prepared.padded); no variant has it


@cache
def _variant_statement(size: int) -> Prepared:
    return Prepared(
        _variant_query,
        "aftersales-sentinel-channel",
        *(-(10**12) - i for i in range(size)),
        json=("variant_listing", "product_listing"),
    )


def variant_rows(channel_slug: str, ids: list[int]) -> list[dict]:
    """The variants with their channel listings and free stock in the channel: 1 query.

    Each row: ``id``, ``name``, ``track_inventory``, ``product__name``, ``variant_listing``
    (``price``, ``currency``) and ``product_listing`` (``is_published``, ``published_at``,
    ``available_at``) as dicts or ``None``, and ``free`` (``None`` without stock rows).
    """
    if not ids:
        return []
    values = padded(sorted(set(ids)), _NO_VARIANT)
    return _variant_statement(len(values)).rows(channel_slug, *values)


def parse_time(value: str | None) -> datetime | None:
    """A timestamp from a JSON row (ISO 8601 with offset), ``None`` stays ``None``."""
    return datetime.fromisoformat(value) if value else None
