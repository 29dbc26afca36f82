"""Return API: the verified shopper's options and request, staff's list and decisions.

Every bad input of the issue gets its message in English and German:
more than delivered, outside the window, not returnable, exchange out of stock, a double
submit, a tampered token, a cancelled order (and no verification).
"""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from saleor_aftersales.returns.models import ReturnRequest
from saleor_aftersales.status import access
from sandbox import factories
from sandbox import models as shop
from sandbox.factories import make_api_token

from ..graphql.conftest import status_token
from .conftest import deliver, sized_product

pytestmark = pytest.mark.django_db

OPTIONS = """
query($t: String!, $u: String, $lang: String) {
  aftersalesReturnOptions(token: $t, unlockToken: $u, language: $lang) {
    enabled
    lines { lineId productName deliveredQuantity returnedQuantity maxQuantity blockedReason
            blockedText exchangeVariants { variantId name available } }
    reasons { id label }
    resolutions { id label }
    returns { id state stateLabel resolution lines { productName quantity reason inspectionNote }
              steps { key label done } }
  }
}
"""
REQUEST = """
mutation($t: String!, $u: String, $lang: String, $input: AftersalesReturnInput!) {
  requestReturn(token: $t, unlockToken: $u, language: $lang, input: $input) {
    returnRequest { id state resolution lines { lineId quantity reason } }
    errors { field code message }
  }
}
"""
RETURNS = """
query($state: AftersalesReturnState) {
  aftersalesReturns(state: $state) {
    totalCount items { id state resolution lines { productName quantity inspectionNote } }
  }
}
"""
APPROVE = "mutation($id: ID!) { aftersalesReturnApprove(id: $id) { returnRequest { state } errors { code message } } }"  # noqa: E501
REJECT = "mutation($id: ID!, $r: String!) { aftersalesReturnReject(id: $id, reason: $r) { returnRequest { state rejectReason } errors { code } } }"  # noqa: E501
RECEIVED = """
mutation($id: ID!, $lines: [AftersalesInspectionInput!]) {
  aftersalesReturnMarkReceived(id: $id, lines: $lines) {
    returnRequest { state giftCardCode lines { inspectionNote } } errors { code message }
  }
}
"""


def _ask(gql, order, lines, resolution="refund", lang="en", unlock=True, token=None):
    unlock_token = access.make_unlock_token(str(order.pk)) if unlock else None
    _, body = gql(
        REQUEST,
        {
            "t": token or status_token(order),
            "u": unlock_token,
            "lang": lang,
            "input": {"resolution": resolution, "lines": lines},
        },
    )
    return body["data"]["requestReturn"]


def _line(order, n=0, quantity=1, reason="too_small", **extra):
    return {
        "lineId": str(list(order.lines.all())[n].pk),
        "quantity": quantity,
        "reason": reason,
        **extra,
    }


def _error(payload):
    assert len(payload["errors"]) == 1, payload
    error = payload["errors"][0]
    return error["code"], error["message"]


def test_options_need_verification_and_show_what_may_be_returned(gql, delivered_order):
    _, body = gql(OPTIONS, {"t": status_token(delivered_order)})
    assert body["data"]["aftersalesReturnOptions"] is None
    unlock = access.make_unlock_token(str(delivered_order.pk))
    _, body = gql(OPTIONS, {"t": status_token(delivered_order), "u": unlock, "lang": "de"})
    data = body["data"]["aftersalesReturnOptions"]
    assert data["enabled"] is True
    assert [(li["deliveredQuantity"], li["maxQuantity"]) for li in data["lines"]] == [
        (1, 1),
        (2, 2),
    ]
    assert {"id": "too_small", "label": "Zu klein"} in data["reasons"]
    assert [r["id"] for r in data["resolutions"]] == ["refund", "exchange", "store_credit"]


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "You can return at most 2 of"), ("de", "Sie können höchstens 2 von")]
)
def test_more_than_delivered(gql, delivered_order, lang, text):
    code, message = _error(_ask(gql, delivered_order, [_line(delivered_order, 1, 3)], lang=lang))
    assert code == "QUANTITY_EXCEEDED" and message.startswith(text)
    assert not ReturnRequest.objects.exists()


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "The return period for"), ("de", "Die Rückgabefrist für")]
)
def test_outside_the_window(gql, returns_channel, lang, text):
    order = deliver(factories.make_order(lines=1, parcels=1, channel=returns_channel), days_ago=40)
    code, message = _error(_ask(gql, order, [_line(order)], lang=lang))
    assert code == "OUTSIDE_WINDOW" and message.startswith(text)


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "cannot be returned."), ("de", "kann nicht zurückgegeben werden.")]
)
def test_not_returnable(gql, returns_channel, lang, text):
    variant = factories.make_product("Socks")
    variant.product.metadata = {"aftersales.returnable": "false"}
    variant.product.save()
    order = deliver(
        factories.make_order(lines=1, parcels=1, channel=returns_channel, variants=[variant])
    )
    code, message = _error(_ask(gql, order, [_line(order)], lang=lang))
    assert code == "NOT_RETURNABLE" and message.endswith(text)


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "is out of stock."), ("de", "ist nicht vorrätig.")]
)
def test_exchange_variant_out_of_stock(gql, returns_channel, lang, text):
    small, _medium, large = sized_product()
    shop.Variant.objects.filter(pk=large.pk).update(stock=0)
    order = deliver(
        factories.make_order(lines=1, parcels=1, channel=returns_channel, variants=[small])
    )
    payload = _ask(
        gql,
        order,
        [_line(order, exchangeVariantId=str(large.pk))],
        resolution="exchange",
        lang=lang,
    )
    code, message = _error(payload)
    assert code == "OUT_OF_STOCK" and message.endswith(text)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "You have already sent this return"), ("de", "Sie haben diese Rücksendung bereits")],
)
def test_double_submit_returns_the_first_request(gql, delivered_order, lang, text):
    first = _ask(gql, delivered_order, [_line(delivered_order)])
    assert first["errors"] == [] and first["returnRequest"]["state"] == "REQUESTED"
    second = _ask(gql, delivered_order, [_line(delivered_order)], lang=lang)
    code, message = _error(second)
    assert code == "ALREADY_SUBMITTED" and message.startswith(text)
    assert second["returnRequest"]["id"] == first["returnRequest"]["id"]
    assert ReturnRequest.objects.count() == 1


def test_tampered_token_and_unverified_caller(gql, delivered_order):
    token = status_token(delivered_order)
    payload = _ask(gql, delivered_order, [_line(delivered_order)], token=token[:-3] + "abc")
    assert payload["errors"][0]["code"] == "INVALID_TOKEN"
    forged = access.make_unlock_token(str(factories.make_order(lines=1).pk))  # another order
    _, body = gql(
        REQUEST,
        {
            "t": token,
            "u": forged,
            "lang": "de",
            "input": {"resolution": "refund", "lines": [_line(delivered_order)]},
        },
    )
    code, message = _error(body["data"]["requestReturn"])
    assert code == "VERIFICATION_FAILED" and message.startswith("Bitte bestätigen Sie")
    assert not ReturnRequest.objects.exists()


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "This order was cancelled"), ("de", "Diese Bestellung wurde storniert")],
)
def test_cancelled_order(gql, delivered_order, lang, text):
    shop.Order.objects.filter(pk=delivered_order.pk).update(status="canceled")
    code, message = _error(_ask(gql, delivered_order, [_line(delivered_order)], lang=lang))
    assert code == "ORDER_CANCELLED" and message.startswith(text)


def test_staff_list_approve_reject_and_receive_once(gql, delivered_order):
    first = _ask(gql, delivered_order, [_line(delivered_order, 1, 2)], resolution="store_credit")
    second = _ask(gql, delivered_order, [_line(delivered_order, 0)])
    staff = make_api_token("staff", ("MANAGE_ORDERS",))
    customer = make_api_token("customer", ())
    _, body = gql(RETURNS, token=customer)
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    _, body = gql(RETURNS, {"state": "REQUESTED"}, token=staff)
    assert body["data"]["aftersalesReturns"]["totalCount"] == 2

    ids = first["returnRequest"]["id"], second["returnRequest"]["id"]
    _, body = gql(APPROVE, {"id": ids[0]}, token=customer)
    assert body["data"]["aftersalesReturnApprove"]["errors"][0]["code"] == "PERMISSION_DENIED"
    _, body = gql(REJECT, {"id": ids[1], "r": "Worn"}, token=staff)
    assert body["data"]["aftersalesReturnReject"]["returnRequest"] == {
        "state": "REJECTED",
        "rejectReason": "Worn",
    }
    _, body = gql(RECEIVED, {"id": ids[0]}, token=staff)  # not approved yet
    assert body["data"]["aftersalesReturnMarkReceived"]["errors"][0]["code"] == "INVALID_STATE"
    _, body = gql(APPROVE, {"id": ids[0]}, token=staff)
    assert body["data"]["aftersalesReturnApprove"]["returnRequest"]["state"] == "APPROVED"
    line_id = str(list(delivered_order.lines.all())[1].pk)
    for _ in range(2):
        _, body = gql(
            RECEIVED,
            {"id": ids[0], "lines": [{"lineId": line_id, "note": "Tags on, unworn"}]},
            token=staff,
        )
        payload = body["data"]["aftersalesReturnMarkReceived"]
        assert payload["errors"] == []
        assert payload["returnRequest"]["state"] == "CREDITED"
        assert payload["returnRequest"]["lines"] == [{"inspectionNote": "Tags on, unworn"}]
    assert shop.GiftCard.objects.count() == 1
    assert payload["returnRequest"]["giftCardCode"] == shop.GiftCard.objects.get().code

    unlock = access.make_unlock_token(str(delivered_order.pk))
    _, body = gql(OPTIONS, {"t": status_token(delivered_order), "u": unlock})
    returns = body["data"]["aftersalesReturnOptions"]["returns"]
    assert [r["state"] for r in returns] == ["CREDITED", "REJECTED"]
    assert returns[0]["lines"][0]["inspectionNote"] == ""  # staff only
    assert [s["key"] for s in returns[0]["steps"]] == [
        "requested",
        "approved",
        "handed_over",
        "received",
        "credited",
    ]
    assert [s["key"] for s in returns[1]["steps"]] == ["requested", "rejected"]


def test_unknown_return_id_is_not_found(gql, delivered_order):
    staff = make_api_token("staff", ("MANAGE_ORDERS",))
    _, body = gql(APPROVE, {"id": to_global_id("AftersalesReturn", 999)}, token=staff)
    assert body["data"]["aftersalesReturnApprove"]["errors"][0]["code"] == "NOT_FOUND"


def test_staff_of_another_channel_cannot_touch_the_return(gql, delivered_order):
    payload = _ask(gql, delivered_order, [_line(delivered_order)])
    other = make_api_token("staff", ("MANAGE_ORDERS",), channels=["other-channel"])
    _, body = gql(APPROVE, {"id": payload["returnRequest"]["id"]}, token=other)
    assert body["data"]["aftersalesReturnApprove"]["errors"][0]["code"] == "PERMISSION_DENIED"
    _, body = gql(RETURNS, token=other)
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert ReturnRequest.objects.get().state == "requested"


def test_methods_are_offered_and_checked(gql, delivered_order):
    from sandbox import factories

    factories.make_channel("default-channel", return_stores="Köln, Ehrenstraße 12")
    unlock = access.make_unlock_token(str(delivered_order.pk))
    _, body = gql(
        OPTIONS.replace("enabled\n", "enabled methods { id label }\n"),
        {"t": status_token(delivered_order), "u": unlock},
    )
    methods = body["data"]["aftersalesReturnOptions"]["methods"]
    assert [m["id"] for m in methods] == ["address", "store"]
    _, body = gql(
        REQUEST,
        {
            "t": status_token(delivered_order),
            "u": unlock,
            "input": {"resolution": "refund", "method": "label", "lines": [_line(delivered_order)]},
        },
    )
    assert body["data"]["requestReturn"]["errors"][0]["field"] == "method"
