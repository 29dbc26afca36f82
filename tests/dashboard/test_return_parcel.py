"""Staff see a return label's parcel in the order widget and can ask its carrier now."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel
from saleor_aftersales.returns.models import ReturnRequest
from saleor_aftersales.returns.way_back import parcel_key
from saleor_aftersales.tracking.return_parcels import track_return_parcel
from sandbox import factories

from .conftest import ROOT, get, post


def _return_with_parcel(order) -> tuple[ReturnRequest, Parcel]:
    request = ReturnRequest.objects.create(
        order_id=order.pk, channel_slug="default-channel", submit_key=f"k-{order.pk}",
        state="label_created", resolution="refund", method="label",
        label_tracking_number="00340434161094015902",
    )
    parcel = track_return_parcel(
        parcel_key(request), order_id=order.pk, channel_slug="default-channel",
        tracking_number=request.label_tracking_number, carrier="dhl",
        config=get_host().get_config("default-channel"), now=timezone.now(),
    )
    Parcel.tracked.filter(pk=parcel.pk).update(next_check_at=timezone.now() + timedelta(hours=6))
    return request, parcel


def test_staff_ask_the_carrier_about_a_return_parcel_now(client, order_with_problem, token):
    factories.make_channel("default-channel", dhl_api_key="test-key")  # a carrier API
    order_id = order_with_problem.pk
    _request, parcel = _return_with_parcel(order_with_problem)
    body = get(client, f"{ROOT}/api/orders/{order_id}", token()).content.decode()
    assert "Return parcel" in body and f"/parcels/{parcel.pk}/refresh" in body
    response = post(client, f"{ROOT}/api/orders/{order_id}/parcels/{parcel.pk}/refresh", {},
                    token())
    assert response.status_code == 200
    assert "carrier will be asked now" in response.content.decode()
    parcel.refresh_from_db()
    assert parcel.next_check_at <= timezone.now()
    german = get(client, f"{ROOT}/api/orders/{order_id}?lang=de", token()).content.decode()
    assert "Rücksendepaket" in german


def test_a_return_parcel_without_a_carrier_api_has_no_button(client, order_with_problem, token):
    factories.make_channel("default-channel", dhl_api_key="")
    order_id = order_with_problem.pk
    _request, parcel = _return_with_parcel(order_with_problem)
    body = get(client, f"{ROOT}/api/orders/{order_id}", token()).content.decode()
    assert "Return parcel" in body and f"/parcels/{parcel.pk}/refresh" not in body
    response = post(client, f"{ROOT}/api/orders/{order_id}/parcels/{parcel.pk}/refresh", {},
                    token())
    assert response.status_code == 400
    assert "Not possible for this parcel" in response.content.decode()


def test_a_return_parcel_of_another_order_is_not_found(client, order_with_problem, make_order,
                                                        token):
    factories.make_channel("default-channel", dhl_api_key="test-key")
    other = make_order(lines=1, parcels=1)
    _request, parcel = _return_with_parcel(other)
    url = f"{ROOT}/api/orders/{order_with_problem.pk}/parcels/{parcel.pk}/refresh"
    assert post(client, url, {}, token()).status_code == 404
