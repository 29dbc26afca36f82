"""The return form and requestReturn under fuzz: any quantity, reason, exchange variant,
resolution and comment gives 303/400 (page) or a field error (GraphQL), never a 500; a
return that is stored holds only what the rules allow."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_aftersales.core.links import make_token
from saleor_aftersales.returns.models import ReturnLine, ReturnRequest
from saleor_aftersales.status import access
from sandbox import factories
from tests.returns.conftest import deliver
from tests.web.conftest import page_url

from .conftest import TEXT

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
REQUEST = """mutation($t: String!, $u: String, $input: AftersalesReturnInput!) {
  requestReturn(token: $t, unlockToken: $u, input: $input) { errors { field code } }
}"""
FIELD = st.one_of(TEXT, st.sampled_from(["1", "2", "-1", "0", "99999999", "1e3", "too_small",
                                         "refund", "exchange", "store_credit"]))


@pytest.fixture
def order(channel):
    factories.make_channel("default-channel", returns_enabled="true")
    return deliver(factories.make_order(lines=2, parcels=2, channel=channel))


def _clean(value: str) -> str:
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _allowed() -> None:
    for line in ReturnLine.objects.select_related("request"):
        assert 1 <= line.quantity <= 2 and line.reason_code in (
            "too_small", "too_large", "not_as_described", "damaged", "wrong_item",
            "changed_mind")
        assert line.request.resolution in ("refund", "exchange", "store_credit")


@FUZZ
@given(qty=FIELD, reason=FIELD, exchange=FIELD, resolution=FIELD, comment=TEXT)
def test_return_form(client, order, qty, reason, exchange, resolution, comment):
    from django.core.cache import cache

    cache.clear()
    url = page_url(order)
    client.cookies[access.UNLOCK_COOKIE] = access.make_unlock_token(str(order.pk))
    html = client.get(f"{url}/returns").content.decode()
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    line = str(list(order.lines.all())[1].pk)
    form = {"csrf_token": match.group(1) if match else "", f"qty-{line}": qty,
            f"reason-{line}": reason, f"exchange-{line}": exchange, "resolution": resolution,
            "comment": comment}
    response = client.post(f"{url}/returns", {k: _clean(v) for k, v in form.items()})
    assert response.status_code in (303, 400), response.status_code
    _allowed()
    ReturnRequest.objects.all().delete()


@FUZZ
@given(qty=st.integers(min_value=-2**31, max_value=2**31 - 1), reason=TEXT, exchange=TEXT,
       resolution=TEXT, line_id=TEXT)
def test_request_return(gql, order, qty, reason, exchange, resolution, line_id):
    from django.core.cache import cache

    cache.clear()
    status, body = gql(REQUEST, {
        "t": make_token(str(order.pk), "default-channel"),
        "u": access.make_unlock_token(str(order.pk)),
        "input": {"resolution": resolution, "comment": reason, "lines": [
            {"lineId": line_id, "quantity": qty, "reason": reason,
             "exchangeVariantId": exchange}]},
    })
    assert status in (200, 400), status
    if status == 200 and "data" in body and body["data"]:
        assert body["data"]["requestReturn"]["errors"], body
    _allowed()
