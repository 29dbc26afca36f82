"""The Aftersales page's Returns tab (Django's test client, real PostgreSQL): staff list and
filter returns, approve, reject with a reason, mark received with a note per line (the same
service as the staff GraphQL mutations: Saleor's return and the refund happen once); staff
of another channel see and change nothing; a return parcel's problem is named as one."""

from __future__ import annotations

import pytest

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel, Problem
from saleor_aftersales.returns import service
from saleor_aftersales.returns.models import ReturnRequest
from sandbox import models as shop
from tests.returns.conftest import delivered_order, returns_channel  # noqa: F401

from .conftest import ROOT, get, post

pytestmark = pytest.mark.django_db


def submit(order, line_index: int = 1, reason: str = "too_small") -> ReturnRequest:
    host = get_host()
    view = host.get_order(str(order.pk))
    line = str(list(order.lines.all())[line_index].pk)
    return service.submit(
        view,
        host.get_config(view.channel_slug),
        host,
        [service.LineRequest(line, 1, reason)],
        resolution="refund",
        comment="Too tight across the shoulders",
    )


def test_list_filter_approve_and_receive_with_a_note(client, delivered_order, token):  # noqa: F811
    request = submit(delivered_order)
    ReturnRequest.objects.filter(pk=request.pk).update(
        photos=[f"aftersales/returns/{delivered_order.pk}/{request.pk}/photo-a.jpg"]
    )
    assert get(client, f"{ROOT}/api/returns").status_code == 401
    body = get(client, f"{ROOT}/api/returns", token()).content.decode()
    line = list(delivered_order.lines.all())[1]
    assert f"Return of order #{delivered_order.number}" in body
    assert line.product_name in body and "Too tight across the shoulders" in body
    assert "Requested</span>" in body and "Approve" in body
    assert f"/{request.pk}/photo-a.jpg" in body  # staff see the shopper's photos
    refunded = get(client, f"{ROOT}/api/returns?state=refunded", token()).content.decode()
    assert "0 returns" in refunded

    done = post(client, f"{ROOT}/api/returns/{request.pk}/approve", {}, token()).content.decode()
    assert "Return approved." in done and "Mark received" in done
    note = {f"note-{line.pk}": "Unworn, tags on"}
    done = post(client, f"{ROOT}/api/returns/{request.pk}/received", note, token())
    assert "Return marked received." in done.content.decode()
    request.refresh_from_db()
    assert request.state == "refunded" and request.lines.get().inspection_note == "Unworn, tags on"
    assert "Unworn, tags on" in done.content.decode()
    post(client, f"{ROOT}/api/returns/{request.pk}/received", note, token())
    assert shop.ReturnFulfillment.objects.count() == 1  # once, as through GraphQL
    refused = post(client, f"{ROOT}/api/returns/{request.pk}/approve", {}, token())
    assert refused.status_code == 400 and "cannot be changed that way" in refused.content.decode()


def test_reject_needs_a_reason_the_shopper_reads(client, delivered_order, token):  # noqa: F811
    request = submit(delivered_order)
    url = f"{ROOT}/api/returns/{request.pk}/reject"
    empty = post(client, url, {"reason": "  "}, token())
    assert empty.status_code == 400
    assert "Enter the reason the shopper will read." in empty.content.decode()
    request.refresh_from_db()
    assert request.state == "requested"
    german = client.post(
        url + "?lang=de",
        {"reason": "Getragen zurückgeschickt"},
        HTTP_AUTHORIZATION=f"Bearer {token()}",
    ).content.decode()
    assert "Rücksendung abgelehnt." in german
    request.refresh_from_db()
    assert (request.state, request.reject_reason) == ("rejected", "Getragen zurückgeschickt")


def test_staff_of_another_channel_see_and_change_nothing(client, delivered_order, token):  # noqa: F811
    request = submit(delivered_order)
    other = token(channels=["other"])
    body = get(client, f"{ROOT}/api/returns", other).content.decode()
    assert "0 returns" in body and str(delivered_order.number) not in body
    assert post(client, f"{ROOT}/api/returns/{request.pk}/approve", {}, other).status_code == 403
    assert post(client, f"{ROOT}/api/returns/9999999/approve", {}, token()).status_code == 404
    request.refresh_from_db()
    assert request.state == "requested"


def test_a_return_parcels_problem_shows_as_a_return_problem(client, delivered_order, token):  # noqa: F811
    parcel = Parcel.tracked.create(
        order_id=delivered_order.pk,
        channel_slug="default-channel",
        fulfillment_id="return-1",
        direction="return",
        carrier="dhl",
        tracking_number="999990000000001",
    )
    Problem.objects.create(
        key=f"exception:{parcel.pk}",
        order_id=delivered_order.pk,
        channel_slug="default-channel",
        parcel=parcel,
        kind="exception",
    )
    body = get(client, f"{ROOT}/api/problems", token()).content.decode()
    assert "Return parcel: Carrier exception" in body


def test_the_order_widget_shows_the_orders_returns(client, delivered_order, token):  # noqa: F811
    request = submit(delivered_order)
    service.reject(request.pk, "Worn")
    url = f"{ROOT}/api/orders/{delivered_order.pk}"
    body = get(client, url, token()).content.decode()
    line = list(delivered_order.lines.all())[1]
    assert 'id="as-returns"' in body and f"1 × {line.product_name}" in body
    assert "Rejected</span>" in body and "Worn" in body
    german = get(client, url + "?lang=de", token()).content.decode()
    assert "Rücksendungen</h2>" in german and "Abgelehnt</span>" in german
    assert "Erstattung · An die Rücksendeadresse" in german
