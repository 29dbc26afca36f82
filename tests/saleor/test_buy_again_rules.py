"""Buy again follows Saleor 3.23's own ``checkoutCreateFromOrder`` rules.

Each test runs Saleor's mutation and our buy again on the same order with the same site
settings, and compares the checkouts they make: lines over the site's limit per checkout,
stock reservations for the site's reservation length, and a gift promotion's reward.
"""

from __future__ import annotations

from datetime import timedelta

import graphene
import pytest
from django.utils import timezone
from saleor.checkout.models import Checkout
from saleor.graphql.tests.utils import get_graphql_content
from saleor.warehouse.models import Reservation, Stock

from saleor_aftersales.engagement import buy_again
from saleor_aftersales.hosts import get_host

CREATE_FROM_ORDER = """
mutation fromOrder($id: ID!) {
  checkoutCreateFromOrder(id: $id) {
    checkout { id }
    unavailableVariants { code variantId }
    errors { code message }
  }
}
"""


@pytest.fixture
def order(aftersales, order_with_lines, user_api_client):
    """Saleor's order (quantities 3 and 2), placed by the API client's user, stock plenty."""
    order_with_lines.user = user_api_client.user
    order_with_lines.save(update_fields=["user"])
    Stock.objects.update(quantity=50, quantity_allocated=0)
    return order_with_lines


def _lines(checkout: Checkout) -> set[tuple[int, int, bool]]:
    return {(line.variant_id, line.quantity, line.is_gift) for line in checkout.lines.all()}


def saleors_checkout(user_api_client, order) -> Checkout:
    """The checkout Saleor's own ``checkoutCreateFromOrder`` makes of ``order``."""
    variables = {"id": graphene.Node.to_global_id("Order", order.pk)}
    data = get_graphql_content(user_api_client.post_graphql(CREATE_FROM_ORDER, variables))
    result = data["data"]["checkoutCreateFromOrder"]
    assert result["errors"] == []
    _, pk = graphene.Node.from_global_id(result["checkout"]["id"])
    return Checkout.objects.get(pk=pk)


def our_checkout(order) -> Checkout:
    """The checkout our buy again makes of ``order`` (status page and GraphQL alike)."""
    host = get_host()
    view = host.get_order(str(order.pk))
    result = buy_again.start_checkout(view, host.get_config(view.channel_slug), host)
    _, pk = graphene.Node.from_global_id(result.checkout.id)
    return Checkout.objects.get(pk=pk)


def test_a_line_over_the_sites_limit_per_checkout_is_left_out_as_saleor_does(
    order, user_api_client, site_settings
):
    site_settings.limit_quantity_per_checkout = 2
    site_settings.save(update_fields=["limit_quantity_per_checkout"])
    small = order.lines.get(quantity=2)

    saleors = _lines(saleors_checkout(user_api_client, order))
    ours = _lines(our_checkout(order))

    assert saleors == {(small.variant_id, 2, False)}
    assert ours == saleors


def test_stock_is_reserved_for_the_sites_reservation_length_as_saleor_does(
    order, user_api_client, site_settings
):
    site_settings.reserve_stock_duration_anonymous_user = 7
    site_settings.reserve_stock_duration_authenticated_user = 7
    site_settings.save()

    saleors = saleors_checkout(user_api_client, order)
    ours = our_checkout(order)

    def reserved(checkout):
        rows = Reservation.objects.filter(checkout_line__checkout=checkout)
        return {(r.checkout_line.variant_id, r.quantity_reserved) for r in rows}, rows

    saleors_reserved, _ = reserved(saleors)
    ours_reserved, rows = reserved(ours)
    assert saleors_reserved == {(line.variant_id, line.quantity) for line in order.lines.all()}
    assert ours_reserved == saleors_reserved
    soon = timezone.now() + timedelta(minutes=7)
    assert all(abs(r.reserved_until - soon) < timedelta(minutes=1) for r in rows)


def test_a_gift_promotion_adds_its_gift_as_saleor_does(
    order, user_api_client, gift_promotion_rule
):
    saleors = _lines(saleors_checkout(user_api_client, order))
    ours = _lines(our_checkout(order))

    gifts = {line for line in saleors if line[2]}
    assert len(gifts) == 1  # Saleor's mutation applied the reward
    assert ours == saleors
