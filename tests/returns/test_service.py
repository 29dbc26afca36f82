"""The return service: rules, state machine and exactly-once effects in the stand-in shop."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from saleor_aftersales.hosts import get_host
from saleor_aftersales.returns import service
from saleor_aftersales.returns.errors import ReturnRefused
from saleor_aftersales.returns.models import ReturnRequest
from sandbox import factories
from sandbox import models as shop

from .conftest import deliver, return_line, sized_product, submit_return

pytestmark = pytest.mark.django_db


def test_refund_flow_makes_one_return_and_one_refund_even_if_received_twice(delivered_order):
    request = submit_return(delivered_order, [return_line(delivered_order, 1, 2)])
    assert request.state == "requested"
    service.approve(request.pk)
    host = get_host()
    first = service.mark_received(request.pk, host, {return_line(delivered_order, 1).line_id: "ok"})
    again = service.mark_received(request.pk, host)
    service.resolve(request.pk, host)
    assert first.state == again.state == "refunded"
    returns = shop.ReturnFulfillment.objects.filter(order=delivered_order)
    assert returns.count() == 1
    assert returns.get().status == "refunded_and_returned"
    assert [(li.quantity, li.reason) for li in returns.get().lines.all()] == [(2, "too_small — ok")]
    assert ReturnRequest.objects.get().host_refund_id


def test_quantity_is_delivered_minus_returned(delivered_order):
    second = return_line(delivered_order, 1, 2)
    with pytest.raises(ReturnRefused) as error:
        submit_return(delivered_order, [service.LineRequest(second.line_id, 3, "too_small")])
    assert error.value.code == "too_many" and "at most 2" in error.value.message
    submit_return(delivered_order, [service.LineRequest(second.line_id, 1, "too_small")])
    with pytest.raises(ReturnRefused) as error:  # one is in an open return already
        submit_return(delivered_order, [service.LineRequest(second.line_id, 2, "too_large")])
    assert error.value.code == "too_many" and "at most 1" in error.value.message


def test_rejected_return_frees_the_quantity_and_may_be_sent_again(delivered_order):
    request = submit_return(delivered_order, [return_line(delivered_order, 0)])
    service.reject(request.pk, "Worn")
    again = submit_return(delivered_order, [return_line(delivered_order, 0)])
    assert again.pk != request.pk and again.state == "requested"


def test_double_submit_finds_the_first_request(delivered_order):
    first = submit_return(delivered_order, [return_line(delivered_order, 0)])
    with pytest.raises(ReturnRefused) as error:
        submit_return(delivered_order, [return_line(delivered_order, 0)])
    assert error.value.code == "already_submitted" and error.value.existing.pk == first.pk
    assert ReturnRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_submits_make_one_request(returns_channel):
    order = deliver(factories.make_order(lines=1, parcels=1, channel=returns_channel))
    line = return_line(order, 0)
    results = []

    def go(reason):
        try:
            results.append(submit_return(order, [service.LineRequest(line.line_id, 1, reason)]).pk)
        except ReturnRefused as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(r,)) for r in ("too_small", "too_large")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ReturnRequest.objects.count() == 1
    assert sorted(map(str, results))[1] == "too_many"


def test_window_non_returnable_cancelled_and_not_delivered(returns_channel):
    old = deliver(factories.make_order(lines=1, parcels=1, channel=returns_channel), days_ago=31)
    with pytest.raises(ReturnRefused) as error:
        submit_return(old, [return_line(old, 0)])
    assert error.value.code == "outside_window"

    voucher = factories.make_product("Gift voucher card")
    voucher.product.product_type = "Gift voucher"
    voucher.product.save()
    flagged = factories.make_product("Underwear")
    flagged.product.metadata = {"aftersales.returnable": "false"}
    flagged.product.save()
    order = deliver(
        factories.make_order(
            lines=2, parcels=2, channel=returns_channel, variants=[voucher, flagged]
        )
    )
    for n in (0, 1):
        with pytest.raises(ReturnRefused) as error:
            submit_return(order, [return_line(order, n)])
        assert error.value.code == "non_returnable"

    split = deliver(factories.make_order(lines=2, parcels=2, channel=returns_channel), parcels=1)
    submit_return(split, [return_line(split, 0)])  # the delivered parcel's line
    with pytest.raises(ReturnRefused) as error:
        submit_return(split, [return_line(split, 1)])
    assert error.value.code == "not_delivered"

    cancelled = deliver(factories.make_order(lines=1, parcels=1, channel=returns_channel))
    shop.Order.objects.filter(pk=cancelled.pk).update(status="canceled")
    with pytest.raises(ReturnRefused) as error:
        submit_return(cancelled, [return_line(cancelled, 0)])
    assert error.value.code == "cancelled"


def test_exchange_only_for_a_variant_in_stock_and_makes_one_replacement(returns_channel):
    small, medium, large = sized_product()
    shop.Variant.objects.filter(pk=large.pk).update(stock=0)
    order = deliver(
        factories.make_order(lines=1, parcels=1, channel=returns_channel, variants=[small])
    )
    with pytest.raises(ReturnRefused) as error:
        submit_return(order, [return_line(order, 0, exchange=str(large.pk))], resolution="exchange")
    assert error.value.code == "out_of_stock"
    other = factories.make_product("Rain Jacket")
    with pytest.raises(ReturnRefused) as error:
        submit_return(order, [return_line(order, 0, exchange=str(other.pk))], resolution="exchange")
    assert error.value.code == "not_exchangeable"

    request = submit_return(
        order, [return_line(order, 0, exchange=str(medium.pk))], resolution="exchange"
    )
    service.approve(request.pk)
    for _ in range(2):
        request = service.mark_received(request.pk, get_host())
    assert request.state == "exchanged"
    replacement = shop.Order.objects.get(original=order)
    assert [li.variant_id for li in replacement.lines.all()] == [medium.pk]
    assert shop.Variant.objects.get(pk=medium.pk).stock == 4
    assert shop.Variant.objects.get(pk=small.pk).stock == 6  # the returned one is back


def test_store_credit_issues_one_gift_card_for_the_items(delivered_order):
    line = list(delivered_order.lines.all())[1]
    request = submit_return(
        delivered_order, [return_line(delivered_order, 1, 2)], resolution="store_credit"
    )
    service.approve(request.pk)
    service.mark_received(request.pk, get_host())
    service.mark_received(request.pk, get_host())
    card = shop.GiftCard.objects.get()
    assert card.initial_balance == line.unit_price * 2 and card.email == delivered_order.user_email
    assert ReturnRequest.objects.get().gift_card_code == card.code


def test_states_refuse_steps_out_of_order(delivered_order):
    request = submit_return(delivered_order, [return_line(delivered_order, 0)])
    with pytest.raises(ReturnRefused) as error:
        service.mark_received(request.pk, get_host())
    assert error.value.code == "bad_state"
    service.reject(request.pk, "No")
    with pytest.raises(ReturnRefused):
        service.approve(request.pk)


def test_auto_approval(returns_channel, delivered_order):
    factories.make_channel("default-channel", return_approval="auto")
    assert submit_return(delivered_order, [return_line(delivered_order, 0)]).state == "approved"


def test_shop_reason_pages_replace_the_configured_reasons(delivered_order):
    page = shop.ReturnReasonPage.objects.create(title="Defect", title_de="Defekt")
    with pytest.raises(ReturnRefused) as error:
        submit_return(delivered_order, [return_line(delivered_order, 0, reason="too_small")])
    assert error.value.code == "bad_reason"
    request = submit_return(delivered_order, [return_line(delivered_order, 0, reason=str(page.pk))])
    line = request.lines.get()
    assert (line.reason_code, line.reason_reference) == ("", str(page.pk))
