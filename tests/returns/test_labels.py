"""Prepaid return labels from a loopback DHL Parcel DE Returns API.

A 4xx, a 5xx, a timeout or an unreadable answer: the shopper (or staff) is told to try
again, and no return, no approval and no label is left behind.
"""

from __future__ import annotations

import base64

import pytest
from django.core.files.storage import default_storage

from saleor_aftersales.returns.models import ReturnRequest
from saleor_aftersales.status import access
from sandbox import factories
from sandbox.factories import make_api_token

from ..graphql.conftest import status_token
from .dhl_returns_server import PDF, problem

pytestmark = pytest.mark.django_db

REQUEST = """
mutation($t: String!, $u: String, $lang: String, $input: AftersalesReturnInput!) {
  requestReturn(token: $t, unlockToken: $u, language: $lang, input: $input) {
    returnRequest { state } errors { code message }
  }
}
"""
APPROVE = """
mutation($id: ID!) {
  aftersalesReturnApprove(id: $id) { returnRequest { state } errors { code message } }
}
"""


def _ask(gql, order, lang="en"):
    line = list(order.lines.all())[1]
    _, body = gql(
        REQUEST,
        {
            "t": status_token(order),
            "u": access.make_unlock_token(str(order.pk)),
            "lang": lang,
            "input": {
                "resolution": "refund",
                "lines": [{"lineId": str(line.pk), "quantity": 1, "reason": "damaged"}],
            },
        },
    )
    return body["data"]["requestReturn"]


def test_auto_approved_return_gets_a_label(gql, label_channel, delivered_order, dhl_returns):
    payload = _ask(gql, delivered_order)
    assert payload == {"returnRequest": {"state": "LABEL_CREATED"}, "errors": []}
    request = ReturnRequest.objects.get()
    assert request.label_tracking_number == "999990000000001"
    assert default_storage.open(request.label_url).read() == PDF
    sent = dhl_returns.requests[0]
    assert sent["query"] == {"labelType": ["BOTH"]}
    assert sent["headers"]["dhl-api-key"] == "app-key"
    assert (
        sent["headers"]["Authorization"]
        == "Basic " + base64.b64encode(b"shop-user:shop-pass").decode()
    )
    assert sent["body"]["receiverId"] == "deu"
    assert sent["body"]["shipper"] == {
        "name1": "Erika Mustermann",
        "addressStreet": "Heidestraße",
        "addressHouse": "17",
        "postalCode": "51147",
        "city": "Köln",
        "email": "erika@example.com",
    }
    assert sent["body"]["customerReference"] == f"Order {delivered_order.number}"


@pytest.mark.parametrize(
    "answer",
    [
        (400, problem(400, "Bad Request", "shipper.postalCode invalid")),
        (401, problem(401, "Unauthorized", "Invalid credentials")),
        (500, problem(500, "Internal Server Error", "try later")),
        (503, problem(503, "Service Unavailable", "maintenance")),
        (201, {"shipmentNo": "1", "label": {"b64": "not base64 !"}}),
        ("hang", None),
    ],
)
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Please try again in a few minutes."),
        ("de", "Bitte versuchen Sie es in ein paar Minuten erneut."),
    ],
)
def test_a_failed_label_leaves_no_return_and_says_try_again(
    gql,
    label_channel,
    delivered_order,
    dhl_returns,
    answer,
    lang,
    text,
):
    dhl_returns.script.append(answer)
    payload = _ask(gql, delivered_order, lang)
    assert payload["returnRequest"] is None
    assert payload["errors"][0]["code"] == "TRY_AGAIN"
    assert payload["errors"][0]["message"].endswith(text)
    assert not ReturnRequest.objects.exists()
    # the shopper tries again and it works: one return, one label
    assert _ask(gql, delivered_order)["returnRequest"] == {"state": "LABEL_CREATED"}
    assert ReturnRequest.objects.count() == 1


def test_staff_approval_waits_for_the_label(gql, label_channel, delivered_order, dhl_returns):
    factories.make_channel("default-channel", return_approval="manual")
    assert _ask(gql, delivered_order)["returnRequest"] == {"state": "REQUESTED"}
    request = ReturnRequest.objects.get()
    staff = make_api_token("staff", ("MANAGE_ORDERS",))
    from graphql_relay import to_global_id

    dhl_returns.script.append((503, problem(503, "Service Unavailable", "maintenance")))
    _, body = gql(APPROVE, {"id": to_global_id("AftersalesReturn", request.pk)}, token=staff)
    assert body["data"]["aftersalesReturnApprove"]["errors"][0]["code"] == "TRY_AGAIN"
    request.refresh_from_db()
    assert (request.state, request.approved_at, request.label_url) == ("requested", None, "")
    _, body = gql(APPROVE, {"id": to_global_id("AftersalesReturn", request.pk)}, token=staff)
    assert body["data"]["aftersalesReturnApprove"]["returnRequest"] == {"state": "LABEL_CREATED"}


def test_the_verified_shopper_downloads_the_label_and_qr(
    client, gql, label_channel, delivered_order
):
    from ..web.conftest import page_url
    from .dhl_returns_server import PNG

    _ask(gql, delivered_order)
    request = ReturnRequest.objects.get()
    url = page_url(delivered_order)
    assert client.get(f"{url}/returns/{request.pk}/label.pdf").status_code == 303  # locked
    client.cookies[access.UNLOCK_COOKIE] = access.make_unlock_token(str(delivered_order.pk))
    response = client.get(f"{url}/returns/{request.pk}/label.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]
    qr = client.get(f"{url}/returns/{request.pk}/qr.png")
    assert b"".join(qr.streaming_content) == PNG
    page = client.get(url).content.decode()
    assert f"/returns/{request.pk}/label.pdf" in page and "999990000000001" in page
    other = factories.make_order(lines=1, channel=label_channel)  # another order's link
    client.cookies[access.UNLOCK_COOKIE] = access.make_unlock_token(str(other.pk))
    assert client.get(f"{page_url(other)}/returns/{request.pk}/label.pdf").status_code == 404
