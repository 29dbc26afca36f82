"""Buy again in Saleor 3.23: a checkout made by the rules of Saleor's ``checkoutCreateFromOrder``.

Saleor's own code decides, not a copy of it:

- ``CheckoutCreateFromOrder.clean_order_lines`` leaves out what Saleor's mutation leaves out:
  variants gone, not in the channel, unpublished or not for sale, lines over the variant's
  ``quantity_limit_per_customer`` or the site's ``limit_quantity_per_checkout``, and lines
  short of stock (counting other checkouts' reservations when reservations are on, and the
  site's legacy shipping-zone stock rule);
- ``add_variants_to_checkout`` reserves stock for the site's reservation length
  (``get_reservation_length``; the shopper is anonymous here) and counts stock the way the
  site is set to (``use_legacy_shipping_zone_stock_availability``);
- ``apply_gift_reward_if_applicable_on_checkout_creation`` adds a gift promotion's reward.

The order lines Saleor's rules take are stand-ins (unsaved ``OrderLine`` objects) for the
lines buy again asks for, in an unsaved ``Order`` of the channel: stock is counted for the
channel's default country, the country the new checkout starts with.
"""

from __future__ import annotations

import graphene
from django.conf import settings
from django.contrib.sites.models import Site
from django.db import transaction
from django.utils import timezone
from saleor.channel.models import Channel
from saleor.core.db.connection import allow_writer
from saleor.order.models import Order, OrderLine
from saleor.product.models import ProductVariant

from ..core.exceptions import HostError
from .base import CheckoutRef


def create_checkout(
    channel_slug: str, lines: list[tuple[str, int]], email: str = ""
) -> CheckoutRef:
    """A new checkout with those of ``lines`` Saleor's ``checkoutCreateFromOrder`` would add.

    ``CheckoutRef.lines`` are the (variant id, quantity) lines put in. Raises ``HostError``
    when the channel is unknown or none of the lines may be added (no checkout is left).
    """
    from saleor.checkout.models import Checkout, CheckoutMetadata
    from saleor.checkout.utils import add_variants_to_checkout
    from saleor.graphql.checkout.mutations.checkout_create_from_order import (
        CheckoutCreateFromOrder,
    )
    from saleor.graphql.checkout.mutations.utils import (
        CheckoutLineData,
        apply_gift_reward_if_applicable_on_checkout_creation,
    )
    from saleor.warehouse.reservations import get_reservation_length

    if not lines:
        raise HostError("a checkout needs at least one line")
    with allow_writer(), transaction.atomic():
        channel = Channel.objects.filter(slug=channel_slug).first()
        if channel is None:
            raise HostError(f"unknown channel {channel_slug!r}")
        # fresh from the database, as Saleor's mutation loads it (not the process's cache)
        site = Site.objects.select_related("settings").get(pk=settings.SITE_ID)
        variants = ProductVariant.objects.in_bulk(
            [int(v) for v, _ in lines if str(v).isdigit()]
        )
        order = Order(channel=channel, currency=channel.currency_code)
        wanted = [
            OrderLine(
                order=order,
                variant=variants[int(v)],
                quantity=quantity,
                product_variant_id=graphene.Node.to_global_id("ProductVariant", int(v)),
            )
            for v, quantity in lines
            if str(v).isdigit() and int(v) in variants
        ]
        kept_variants, kept_lines, _ = CheckoutCreateFromOrder.clean_order_lines(
            order, wanted, site
        )
        data = [
            CheckoutLineData(variant_id=str(line.variant_id), quantity=line.quantity)
            for line in kept_lines
        ]
        if not data:
            raise HostError("none of the items may be bought again under the shop's rules")
        checkout = Checkout.objects.create(
            channel=channel,
            currency=channel.currency_code,
            email=email or None,
            price_expiration=timezone.now() + settings.CHECKOUT_PRICES_TTL,
        )
        checkout.set_country(channel.default_country.code, commit=True)
        CheckoutMetadata.objects.create(checkout=checkout)
        add_variants_to_checkout(
            checkout,
            list(kept_variants),
            data,
            channel,
            reservation_length=get_reservation_length(site=site, user=None),
            calculate_stocks_with_shipping_zones=(
                site.settings.use_legacy_shipping_zone_stock_availability
            ),
        )
        apply_gift_reward_if_applicable_on_checkout_creation(checkout)
    return CheckoutRef(
        id=graphene.Node.to_global_id("Checkout", checkout.pk),
        token=str(checkout.token),
        lines=tuple((d.variant_id, d.quantity) for d in data),
    )
