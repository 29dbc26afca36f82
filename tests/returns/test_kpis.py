"""Return KPIs through the staff API: rate by product and reason, days to resolution,
exchange share; rejected returns count as returns but not as returned units."""

from __future__ import annotations

from datetime import timedelta

import pytest

from saleor_aftersales.hosts import get_host
from saleor_aftersales.returns import service
from saleor_aftersales.returns.models import ReturnRequest
from sandbox import factories
from sandbox.factories import make_api_token

from .conftest import deliver, sized_product

pytestmark = pytest.mark.django_db

KPIS = """
{ aftersalesReturnKpis {
    returns rejected unitsReturned exchangeShare medianDaysToResolution
    byReason { key count } byResolution { key count }
    byProduct { productName delivered returned rate }
} }
"""


def _return(order, n, quantity, reason, resolution, *, exchange="", days=0.0, reject=False):
    host = get_host()
    view = host.get_order(str(order.pk))
    line = list(order.lines.all())[n]
    request = service.submit(
        view,
        host.get_config(view.channel_slug),
        host,
        [service.LineRequest(str(line.pk), quantity, reason, exchange)],
        resolution=resolution,
    )
    if reject:
        return service.reject(request.pk, "worn")
    service.approve(request.pk)
    request = service.mark_received(request.pk, host)
    ReturnRequest.objects.filter(pk=request.pk).update(
        resolved_at=request.created_at + timedelta(days=days)
    )
    return request


def test_return_kpis(gql, returns_channel):
    small, medium, _ = sized_product("Merino Wool Sweater")
    jacket = factories.make_product("Rain Jacket")
    first = deliver(
        factories.make_order(lines=2, parcels=2, channel=returns_channel, variants=[jacket, small])
    )  # 1 jacket, 2 sweaters
    second = deliver(
        factories.make_order(lines=1, parcels=1, channel=returns_channel, variants=[jacket])
    )  # 1 jacket
    _return(first, 1, 1, "too_small", "exchange", exchange=str(medium.pk), days=4)
    _return(first, 0, 1, "not_as_described", "refund", days=6)
    _return(second, 0, 1, "changed_mind", "refund", reject=True)
    _, body = gql(KPIS, token=make_api_token("staff", ("MANAGE_ORDERS",)))
    data = body["data"]["aftersalesReturnKpis"]
    assert (data["returns"], data["rejected"], data["unitsReturned"]) == (3, 1, 2)
    assert data["exchangeShare"] == 0.5
    assert data["medianDaysToResolution"] == 5.0
    assert {r["key"]: r["count"] for r in data["byReason"]} == {
        "too_small": 1,
        "not_as_described": 1,
    }
    assert {
        p["productName"]: (p["delivered"], p["returned"], p["rate"]) for p in data["byProduct"]
    } == {"Merino Wool Sweater": (2, 1, 0.5), "Rain Jacket": (2, 1, 0.5)}


def test_return_kpis_need_manage_orders(gql, returns_channel):
    _, body = gql(KPIS, token=make_api_token("customer", ()))
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
