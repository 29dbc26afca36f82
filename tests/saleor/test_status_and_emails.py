"""The shopper's side in a real Saleor 3.23: status page, buy again, shipped and delay emails.

Orders are Saleor's own (``order_with_lines``: two products, quantities 3 and 2), told to the
plugin through its hook task and fulfilled through Saleor's ``orderFulfill``. Pages are
requested through Saleor's URL routing (``/plugins/channel/main/<plugin id>/…``); emails go
to a real SMTP server on loopback.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import unquote

import graphene
import pytest
from django.utils import timezone
from flows import SmtpServer, form_token, fulfill, message_parts, status_path
from saleor.checkout.models import Checkout
from saleor.discount.models import VoucherCode
from saleor.graphql.tests.utils import get_graphql_content
from saleor.product.models import ProductMedia
from saleor.warehouse.models import Stock

from saleor_aftersales import tasks
from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import NotificationLog, Parcel, Problem
from saleor_aftersales.notifications import delivery, rules
from saleor_aftersales.notifications import email as email_module

TRACKING = "00340434161094042557"
ROOT = f"/plugins/channel/main/{PLUGIN_ID}"

PRODUCT_MEDIA_URL = """
query media($id: ID!) { product(id: $id, channel: "main") { media { url(size: 256) } } }
"""


@pytest.fixture(autouse=True)
def _fresh_email_templates():
    email_module.clear_cache()
    yield
    email_module.clear_cache()


@pytest.fixture
def placed(aftersales, order_with_lines, django_capture_on_commit_callbacks):
    """Saleor's order with lines, told to the plugin as ``order_created`` (as the hook does)."""
    order = order_with_lines
    Stock.objects.filter(product_variant__order_lines__order=order).update(quantity=50)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.handle_order_event_task.delay(str(order.pk), "order_created")
    return order


@pytest.fixture
def shipper(staff_api_client, permission_group_manage_orders, warehouse):
    """Fulfil an order through Saleor's ``orderFulfill`` with a tracking number."""
    permission_group_manage_orders.user_set.add(staff_api_client.user)

    def ship(order, tracking_number=TRACKING):
        result = fulfill(staff_api_client, order, warehouse, tracking_number)
        assert result["errors"] == []
        return result

    return ship


@pytest.fixture
def product_image(placed, media_root, image):
    """A product image on the order's first product, as Saleor's dashboard would upload."""
    product = placed.lines.order_by("created_at", "pk").first().variant.product
    return ProductMedia.objects.create(product=product, image=image, alt="front")


# ------------------------------------------------------------------------------ status page


def test_status_page_of_a_real_order_hides_personal_data_until_verified(
    placed, shipper, client
):
    shipper(placed)
    url = status_path(placed)
    assert url.startswith(f"{ROOT}/status/")

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f"Order {placed.number}" in page
    for line in placed.lines.all():
        assert line.product_name in page
    assert TRACKING in page
    address = placed.shipping_address
    assert address.street_address_1 not in page
    assert address.postal_code not in page
    assert placed.user_email not in page
    assert address.last_name not in page

    wrong = client.post(
        f"{url}/verify", {"csrf_token": form_token(page, "/verify"), "answer": "99-999"}
    )
    assert wrong.status_code == 303 and "m=verify_failed" in wrong["Location"]
    assert address.street_address_1 not in client.get(url).content.decode()

    page = client.get(url).content.decode()
    answer = address.postal_code.replace("-", " ")  # typed loosely: normalised by the page
    verified = client.post(
        f"{url}/verify", {"csrf_token": form_token(page, "/verify"), "answer": answer}
    )
    assert verified.status_code == 303
    assert verified["Location"].startswith(url) and "m=unlocked" in verified["Location"]
    unlocked = client.get(verified["Location"]).content.decode()
    assert address.street_address_1 in unlocked
    assert address.postal_code in unlocked
    assert placed.user_email in unlocked
    assert TRACKING in unlocked


def test_page_shows_a_new_parcel_although_its_first_view_was_cached(
    placed, shipper, client, django_capture_on_commit_callbacks
):
    url = status_path(placed)
    before = client.get(url).content.decode()
    assert TRACKING not in before and str(placed.number) in before
    with django_capture_on_commit_callbacks(execute=True):
        shipper(placed)  # Saleor's orderFulfill → our hook → task → parcel, cache dropped
    assert TRACKING in client.get(url).content.decode()


UPDATE_METADATA = """
mutation consent($id: ID!, $input: [MetadataInput!]!) {
  updateMetadata(id: $id, input: $input) { errors { field message } }
}
"""


def test_saleor_metadata_update_drops_the_cached_view(
    placed, client, staff_api_client, permission_group_manage_orders,
    django_capture_on_commit_callbacks,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = status_path(placed)

    def queries_of_a_view() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    built = queries_of_a_view()
    cached = queries_of_a_view()
    assert cached < built  # the anonymous view is cached
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    variables = {"id": graphene.Node.to_global_id("Order", placed.pk),
                 "input": [{"key": "marketing_consent", "value": "true"}]}
    with django_capture_on_commit_callbacks(execute=True):
        data = get_graphql_content(staff_api_client.post_graphql(UPDATE_METADATA, variables))
    assert data["data"]["updateMetadata"]["errors"] == []
    assert queries_of_a_view() > cached  # consent changed: the next view is built afresh


def test_verify_without_the_forms_token_is_refused(placed, client):
    url = status_path(placed)
    client.get(url)  # the browser got its CSRF cookie …
    answer = placed.shipping_address.postal_code
    response = client.post(f"{url}/verify", {"csrf_token": "forged", "answer": answer})
    assert response.status_code == 303 and "m=form_expired" in response["Location"]
    assert placed.shipping_address.street_address_1 not in client.get(url).content.decode()


def test_the_bare_order_id_or_a_tampered_link_opens_nothing(placed, client):
    assert client.get(f"{ROOT}/status/{placed.pk}").status_code == 403
    url = status_path(placed)
    tampered = url[:-3] + ("aaa" if not url.endswith("aaa") else "bbb")
    response = client.get(tampered)
    assert response.status_code == 403
    assert placed.lines.first().product_name not in response.content.decode()


# ------------------------------------------------------------------------------ buy again


def _order_lines(order) -> dict[int, int]:
    return {line.variant_id: line.quantity for line in order.lines.all()}


def _checkout_lines(checkout) -> dict[int, int]:
    return {line.variant_id: line.quantity for line in checkout.lines.all()}


def test_buy_again_lists_the_orders_items_as_available(placed):
    host = get_host()
    order = _order_lines(placed)
    result = host.check_variants("main", [str(v) for v in order])
    assert all(result[str(v)].available for v in order), result
    assert {result[str(v)].reason for v in order} == {""}


def test_buy_again_form_creates_a_real_saleor_checkout(placed, shipper, client):
    shipper(placed)
    url = status_path(placed)
    page = client.get(url).content.decode()
    for line in placed.lines.all():
        assert line.product_name in page
    assert not Checkout.objects.exists()

    response = client.post(
        f"{url}/buy-again", {"csrf_token": form_token(page, "/buy-again"), "lang": "en"}
    )
    assert response.status_code == 303
    checkout = Checkout.objects.get()
    assert checkout.channel.slug == "main"
    assert checkout.email == placed.user_email
    assert _checkout_lines(checkout) == _order_lines(placed)
    checkout_id = graphene.Node.to_global_id("Checkout", checkout.pk)
    location = response["Location"]
    assert location.startswith("https://shop.example.com/checkout?checkout=")
    assert unquote(location.split("checkout=", 1)[1]) == checkout_id


def test_buy_again_mutation_on_our_graphql_route_creates_a_checkout(placed, client):
    token = status_path(placed).rsplit("/", 1)[1]
    response = client.post(
        f"{ROOT}/graphql/",
        json.dumps(
            {
                "query": "mutation($t: String!) { createBuyAgainCheckout(token: $t) {"
                " errors { code message } checkoutId checkoutUrl unavailable } }",
                "variables": {"t": token},
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()["data"]["createBuyAgainCheckout"]
    assert data["errors"] == [] and data["unavailable"] == []
    checkout = Checkout.objects.get()
    assert data["checkoutId"] == graphene.Node.to_global_id("Checkout", checkout.pk)
    assert _checkout_lines(checkout) == _order_lines(placed)
    assert data["checkoutUrl"].startswith("https://shop.example.com/checkout?checkout=")
    assert unquote(data["checkoutUrl"].split("checkout=", 1)[1]) == data["checkoutId"]


def test_buy_again_leaves_out_what_is_sold_out_in_saleor(placed, client):
    first, second = placed.lines.order_by("created_at", "pk")
    Stock.objects.filter(product_variant_id=second.variant_id).update(
        quantity=0, quantity_allocated=0
    )
    url = status_path(placed)
    page = client.get(url).content.decode()
    assert "Out of stock" in page
    response = client.post(f"{url}/buy-again", {"csrf_token": form_token(page, "/buy-again")})
    assert response.status_code == 303
    assert _checkout_lines(Checkout.objects.get()) == {first.variant_id: first.quantity}


# ------------------------------------------------------------------------------ emails


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def emails_on(set_config, smtp):
    set_config(
        emails_enabled="true",
        sender_email="service@shop.example.com",
        email_events="shipped,delay",
        smtp_url=smtp.url,
    )
    return smtp


def test_fulfillment_sends_one_shipped_email_with_saleors_data(
    placed, product_image, emails_on, shipper, api_client
):
    product = product_image.product
    media = get_graphql_content(
        api_client.post_graphql(
            PRODUCT_MEDIA_URL, {"id": graphene.Node.to_global_id("Product", product.pk)}
        )
    )["data"]["product"]["media"]
    saleor_thumbnail = media[0]["url"]
    assert "/thumbnail/" in saleor_thumbnail  # Saleor's thumbnail proxy for the 256px size

    shipper(placed)
    assert len(emails_on.messages) == 1
    message = emails_on.messages[0]
    assert message.envelope_to == [placed.user_email]
    assert message["To"] == placed.user_email
    assert "service@shop.example.com" in message["From"]
    assert message["X-Aftersales-Event"] == "shipped"
    text, html = message_parts(message)
    for line in placed.lines.all():
        assert line.product_name in html and line.product_name in text
    assert TRACKING in html and TRACKING in text
    assert str(placed.number) in message["Subject"] + text
    thumbs = re.findall(r'<img[^>]*class="thumb"[^>]*>', html)
    assert len(thumbs) == 1  # only the first product has an image
    assert f'src="{saleor_thumbnail}"' in thumbs[0]

    log = NotificationLog.objects.get(order_id=placed.pk, event="shipped")
    assert log.state == "sent" and log.recipient == placed.user_email
    # the status link in the email opens the same order's page
    link = re.search(r'href="(https?://[^"]*/status/[^"]+)"', html).group(1)
    assert f"/plugins/channel/main/{PLUGIN_ID}/status/" in link


def test_no_email_while_emails_are_switched_off(placed, set_config, smtp, shipper):
    set_config(smtp_url=smtp.url, sender_email="service@shop.example.com")
    shipper(placed)
    assert smtp.messages == []
    assert not NotificationLog.objects.exists()


@pytest.fixture
def overdue(placed, emails_on, set_config, shipper):
    """The order shipped with emails on, its parcel a week past the estimated delivery."""
    set_config(delay_voucher_enabled="true", delay_voucher_percent="15")
    shipper(placed)
    emails_on.messages.clear()
    parcel = Parcel.objects.get(order_id=placed.pk)
    week_ago = timezone.now().date() - timedelta(days=7)
    Parcel.objects.filter(pk=parcel.pk).update(
        status="in_transit", estimated_delivery=week_ago, promised_delivery=week_ago,
        first_scan_at=timezone.now() - timedelta(days=9),
    )
    return parcel


def test_a_delay_creates_one_saleor_voucher_and_one_apology(
    placed, overdue, emails_on, django_capture_on_commit_callbacks
):
    for _ in range(3):  # the beat sweep runs again and again
        with django_capture_on_commit_callbacks(execute=True):
            tasks.detect_problems_task.delay().get()
    problem = Problem.objects.get(order_id=placed.pk)
    assert problem.kind == "overdue"
    with django_capture_on_commit_callbacks(execute=True):
        rules.on_problem(problem)  # the same trigger once more
    log = NotificationLog.objects.get(order_id=placed.pk, event="delay")
    assert delivery.deliver(log.pk) == "sent"  # a duplicate task message sends nothing

    code = VoucherCode.objects.get()
    voucher = code.voucher
    assert voucher.usage_limit == 1 and voucher.single_use
    listing = voucher.channel_listings.get()
    assert listing.channel.slug == "main" and listing.discount_value == 15
    assert voucher.end_date > timezone.now() + timedelta(days=29)

    assert len(emails_on.messages) == 1
    message = emails_on.messages[0]
    assert message.envelope_to == [placed.user_email]
    assert message["X-Aftersales-Event"] == "delay"
    text, html = message_parts(message)
    assert code.code in html and code.code in text
    assert "15%" in text
    log.refresh_from_db()
    assert log.voucher_code == code.code and log.state == "sent"


def test_a_second_problem_of_the_same_parcel_gives_no_second_voucher(
    placed, overdue, emails_on, django_capture_on_commit_callbacks
):
    from saleor_aftersales.tracking import problems

    with django_capture_on_commit_callbacks(execute=True):
        problems.record("overdue", order_id=placed.pk, channel_slug="main", parcel=overdue)
    with django_capture_on_commit_callbacks(execute=True):
        problems.record("exception", order_id=placed.pk, channel_slug="main", parcel=overdue,
                        detail="Damaged")
    assert Problem.objects.filter(order_id=placed.pk).count() == 2
    assert VoucherCode.objects.count() == 1
    assert len(emails_on.messages) == 1


def test_no_voucher_when_the_owner_did_not_switch_it_on(
    placed, emails_on, shipper, django_capture_on_commit_callbacks
):
    from saleor_aftersales.tracking import problems

    shipper(placed)
    parcel = Parcel.objects.get(order_id=placed.pk)
    with django_capture_on_commit_callbacks(execute=True):
        problems.record("exception", order_id=placed.pk, channel_slug="main", parcel=parcel)
    delay = [m for m in emails_on.messages if m["X-Aftersales-Event"] == "delay"]
    assert len(delay) == 1
    assert not VoucherCode.objects.exists()
