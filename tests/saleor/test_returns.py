"""Returns carried through a real Saleor 3.23: its return, stock, replacement and gift card."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from flows import fulfill
from saleor.giftcard.models import GiftCard
from saleor.order.models import Fulfillment, Order
from saleor.page.models import Page, PageType
from saleor.product.models import ProductVariant, ProductVariantChannelListing
from saleor.warehouse.models import Stock

from saleor_aftersales import tasks
from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel
from saleor_aftersales.returns import service


@pytest.fixture
def delivered(
    aftersales,
    set_config,
    staff_api_client,
    permission_group_manage_orders,
    order_with_lines,
    warehouse,
    django_capture_on_commit_callbacks,
):
    """A real order fulfilled through Saleor's orderFulfill, its parcel delivered yesterday."""
    set_config(returns_enabled="true", return_approval="manual")
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    order = order_with_lines
    with django_capture_on_commit_callbacks(execute=True):
        tasks.handle_order_event_task.delay(str(order.pk), "order_created")
        assert fulfill(staff_api_client, order, warehouse, "00340434161094042557")["errors"] == []
    Parcel.objects.filter(order_id=order.pk).update(
        status="delivered", delivered_at=timezone.now() - timezone.timedelta(days=1)
    )
    return order


def _return(order, line, quantity, resolution, reason="too_small", exchange=""):
    host = get_host()
    view = host.get_order(str(order.pk))
    request = service.submit(
        view,
        host.get_config(view.channel_slug),
        host,
        [service.LineRequest(str(line.pk), quantity, reason, exchange)],
        resolution=resolution,
    )
    service.approve(request.pk)
    first = service.mark_received(request.pk, host, {str(line.pk): "unworn"})
    again = service.mark_received(request.pk, host)  # sent twice: nothing happens twice
    assert again.host_return_id == first.host_return_id
    return first


def test_refund_makes_saleor_return_with_reasons_and_restocks(delivered, warehouse):
    line = delivered.lines.get(variant__sku="SKU_AA")
    stock = Stock.objects.get(warehouse=warehouse, product_variant=line.variant)
    before = stock.quantity
    request = _return(delivered, line, 2, "refund")
    assert request.state == "refunded"
    returned = Fulfillment.objects.get(pk=int(request.host_return_id))
    assert returned.order_id == delivered.pk
    assert returned.status in ("returned", "refunded_and_returned")
    assert [(fl.order_line_id, fl.quantity, fl.reason) for fl in returned.lines.all()] == [
        (line.pk, 2, "too_small — unworn")
    ]
    assert (
        Fulfillment.objects.filter(
            order=delivered, status__in=("returned", "refunded_and_returned")
        ).count()
        == 1
    )
    stock.refresh_from_db()
    assert stock.quantity == before + 2
    # no legacy payment on the fixture order: a granted refund of the items, for staff to send
    granted = delivered.granted_refunds.get()
    assert granted.amount_value == line.unit_price_gross_amount * 2
    # the shop now counts them: only 1 of 3 is left to return
    host = get_host()
    items = {
        i.line.id: i
        for i in service.returnable_items(
            host.get_order(str(delivered.pk)),
            service.rules_for(host.get_config(delivered.channel.slug)),
            host,
            now=timezone.now(),
        )
    }
    assert items[str(line.pk)].max_quantity == 1


def test_exchange_creates_the_replacement_with_the_chosen_variant(
    delivered, warehouse, channel_USD
):
    line = delivered.lines.get(variant__sku="SKU_AA")
    other = ProductVariant.objects.create(product=line.variant.product, sku="SKU_AA_L", name="L")
    ProductVariantChannelListing.objects.create(
        variant=other,
        channel=channel_USD,
        price_amount=Decimal(10),
        discounted_price_amount=Decimal(10),
        currency=channel_USD.currency_code,
    )
    Stock.objects.create(warehouse=warehouse, product_variant=other, quantity=4)
    stock = Stock.objects.get(warehouse=warehouse, product_variant=line.variant)
    before = stock.quantity
    request = _return(delivered, line, 1, "exchange", exchange=str(other.pk))
    assert request.state == "exchanged"
    stock.refresh_from_db()
    assert stock.quantity == before + 1  # the exchanged item is back on the shelf
    replacement = Order.objects.get(pk=request.host_replacement_id)
    assert replacement.original_id == delivered.pk and replacement.status == "draft"
    assert [(li.variant_id, li.quantity) for li in replacement.lines.all()] == [(other.pk, 1)]
    assert Fulfillment.objects.filter(order=delivered, status="replaced").count() == 1


def test_store_credit_issues_one_gift_card(delivered):
    line = delivered.lines.get(variant__sku="SKU_B")
    request = _return(delivered, line, 1, "store_credit")
    card = GiftCard.objects.get(code=request.gift_card_code)
    assert card.initial_balance_amount == line.unit_price_gross_amount
    assert card.created_by_email == delivered.user_email
    assert GiftCard.objects.filter(private_metadata__aftersales_key__isnull=False).count() == 1


def test_reason_pages_of_the_shop_are_the_reasons(delivered, site_settings):
    kind = PageType.objects.create(name="Return reasons", slug="return-reasons")
    page = Page.objects.create(title="Defect", slug="defect", page_type=kind, is_published=True)
    site_settings.return_reason_reference_type = kind
    site_settings.save()
    assert get_host().return_reasons(delivered.channel.slug, "en") == [(str(page.pk), "Defect")]
    line = delivered.lines.get(variant__sku="SKU_B")
    request = _return(delivered, line, 1, "refund", reason=str(page.pk))
    returned = Fulfillment.objects.get(pk=int(request.host_return_id))
    assert [fl.reason_reference_id for fl in returned.lines.all()] == [page.pk]


GRAPHQL = "/plugins/channel/main/io.github.saleor-aftersales/graphql/"
REQUEST = """
mutation($t: String!, $u: String, $input: AftersalesReturnInput!) {
  requestReturn(token: $t, unlockToken: $u, input: $input) {
    returnRequest { id state } errors { code message }
  }
}
"""
STAFF = """
mutation($id: ID!) {
  a: aftersalesReturnApprove(id: $id) { returnRequest { state } errors { code } }
  r: aftersalesReturnMarkReceived(id: $id) { returnRequest { state } errors { code } }
}
"""


def _post(client, query, variables, token=None):
    import json

    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.post(
        GRAPHQL,
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        **headers,
    )
    return response.json()["data"]


def test_the_shopper_and_staff_apis_return_a_real_order(
    delivered, client, staff_api_client, django_capture_on_commit_callbacks
):
    from saleor.core.jwt import create_access_token
    from saleor.order import OrderEvents

    from saleor_aftersales.core.links import make_token
    from saleor_aftersales.status import access

    line = delivered.lines.get(variant__sku="SKU_B")
    order_id = str(delivered.pk)
    data = _post(
        client,
        REQUEST,
        {
            "t": make_token(order_id, delivered.channel.slug),
            "u": access.make_unlock_token(order_id),
            "input": {
                "resolution": "refund",
                "lines": [{"lineId": str(line.pk), "quantity": 5, "reason": "damaged"}],
            },
        },
    )["requestReturn"]
    assert data["errors"][0]["code"] == "QUANTITY_EXCEEDED"  # 2 were delivered
    data = _post(
        client,
        REQUEST,
        {
            "t": make_token(order_id, delivered.channel.slug),
            "u": access.make_unlock_token(order_id),
            "input": {
                "resolution": "refund",
                "lines": [{"lineId": str(line.pk), "quantity": 2, "reason": "damaged"}],
            },
        },
    )["requestReturn"]
    assert data["errors"] == [] and data["returnRequest"]["state"] == "REQUESTED"
    staff = create_access_token(staff_api_client.user)  # MANAGE_ORDERS (fixture `delivered`)
    with django_capture_on_commit_callbacks(execute=True):  # Saleor's order events
        result = _post(client, STAFF, {"id": data["returnRequest"]["id"]}, token=staff)
    assert result["r"] == {"returnRequest": {"state": "REFUNDED"}, "errors": []}
    delivered.refresh_from_db()
    assert (
        delivered.fulfillments.filter(status__in=("returned", "refunded_and_returned")).count() == 1
    )
    assert delivered.events.filter(type=OrderEvents.FULFILLMENT_RETURNED).exists()


def test_refund_goes_through_saleors_payment_gateway(delivered, payment_txn_captured, settings):
    from saleor.payment import TransactionKind

    settings.PLUGINS = [
        "saleor.payment.gateways.dummy.plugin.DeprecatedDummyGatewayPlugin",
        *settings.PLUGINS,
    ]
    payment = payment_txn_captured
    captured = payment.captured_amount
    line = delivered.lines.get(variant__sku="SKU_B")
    request = _return(delivered, line, 1, "refund")
    assert request.state == "refunded" and request.host_refund_id == f"payment-{payment.pk}"
    payment.refresh_from_db()
    assert payment.captured_amount == captured - line.unit_price_gross_amount
    assert payment.transactions.filter(kind=TransactionKind.REFUND, is_success=True).count() == 1
    returned = Fulfillment.objects.get(pk=int(request.host_return_id))
    assert returned.status == "refunded_and_returned"
    assert returned.total_refund_amount == line.unit_price_gross_amount
