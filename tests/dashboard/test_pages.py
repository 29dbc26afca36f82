"""The dashboard app in the sandbox: manifest, shells, token checks and the order widget's
actions, over HTTP with Django's test client (the browser tests click the same pages)."""

from __future__ import annotations

from django.utils import timezone
from graphql_relay import to_global_id

from saleor_aftersales.core.links import read_token
from saleor_aftersales.models import NotificationLog, Parcel, Problem
from sandbox import factories
from sandbox import models as shop

from .conftest import ROOT, get, post


def test_manifest_declares_the_three_mounts_with_absolute_urls(client, db):
    response = client.get(f"{ROOT}/manifest.json")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == "io.github.saleor-aftersales"
    assert data["permissions"] == ["MANAGE_ORDERS"]
    assert data["appUrl"] == f"http://testserver{ROOT}/"
    mounts = {(e["mount"], e["target"]): e for e in data["extensions"]}
    assert set(mounts) == {
        ("ORDER_DETAILS_WIDGETS", "WIDGET"),
        ("NAVIGATION_ORDERS", "APP_PAGE"),
        ("ORDER_DETAILS_MORE_ACTIONS", "POPUP"),
    }
    assert (
        mounts["ORDER_DETAILS_WIDGETS", "WIDGET"]["url"] == f"http://testserver{ROOT}/order-widget"
    )
    assert mounts["NAVIGATION_ORDERS", "APP_PAGE"]["url"] == "/problems"
    assert all(e["permissions"] == ["MANAGE_ORDERS"] for e in data["extensions"])


def test_shell_has_no_data_and_a_strict_csp(client, order_with_problem):
    response = client.get(f"{ROOT}/order-widget?orderId={order_with_problem.pk}&locale=de")
    assert response.status_code == 200
    body = response.content.decode()
    assert str(order_with_problem.number) not in body
    assert 'lang="de"' in body and "Warten auf das Saleor-Dashboard" in body
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "default-src 'none'" in csp and "frame-ancestors" in csp


def test_widget_needs_a_valid_token_with_manage_orders_in_the_channel(
    client, order_with_problem, token
):
    url = f"{ROOT}/api/orders/{to_global_id('Order', str(order_with_problem.pk))}"
    assert get(client, url).status_code == 401
    assert get(client, url, "forged-token").status_code == 401
    assert get(client, url, token(app="someone.else")).status_code == 401
    assert get(client, url, token(permissions=("MANAGE_PRODUCTS",))).status_code == 403
    assert get(client, url, token(channels=["other-channel"])).status_code == 403
    response = get(client, url, token(channels=["default-channel"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Aftersales of order {order_with_problem.number}" in body
    assert "00340434161094042557" in body and "Late" in body and "Shipped" in body


def test_widget_speaks_german(client, order_with_problem, token):
    response = get(client, f"{ROOT}/api/orders/{order_with_problem.pk}?lang=de", token())
    body = response.content.decode()
    assert "Offene Probleme" in body and "Sendungsnummer" in body


def test_set_carrier_and_tracking_number(client, order_with_problem, token):
    parcel = Parcel.objects.filter(order_id=order_with_problem.pk).order_by("pk").last()
    url = f"{ROOT}/api/orders/{order_with_problem.pk}/parcels/{parcel.pk}/tracking"
    response = post(
        client, url, {"carrier": "ups", "tracking_number": "1Z999AA10123456784"}, token()
    )
    assert response.status_code == 200, response.content
    assert "Tracking saved" in response.content.decode()
    parcel.refresh_from_db()
    assert (parcel.carrier, parcel.carrier_source) == ("ups", "staff")
    assert parcel.tracking_number == "1Z999AA10123456784"
    fulfillment = shop.Fulfillment.objects.get(pk=parcel.fulfillment_id)
    assert fulfillment.tracking_number == "1Z999AA10123456784"


def test_a_bad_tracking_number_is_refused_with_a_message(client, order_with_problem, token):
    parcel = Parcel.objects.filter(order_id=order_with_problem.pk).first()
    url = f"{ROOT}/api/orders/{order_with_problem.pk}/parcels/{parcel.pk}/tracking"
    response = post(client, url, {"carrier": "", "tracking_number": "x" * 300}, token())
    assert response.status_code == 400
    assert "not a tracking number" in response.content.decode()


def test_resolve_resend_and_refresh(client, order_with_problem, token):
    order_id = order_with_problem.pk
    problem = Problem.objects.get(order_id=order_id)
    response = post(
        client, f"{ROOT}/api/orders/{order_id}/problems/{problem.pk}/resolve", {}, token()
    )
    assert response.status_code == 200 and "Problem resolved." in response.content.decode()
    problem.refresh_from_db()
    assert problem.resolved_at is not None

    message = NotificationLog.objects.get(order_id=order_id)
    url = f"{ROOT}/api/orders/{order_id}/messages/{message.pk}/resend"
    assert "being sent again" in post(client, url, {}, token()).content.decode()
    assert "already sent again" in post(client, url, {}, token()).content.decode()
    assert NotificationLog.objects.filter(order_id=order_id, event="shipped").count() == 2

    factories.make_channel("default-channel", dhl_api_key="test-key")  # a carrier API
    parcel = Parcel.objects.filter(order_id=order_id, carrier="dhl").first()
    url = f"{ROOT}/api/orders/{order_id}/parcels/{parcel.pk}/refresh"
    response = post(client, url, {}, token())
    assert response.status_code == 200
    assert "carrier will be asked now" in response.content.decode()
    parcel.refresh_from_db()
    assert parcel.next_check_at <= timezone.now()
    # a parcel without a tracking number cannot be checked: no button, and a clear refusal
    bare = Parcel.objects.filter(order_id=order_id, tracking_number="").first()
    body = get(client, f"{ROOT}/api/orders/{order_id}", token()).content.decode()
    assert f"/parcels/{parcel.pk}/refresh" in body and f"/parcels/{bare.pk}/refresh" not in body
    response = post(client, f"{ROOT}/api/orders/{order_id}/parcels/{bare.pk}/refresh", {}, token())
    assert response.status_code == 400
    assert "Not possible for this parcel" in response.content.decode()


def test_actions_on_another_orders_items_are_not_found(
    client, order_with_problem, make_order, token
):
    other = make_order(lines=1)
    problem = Problem.objects.get(order_id=order_with_problem.pk)
    response = post(
        client, f"{ROOT}/api/orders/{other.pk}/problems/{problem.pk}/resolve", {}, token()
    )
    assert response.status_code == 404
    problem.refresh_from_db()
    assert problem.resolved_at is None


def test_copy_link_is_the_shoppers_signed_status_link(client, order_with_problem, token):
    body = get(client, f"{ROOT}/api/orders/{order_with_problem.pk}", token()).content.decode()
    start = body.index('id="as-status-link" value="') + len('id="as-status-link" value="')
    link = body[start : body.index('"', start)]
    assert "/plugins/channel/default-channel/" in link
    payload = read_token(link.rsplit("/status/", 1)[1], max_age_days=30)
    assert payload["o"] == str(order_with_problem.pk)


def test_problem_queue_filters_and_resolves_in_bulk(client, order_with_problem, make_order, token):
    assert get(client, f"{ROOT}/api/problems").status_code == 401
    body = get(client, f"{ROOT}/api/problems", token()).content.decode()
    assert "1 open problem" in body and f"#{order_with_problem.number}" in body
    body = get(client, f"{ROOT}/api/problems?kind=exception", token()).content.decode()
    assert "0 open problems" in body
    hidden = get(client, f"{ROOT}/api/problems", token(channels=["other"])).content.decode()
    assert f"#{order_with_problem.number}" not in hidden
    problem = Problem.objects.get(order_id=order_with_problem.pk)
    # a staff member of another channel cannot resolve it
    post(
        client, f"{ROOT}/api/problems/resolve", {"problem": [problem.pk]}, token(channels=["other"])
    )
    problem.refresh_from_db()
    assert problem.resolved_at is None
    response = post(client, f"{ROOT}/api/problems/resolve", {"problem": [problem.pk]}, token())
    assert "1 problem resolved." in response.content.decode()
    problem.refresh_from_db()
    assert problem.resolved_at is not None


def test_the_demos_standin_dashboard_hands_a_working_token(client, order_with_problem):
    import json
    import re

    body = client.get(
        f"/dashboard-standin/?page=widget&order={order_with_problem.pk}&lang=de"
    ).content.decode()
    src = re.search(r'src="([^"]+)"', body).group(1)
    assert src.startswith(f"{ROOT}/order-widget?orderId=")
    token = json.loads(re.search(r"const token = (\"[^\"]+\")", body).group(1))
    response = get(client, f"{ROOT}/api/orders/{order_with_problem.pk}", token)
    assert response.status_code == 200


def test_an_action_is_post_only_and_a_page_get_only(client, order_with_problem, token):
    """A GET never resolves anything (a prefetching browser or a pasted link changes no state);
    a POST to a page is refused. Both say which method the route takes."""
    problem = Problem.objects.get(order_id=order_with_problem.pk)
    url = f"{ROOT}/api/problems/resolve?problem={problem.pk}"
    response = get(client, url, token())
    assert (response.status_code, response["Allow"]) == (405, "POST")
    problem.refresh_from_db()
    assert problem.resolved_at is None
    response = post(client, f"{ROOT}/api/problems", {}, token())
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")
    assert client.head(f"{ROOT}/order-widget?orderId={order_with_problem.pk}").status_code == 200


def test_the_order_widget_shows_times_in_the_shops_time_zone(client, order_with_problem, token):
    """Staff in Berlin read the problem's time as their shop keeps it, not in UTC."""
    from datetime import UTC, datetime

    from saleor_aftersales.core import formatting

    factories.make_channel("default-channel", time_zone="Europe/Berlin")
    detected = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    Problem.objects.filter(order_id=order_with_problem.pk).update(detected_at=detected)
    body = get(client, f"{ROOT}/api/orders/{order_with_problem.pk}", token()).content.decode()
    berlin = formatting.local_datetime(detected, "en", "Europe/Berlin")
    assert "12:00" in berlin and berlin in body
    assert formatting.local_datetime(detected, "en", "UTC") not in body
    german = get(client, f"{ROOT}/api/orders/{order_with_problem.pk}?lang=de", token())
    assert formatting.local_datetime(detected, "de", "Europe/Berlin") in german.content.decode()


def test_the_problem_queue_reads_in_the_zone_its_shops_keep(client, order_with_problem, token):
    """One shop's queue shows its time zone; a queue across zones shows the server's."""
    from datetime import UTC, datetime

    factories.make_channel("default-channel", time_zone="Europe/Berlin")
    detected = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # already 2 July in Berlin
    Problem.objects.filter(order_id=order_with_problem.pk).update(detected_at=detected)
    body = get(client, f"{ROOT}/api/problems", token()).content.decode()
    assert "July 2, 2026" in body and "July 1, 2026" not in body
    factories.make_channel("other-channel", time_zone="America/New_York")
    Problem.objects.create(key="other", order_id=order_with_problem.pk,
                           channel_slug="other-channel", kind="overdue", detected_at=detected)
    across = get(client, f"{ROOT}/api/problems", token()).content.decode()
    assert "July 1, 2026" in across and "July 2, 2026" not in across, "the server's zone (UTC)"
