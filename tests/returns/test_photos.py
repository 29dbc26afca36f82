"""Photos on the return form: checked for type and size, stored, shown only to staff."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from saleor_aftersales.returns.models import ReturnRequest
from saleor_aftersales.status import access
from sandbox.factories import make_api_token

from ..graphql.conftest import status_token
from ..web.conftest import page_url

pytestmark = pytest.mark.django_db

STAFF = "{ aftersalesReturns { items { photos } } }"
SHOPPER = """
query($t: String!, $u: String) {
  aftersalesReturnOptions(token: $t, unlockToken: $u) { returns { id } }
}
"""


def image(fmt="JPEG", size=(64, 48), name="stain.jpg") -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(data, fmt)
    return SimpleUploadedFile(name, data.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _post(client, order, photos, lang="en"):
    url = page_url(order)
    client.cookies[access.UNLOCK_COOKIE] = access.make_unlock_token(str(order.pk))
    html = client.get(f"{url}/returns").content.decode()
    csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)
    line = str(list(order.lines.all())[1].pk)
    return client.post(
        f"{url}/returns?lang={lang}",
        {
            "csrf_token": csrf,
            f"qty-{line}": "1",
            f"reason-{line}": "damaged",
            "resolution": "refund",
            "photos": photos,
        },
    )


def test_photos_are_stored_and_only_staff_see_them(client, gql, media, delivered_order):
    response = _post(client, delivered_order, [image(), image("PNG", name="tag.png")])
    assert response.status_code == 303
    request = ReturnRequest.objects.get()
    assert len(request.photos) == 2
    assert all(default_storage.exists(name) for name in request.photos)
    assert request.photos[0].endswith(".jpg") and request.photos[1].endswith(".png")
    staff = make_api_token("staff", ("MANAGE_ORDERS",))
    _, body = gql(STAFF, token=staff)
    assert len(body["data"]["aftersalesReturns"]["items"][0]["photos"]) == 2
    _, body = gql(
        SHOPPER.replace("{ id }", "{ id photos }"),
        {
            "t": status_token(delivered_order),
            "u": access.make_unlock_token(str(delivered_order.pk)),
        },
    )
    assert body["data"]["aftersalesReturnOptions"]["returns"][0]["photos"] == []


@pytest.mark.parametrize(
    "photos",
    [
        lambda: [
            SimpleUploadedFile("scan.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
        ],
        lambda: [image(size=(4000, 3000), fmt="BMP", name="huge.jpg")],  # over 5 MB (a BMP)
        lambda: [image("GIF", name="anim.gif")],  # an image, but not JPEG, PNG or WebP
        lambda: [image(), image(), image(), image()],  # four
    ],
    ids=["not-an-image", "too-big", "gif", "four"],
)
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Photos must be JPEG, PNG or WebP images of at most 5 MB"),
        ("de", "Fotos müssen JPEG-, PNG- oder WebP-Bilder bis 5 MB sein"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_kept(
    client,
    media,
    delivered_order,
    photos,
    lang,
    text,
):
    response = _post(client, delivered_order, photos(), lang)
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not ReturnRequest.objects.exists()
    assert not any(media.rglob("photo-*"))


def test_deleting_the_order_forgets_its_returns_and_their_photos(
    client, media, delivered_order, django_capture_on_commit_callbacks
):
    assert _post(client, delivered_order, [image()]).status_code == 303
    name = ReturnRequest.objects.get().photos[0]
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        with django_capture_on_commit_callbacks(execute=True):
            delivered_order.delete()
    assert not ReturnRequest.objects.exists()
    assert not default_storage.exists(name)
