"""Our one-statement reads of Saleor's tables agree with Saleor itself.

The status page reads an order and its variants' availability with single SQL statements
(``hosts/saleor_reads.py``). Saleor's own GraphQL API is the reference: the same real order
read both ways must give the same lines, images, fulfillments and address.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import graphene
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from flows import fulfill
from saleor.graphql.tests.utils import get_graphql_content
from saleor.product import ProductMediaTypes
from saleor.product.models import (
    ProductChannelListing,
    ProductMedia,
    ProductVariant,
    ProductVariantChannelListing,
    VariantMedia,
)
from saleor.thumbnail.models import Thumbnail
from saleor.warehouse.models import Stock

from saleor_aftersales.hosts import get_host

ORDER_QUERY = """
query order($id: ID!) {
  order(id: $id) {
    number userEmail
    lines { id productName variantName quantity quantityFulfilled variant { id }
      thumbnail(size: 256) { url } }
    fulfillments { status trackingNumber lines { quantity orderLine { id } } }
    shippingAddress { firstName lastName postalCode city country { code } phone }
    total { gross { amount currency } }
  }
}
"""


def _pk(global_id: str) -> str:
    return graphene.Node.from_global_id(global_id)[1]


@pytest.fixture
def pictured_order(
    aftersales, order_with_lines, staff_api_client, permission_group_manage_orders, warehouse,
    media_root, image,
):
    """An order, its first line fulfilled, whose products have images as a shop would have them.

    First product: a video, then an image with Saleor's stored 256px thumbnail. Second
    product: a video, then two images; the variant bought has the second image as its own.
    """
    order = order_with_lines
    first, second = order.lines.order_by("created_at", "pk")
    ProductMedia.objects.create(
        product=first.variant.product, type=ProductMediaTypes.VIDEO, sort_order=0,
        external_url="https://www.youtube.com/watch?v=front",
    )
    front = ProductMedia.objects.create(
        product=first.variant.product, image=image, alt="front", sort_order=1
    )
    Thumbnail.objects.create(product_media=front, size=256, image="thumbnails/front_256.png")
    product = second.variant.product
    ProductMedia.objects.create(
        product=product, type=ProductMediaTypes.VIDEO, sort_order=0,
        external_url="https://www.youtube.com/watch?v=abc",
    )
    ProductMedia.objects.create(product=product, image=image, alt="side", sort_order=1)
    back = ProductMedia.objects.create(product=product, image=image, alt="back", sort_order=2)
    VariantMedia.objects.create(variant=second.variant, media=back)
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    result = fulfill(staff_api_client, order, warehouse, "00340434161094042557", lines=[first])
    assert result["errors"] == []
    return order


def test_order_read_matches_saleors_order_query(pictured_order, staff_api_client):
    order = pictured_order
    variables = {"id": graphene.Node.to_global_id("Order", order.pk)}
    saleor = get_graphql_content(staff_api_client.post_graphql(ORDER_QUERY, variables))
    saleor = saleor["data"]["order"]

    with CaptureQueriesContext(connection) as queries:
        ours = get_host().get_order(str(order.pk))
    assert len(queries) == 1

    assert ours.number == str(saleor["number"]) and ours.customer_email == saleor["userEmail"]
    assert ours.total_gross == Decimal(str(saleor["total"]["gross"]["amount"]))
    assert [
        (line.id, line.product_name, line.variant_name, line.quantity, line.quantity_fulfilled,
         line.variant_id, line.thumbnail_url)
        for line in ours.lines
    ] == [
        (_pk(line["id"]), line["productName"], line["variantName"], line["quantity"],
         line["quantityFulfilled"], _pk(line["variant"]["id"]), line["thumbnail"]["url"])
        for line in saleor["lines"]
    ]
    # the stored thumbnail for the first product; the variant's own image for the second
    assert ours.lines[0].thumbnail_url.endswith("/thumbnails/front_256.png")
    back = ProductMedia.objects.get(alt="back")
    assert graphene.Node.to_global_id("ProductMedia", back.pk) in ours.lines[1].thumbnail_url
    assert [(f.status, f.tracking_number, f.lines) for f in ours.fulfillments] == [
        (f["status"].lower(), f["trackingNumber"],
         tuple((_pk(fl["orderLine"]["id"]), fl["quantity"]) for fl in f["lines"]))
        for f in saleor["fulfillments"]
    ]
    address = saleor["shippingAddress"]
    assert ours.shipping_address.first_name == address["firstName"]
    assert ours.shipping_address.postal_code == address["postalCode"]
    assert ours.shipping_address.city == address["city"]
    assert ours.shipping_address.country == address["country"]["code"]
    assert ours.shipping_address.phone == address["phone"]
    order.refresh_from_db()
    assert ours.metadata == order.metadata and ours.channel_slug == "main"


def test_unknown_or_malformed_order_ids_read_as_none(aftersales, order_with_lines):
    host = get_host()
    assert host.get_order(str(uuid.uuid4())) is None
    assert host.get_order("not-a-uuid") is None
    assert host.get_order("") is None
    assert host.get_order(str(order_with_lines.pk)).id == str(order_with_lines.pk)


def test_variant_availability_follows_saleors_listings_and_stock(
    aftersales, order_with_lines, product_list
):
    host = get_host()
    sold_out, untracked = (line.variant for line in order_with_lines.lines.order_by("pk"))
    fine, unpublished, unlisted = (p.variants.first() for p in product_list)
    Stock.objects.filter(product_variant__in=[sold_out, untracked]).update(
        quantity=0, quantity_allocated=0
    )
    ProductVariant.objects.filter(pk=untracked.pk).update(track_inventory=False)
    ProductChannelListing.objects.filter(
        product=unpublished.product, channel__slug="main"
    ).update(is_published=False)
    ProductVariantChannelListing.objects.filter(variant=unlisted, channel__slug="main").delete()
    ids = [str(v.pk) for v in (fine, unpublished, unlisted, sold_out, untracked)] + ["999999"]

    with CaptureQueriesContext(connection) as queries:
        result = host.check_variants("main", ids)
    assert len(queries) == 1
    reasons = {variant_id: info.reason for variant_id, info in result.items()}
    assert reasons == {
        str(fine.pk): "", str(unpublished.pk): "unavailable", str(unlisted.pk): "unavailable",
        str(sold_out.pk): "out_of_stock", str(untracked.pk): "", "999999": "unavailable",
    }
    listing = fine.channel_listings.get(channel__slug="main")
    assert result[str(fine.pk)].price == listing.price_amount
    assert result[str(fine.pk)].currency == listing.currency
    free = sum(s.quantity - s.quantity_allocated for s in fine.stocks.all())
    assert result[str(fine.pk)].quantity_available == free > 0
    assert result[str(untracked.pk)].quantity_available == 999
    assert result[str(fine.pk)].name == f"{fine.product.name} ({fine.name})".replace(" ()", "")

    # not yet for sale: the same statement, run again, sees the change
    ProductChannelListing.objects.filter(product=fine.product, channel__slug="main").update(
        available_for_purchase_at=timezone.now() + timedelta(days=1)
    )
    assert host.check_variants("main", ids)[str(fine.pk)].reason == "unavailable"
    assert host.check_variants("main", []) == {}


def test_order_read_with_availability_agrees_with_check_variants(aftersales, order_with_lines):
    """The status page reads the order and its variants' availability in one statement."""
    host = get_host()
    order = order_with_lines
    sold_out, unpublished = (line.variant for line in order.lines.order_by("pk"))
    Stock.objects.filter(product_variant=sold_out).update(quantity=0, quantity_allocated=0)
    ProductChannelListing.objects.filter(
        product=unpublished.product, channel__slug="main"
    ).update(is_published=False)

    with CaptureQueriesContext(connection) as queries:
        ours = host.get_order(str(order.pk), availability=True)
    assert len(queries) == 1
    ids = [str(sold_out.pk), str(unpublished.pk)]
    assert ours.availability == host.check_variants("main", ids)
    assert {v: info.reason for v, info in ours.availability.items()} == {
        str(sold_out.pk): "out_of_stock", str(unpublished.pk): "unavailable",
    }
    assert ours.lines == host.get_order(str(order.pk)).lines
    assert host.get_order(str(order.pk)).availability is None


def test_reads_prepared_on_the_server_read_the_same(aftersales, order_with_lines, settings):
    """``AFTERSALES_SERVER_PREPARED``: the order statement, its variants' availability and
    the variant check run as statements PostgreSQL prepared, with the same results."""
    host = get_host()
    order = order_with_lines
    ids = [str(line.variant_id) for line in order.lines.all()]
    plain = host.get_order(str(order.pk), availability=True), host.check_variants("main", ids)
    settings.AFTERSALES_SERVER_PREPARED = True
    for _ in range(2):  # prepared on the first run, executed by name on the second
        prepared = host.get_order(str(order.pk), availability=True)
        assert (prepared, host.check_variants("main", ids)) == plain
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%"order_order"%'],
        )
        assert cursor.fetchone()[0] >= 1
