"""Saleor's order metadata is left alone unless the shop owner switches the summary on."""

from __future__ import annotations

from flows import complete_checkout, pay_checkout
from saleor.order.models import Order

from saleor_aftersales.models import TrackedOrder


def _place(user_api_client, checkout, transaction_item_generator) -> tuple[Order, dict]:
    """Complete the checkout; return the order and the checkout's metadata before that."""
    checkout.metadata_storage.store_value_in_metadata({"erp_ref": "A-17"})
    checkout.metadata_storage.save()
    metadata = dict(checkout.metadata_storage.metadata)
    pay_checkout(checkout, transaction_item_generator)
    assert complete_checkout(user_api_client, checkout)["errors"] == []
    return Order.objects.get(), metadata


def test_by_default_the_order_keeps_exactly_the_checkouts_metadata(
    aftersales, user_api_client, checkout_ready_to_complete, transaction_item_generator
):
    order, checkouts = _place(
        user_api_client, checkout_ready_to_complete, transaction_item_generator
    )
    assert TrackedOrder.objects.filter(order_id=order.pk).exists()  # the plugin did its work
    order.refresh_from_db()
    assert checkouts["erp_ref"] == "A-17"
    assert order.metadata == checkouts  # as Saleor copied it from the checkout


def test_the_owner_can_switch_the_metadata_summary_on(
    aftersales, set_config, user_api_client, checkout_ready_to_complete,
    transaction_item_generator,
):
    set_config(metadata_summary_enabled="true")
    order, _ = _place(user_api_client, checkout_ready_to_complete, transaction_item_generator)
    order.refresh_from_db()
    assert order.metadata["erp_ref"] == "A-17"
    assert "/status/" in order.metadata["aftersales.status_url"]
    assert order.metadata["aftersales.summary"]
