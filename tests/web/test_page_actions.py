"""Buy again and review through the page's forms (POST/redirect/GET, CSRF-protected)."""

from __future__ import annotations

import pytest

from saleor_aftersales.models import EngagementEvent, Parcel, Review
from sandbox.models import Checkout, Variant

from .conftest import csrf_of, page_url

pytestmark = pytest.mark.django_db


def test_buy_again_creates_checkout_and_redirects(client, shipped_order):
    url = page_url(shipped_order)
    csrf = csrf_of(client, url)
    response = client.post(f"{url}/buy-again", {"csrf_token": csrf})
    assert response.status_code == 303
    checkout = Checkout.objects.get()
    assert response["Location"] == f"https://shop.example.com/checkout?checkout={checkout.token}"
    expected = sorted([str(li.variant_id), li.quantity] for li in shipped_order.lines.all())
    assert sorted(checkout.lines) == expected
    assert EngagementEvent.objects.filter(kind="buy_again", target=str(checkout.token)).exists()


def test_unavailable_items_are_named_and_left_out(client, shipped_order):
    line = shipped_order.lines.first()
    Variant.objects.filter(pk=line.variant_id).update(is_available=False)
    url = page_url(shipped_order)
    html = client.get(url).content.decode()
    assert "No longer available" in html and line.product_name in html
    client.post(f"{url}/buy-again", {"csrf_token": csrf_of(client, url)})
    assert [str(line.variant_id), line.quantity] not in Checkout.objects.get().lines


def test_nothing_available_says_so(client, shipped_order):
    Variant.objects.update(stock=0)
    url = page_url(shipped_order)
    response = client.post(f"{url}/buy-again", {"csrf_token": csrf_of(client, url)})
    assert "m=nothing_available" in response["Location"]
    assert not Checkout.objects.exists()


def test_buy_again_without_csrf_creates_nothing(client, shipped_order):
    url = page_url(shipped_order)
    client.get(url)
    client.post(f"{url}/buy-again", {"csrf_token": "0" * 64})
    assert not Checkout.objects.exists()


def test_review_prompt_only_once_delivered(
    client, shipped_order, django_capture_on_commit_callbacks
):
    url = page_url(shipped_order)
    assert 'name="rating"' not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for parcel in Parcel.objects.filter(order_id=shipped_order.pk):
            parcel.status = "delivered"
            parcel.save()
    assert 'name="rating"' in client.get(url).content.decode()


def test_review_is_stored_then_forwarded(client, shipped_order, channel):
    channel.configuration["review_platform_url"] = "https://g.page/r/example/review"
    channel.save()
    Parcel.objects.filter(order_id=shipped_order.pk).update(status="delivered")
    url = page_url(shipped_order)
    response = client.post(
        f"{url}/review", {"csrf_token": csrf_of(client, url), "rating": "5", "comment": "Top"}
    )
    assert response.status_code == 303
    assert response["Location"] == "https://g.page/r/example/review"
    review = Review.objects.get(order_id=shipped_order.pk)
    assert (review.rating, review.comment) == (5, "Top")
    assert EngagementEvent.objects.filter(kind="review", order_id=shipped_order.pk).exists()


def test_review_rejects_bad_rating(client, shipped_order):
    Parcel.objects.filter(order_id=shipped_order.pk).update(status="delivered")
    url = page_url(shipped_order)
    response = client.post(f"{url}/review", {"csrf_token": csrf_of(client, url), "rating": "9"})
    assert "m=review_invalid" in response["Location"]
    assert not Review.objects.exists()


def test_review_waits_for_the_last_parcel(client, shipped_order):
    """Two parcels, one delivered: the order is not delivered yet, so no review is stored."""
    first = Parcel.objects.filter(order_id=shipped_order.pk).first()
    Parcel.objects.filter(pk=first.pk).update(status="delivered")
    url = page_url(shipped_order)
    response = client.post(f"{url}/review", {"csrf_token": csrf_of(client, url), "rating": "5"})
    assert "m=review_invalid" in response["Location"]
    assert not Review.objects.exists()
    Parcel.objects.filter(order_id=shipped_order.pk).update(status="delivered")
    response = client.post(f"{url}/review", {"csrf_token": csrf_of(client, url), "rating": "5"})
    assert "m=review_thanks" in response["Location"]
    assert Review.objects.get(order_id=shipped_order.pk).rating == 5


def test_review_comment_is_shown_only_to_a_verified_reader(
    client, shipped_order, django_capture_on_commit_callbacks
):
    """The comment is the shopper's own free text: a forwarded link shows the stars only."""
    Parcel.objects.filter(order_id=shipped_order.pk).update(status="delivered")
    url = page_url(shipped_order)
    csrf = csrf_of(client, url)
    with django_capture_on_commit_callbacks(execute=True):  # the review drops the cached view
        client.post(f"{url}/review", {"csrf_token": csrf, "rating": "4",
                                      "comment": "Bitte bei Nachbar Krause abgeben"})
    anonymous = client.get(url).content.decode()
    assert "You rated this order 4 stars." in anonymous
    assert "Krause" not in anonymous
    client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url), "answer": "51147"})
    assert "Bitte bei Nachbar Krause abgeben" in client.get(url).content.decode()


def test_a_forwarded_link_cannot_erase_the_shoppers_comment(
    client, shipped_order, django_capture_on_commit_callbacks
):
    """The unverified form shows an empty comment box (the comment is hidden from it):
    sending it changes the stars and keeps what the shopper wrote; a verified reader's
    empty comment does erase it."""
    Parcel.objects.filter(order_id=shipped_order.pk).update(status="delivered")
    url = page_url(shipped_order)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}/review", {"csrf_token": csrf_of(client, url), "rating": "4",
                                      "comment": "Passt perfekt"})
    page = client.get(url).content.decode()
    assert "Your earlier comment stays unless you write a new one." in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}/review", {"csrf_token": csrf_of(client, url), "rating": "2",
                                      "comment": ""})
    review = Review.objects.get(order_id=shipped_order.pk)
    assert (review.rating, review.comment) == (2, "Passt perfekt")
    client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url), "answer": "51147"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}/review", {"csrf_token": csrf_of(client, url), "rating": "3",
                                      "comment": ""})
    review.refresh_from_db()
    assert (review.rating, review.comment) == (3, "")
