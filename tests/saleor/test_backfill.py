"""Operations in a real Saleor 3.23: the backfill of orders placed before the install, and
buy again counted when its checkout becomes an order through Saleor's ``checkoutComplete``."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from flows import complete_checkout, form_token, fulfill, pay_checkout, status_path
from saleor.checkout.models import Checkout
from saleor.order import OrderStatus
from saleor.order.models import Order

from saleor_aftersales import tasks
from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import EngagementEvent, NotificationLog, Parcel, TrackedOrder
from saleor_aftersales.orchestration.analytics import channel_kpis

TRACKING = "00340434161094042557"


def backfill(*args: str) -> str:
    out = io.StringIO()
    call_command("aftersales_backfill", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def shipped_before_install(
    order_with_lines, staff_api_client, permission_group_manage_orders, warehouse
):
    """Saleor's order, fulfilled through ``orderFulfill`` while the plugin was not there."""
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    order_with_lines.lines.update(quantity_fulfilled=0)
    from saleor.warehouse.models import Stock

    Stock.objects.filter(product_variant__order_lines__order=order_with_lines).update(quantity=50)
    result = fulfill(staff_api_client, order_with_lines, warehouse, TRACKING)
    assert result["errors"] == []
    placed_at = timezone.now() - timedelta(days=20)
    Order.objects.filter(pk=order_with_lines.pk).update(created_at=placed_at)
    return order_with_lines


def test_orders_from_before_the_install_are_tracked_silently(
    shipped_before_install, order_list, request
):
    Order.objects.filter(pk=order_list[0].pk).update(status=OrderStatus.DRAFT)
    assert not TrackedOrder.objects.exists()
    request.getfixturevalue("set_config")(
        emails_enabled="true", confirmation_mode="replace", metadata_summary_enabled="true"
    )
    since = (timezone.now() - timedelta(days=30)).date().isoformat()

    out = backfill("--since", since, "--channel", "main")

    order = shipped_before_install
    assert "3 orders since" in out and "3 now tracked" in out, out  # the draft is left out
    assert not TrackedOrder.objects.filter(order_id=order_list[0].pk).exists()
    parcel = Parcel.objects.get(order_id=order.pk)
    fulfillment = order.fulfillments.get()
    assert (parcel.fulfillment_id, parcel.tracking_number) == (str(fulfillment.pk), TRACKING)
    assert parcel.carrier == "dhl" and parcel.next_check_at is not None
    assert parcel.shipped_at == fulfillment.created_at
    order.refresh_from_db()
    assert order.metadata["aftersales.status_url"]  # the storefront's link, as after a hook
    assert not NotificationLog.objects.exclude(state="skipped").exists()

    assert "3 already tracked" in backfill("--since", since)
    assert Parcel.objects.count() == 1


def test_the_host_pages_saleors_orders_oldest_first(order_list, channel_USD):
    host = get_host()
    since = timezone.now() - timedelta(days=1)
    pages, after = [], None
    while rows := host.order_ids_since(since, "main", after=after, limit=2):
        pages.append([order_id for _, order_id in rows])
        after = rows[-1]
    expected = [str(o.pk) for o in sorted(order_list, key=lambda o: (o.created_at, str(o.pk)))]
    assert [len(p) for p in pages] == [2, 1]
    assert [order_id for page in pages for order_id in page] == expected
    assert host.order_ids_since(since, "other-channel") == []
    assert host.order_ids_since(timezone.now() + timedelta(days=1)) == []


def test_an_order_from_a_buy_again_checkout_counts_in_the_kpis(
    aftersales,
    order_with_lines,
    client,
    address,
    checkout_delivery,
    user_api_client,
    transaction_item_generator,
    django_capture_on_commit_callbacks,
):
    from saleor.warehouse.models import Stock

    first = order_with_lines
    Stock.objects.update(quantity=50, quantity_allocated=0)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.handle_order_event_task.delay(str(first.pk), "order_created")
    url = status_path(first)
    page = client.get(url).content.decode()
    client.post(f"{url}/buy-again", {"csrf_token": form_token(page, "/buy-again"), "lang": "en"})
    checkout = Checkout.objects.get()
    checkout.shipping_address = address
    checkout.billing_address = address
    checkout.assigned_delivery = checkout_delivery(checkout)
    checkout.save()
    pay_checkout(checkout, transaction_item_generator)

    with django_capture_on_commit_callbacks(execute=True):
        assert complete_checkout(user_api_client, checkout)["errors"] == []

    again = Order.objects.exclude(pk=first.pk).get()
    assert get_host().get_order(str(again.pk)).checkout_id == (
        EngagementEvent.objects.get(kind="buy_again").target
    )
    event = EngagementEvent.objects.get(kind="buy_again_checkout")
    assert (str(event.order_id), event.target) == (str(first.pk), str(again.pk))
    kpis = channel_kpis("main")
    assert (kpis.buy_again_checkouts, kpis.buy_again_orders) == (1, 1)
