"""Photos sent with requestReturn as a GraphQL multipart request (the spec Saleor's endpoint
reads): stored and shown to staff only; not an image, too many files, or a map pointing
outside the variables get a clear refusal and no return is made."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from saleor_aftersales.returns.models import ReturnRequest
from saleor_aftersales.status import access
from sandbox.factories import make_api_token

from ..graphql.conftest import URL, status_token
from .test_photos import STAFF, image, media  # noqa: F401  (the media fixture)

pytestmark = pytest.mark.django_db

REQUEST = """
mutation($t: String!, $u: String, $input: AftersalesReturnInput!, $photos: [Upload]) {
  requestReturn(token: $t, unlockToken: $u, input: $input, photos: $photos) {
    returnRequest { state photos } errors { code field message }
  }
}
"""


def send(client, order, files: dict, paths: dict | None = None, **extra):
    line = list(order.lines.all())[1]
    operations = {
        "query": REQUEST,
        "variables": {
            "t": status_token(order),
            "u": access.make_unlock_token(str(order.pk)),
            "input": {
                "resolution": "refund",
                "lines": [{"lineId": str(line.pk), "quantity": 1, "reason": "damaged"}],
            },
            "photos": [None] * len(files),
        },
    }
    paths = paths or {key: [f"variables.photos.{i}"] for i, key in enumerate(files)}
    data = {"operations": json.dumps(operations), "map": json.dumps(paths), **files}
    return client.post(URL, data, **extra)


def test_photos_in_a_multipart_request_reach_staff_only(client, delivered_order, media, gql):  # noqa: F811
    response = send(client, delivered_order, {"0": image(), "1": image("PNG", name="tag.png")})
    assert response.status_code == 200
    payload = response.json()["data"]["requestReturn"]
    assert payload["errors"] == [] and payload["returnRequest"]["photos"] == []  # shopper
    request = ReturnRequest.objects.get()
    assert [name.rsplit(".", 1)[1] for name in request.photos] == ["jpg", "png"]
    assert all((media / name).exists() for name in request.photos)
    _, body = gql(STAFF, token=make_api_token())
    (staff,) = body["data"]["aftersalesReturns"]["items"]
    assert len(staff["photos"]) == 2


def test_a_file_that_is_no_image_is_refused_and_nothing_is_made(client, delivered_order, media):  # noqa: F811
    fake = SimpleUploadedFile("stain.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = send(client, delivered_order, {"0": fake}, HTTP_ACCEPT_LANGUAGE="de")
    (error,) = response.json()["data"]["requestReturn"]["errors"]
    assert error["field"] == "photos" and "5 MB" in error["message"]
    assert not ReturnRequest.objects.exists() and not list(media.rglob("*.*"))


def test_malformed_multipart_requests_get_a_400(client, delivered_order, media):  # noqa: F811
    outside = send(client, delivered_order, {"0": image()}, {"0": ["query"]})
    assert outside.status_code == 400 and "variables" in outside.json()["errors"][0]["message"]
    missing = send(client, delivered_order, {"0": image()}, {"7": ["variables.photos.0"]})
    assert missing.status_code == 400
    many = {str(i): image() for i in range(4)}
    assert send(client, delivered_order, many).status_code == 400
    garbage = client.post(URL, {"operations": "{not json", "map": "{}"})
    assert garbage.status_code == 400
    assert not ReturnRequest.objects.exists()
