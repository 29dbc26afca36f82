"""Delay vouchers, review requests, staff digest, A/B subjects, consent and text messages."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

from saleor_aftersales.core.parcel_status import ParcelStatus
from saleor_aftersales.models import (
    EngagementEvent,
    NotificationLog,
    Parcel,
    Problem,
    Review,
    ReviewRequest,
)
from saleor_aftersales.notifications import delivery, experiments, rules
from saleor_aftersales.orchestration import lifecycle
from sandbox import factories
from sandbox import models as shop

from .conftest import local, parts

pytestmark = pytest.mark.django_db
DHL = "00340434161094042557"


def tracked_parcel(make_order, capture, **kwargs):
    order = make_order(lines=2, parcels=1, tracking_numbers=[DHL], **kwargs)
    with capture(execute=True):
        lifecycle.handle_order_event(str(order.pk), "order_fulfilled")
    return order, Parcel.objects.get(order_id=order.pk)


def test_delay_apology_with_one_voucher_even_when_repeated(
    mail_channel, make_order, smtp, django_capture_on_commit_callbacks
):
    factories.make_channel("default-channel", delay_voucher_enabled="true",
                           delay_voucher_percent="15", email_events="delay")
    order, parcel = tracked_parcel(make_order, django_capture_on_commit_callbacks,
                                   language_code="de")
    with django_capture_on_commit_callbacks(execute=True):
        for kind in (Problem.Kind.OVERDUE, Problem.Kind.EXCEPTION, Problem.Kind.OVERDUE):
            problem = Problem.objects.create(key=f"{kind}:{parcel.pk}:{timezone.now()}",
                                             order_id=order.pk, channel_slug="default-channel",
                                             parcel=parcel, kind=kind)
            rules.on_problem(problem)
    log = NotificationLog.objects.get(event="delay")
    log.state = "pending"  # as if the task ran again after a crash
    log.save()
    delivery.deliver(log.pk)
    assert shop.Voucher.objects.count() == 1
    voucher = shop.Voucher.objects.get()
    assert voucher.percent == 15 and voucher.usage_limit == 1
    assert len(smtp.inbox.messages) == 2  # the forced resend reuses the same voucher
    text, html = parts(smtp.inbox.messages[0])
    assert voucher.code in text and voucher.code in html
    assert "15 % Rabatt" in text
    assert str(smtp.inbox.messages[0]["Subject"]).strip().startswith("Ihre Bestellung")


def test_review_request_only_for_delivered_unreviewed_live_orders(
    mail_channel, make_order, smtp, django_capture_on_commit_callbacks
):
    orders = []
    for _ in range(4):
        order, parcel = tracked_parcel(make_order, django_capture_on_commit_callbacks)
        parcel.status = ParcelStatus.DELIVERED
        parcel.delivered_at = timezone.now() - timedelta(days=8)
        parcel.save()
        rules.on_parcel_status(parcel, ParcelStatus.OUT_FOR_DELIVERY, ParcelStatus.DELIVERED)
        orders.append(order)
    assert ReviewRequest.objects.count() == 4
    ok, reviewed, cancelled, refunded = orders
    Review.objects.create(order_id=reviewed.pk, channel_slug="default-channel", rating=5)
    cancelled.status = "canceled"
    cancelled.save()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.handle_order_event(str(cancelled.pk), "order_cancelled")
        lifecycle.handle_order_event(str(refunded.pk), "order_refunded")
    smtp.inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert rules.send_due_review_requests() == 1
        assert rules.send_due_review_requests() == 0  # repeated beat: nothing new
    assert [m["Subject"] for m in smtp.inbox.messages] == [f"How was your order {ok.number}?"]
    assert ReviewRequest.objects.get(order_id=ok.pk).sent_at is not None
    text, _ = parts(smtp.inbox.messages[0])
    assert "/status/" in text and "review=1" in text


def test_staff_digest_lists_open_problems_once(
    mail_channel, make_order, smtp, django_capture_on_commit_callbacks
):
    order, parcel = tracked_parcel(make_order, django_capture_on_commit_callbacks)
    Problem.objects.create(key="no_scan:x", order_id=order.pk, channel_slug="default-channel",
                           parcel=parcel, kind=Problem.Kind.NO_SCAN, detail="Label only")
    smtp.inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert rules.send_staff_digests() == 1
        assert rules.send_staff_digests() == 0
    [message] = smtp.inbox.messages
    assert message["To"] == "ops@shop.example.com"
    assert message["Subject"] == "1 delivery problem needs your attention"
    text, html = parts(message)
    assert order.number.__str__() in text and "No carrier scan" in html and "Label only" in text
    assert Problem.objects.get().notified_at is not None


def test_ab_subject_variant_is_kept_per_order_and_reported(
    mail_channel, make_order, smtp, client, django_capture_on_commit_callbacks
):
    factories.make_channel("default-channel", marketing_consent_rule="always",
                           email_subjects_b="shipped = On its way: {{ order.number }}")
    # the draw hashes the (random) order id: ship orders until both arms are seen; a draw
    # stuck on one arm fails after 40 orders (chance 2**-39 for a fair draw)
    for _ in range(40):
        tracked_parcel(make_order, django_capture_on_commit_callbacks)
        logs = list(NotificationLog.objects.filter(event="shipped").order_by("pk"))
        if {log.variant for log in logs} == {"A", "B"}:
            break
    assert {log.variant for log in logs} == {"A", "B"}
    for log, message in zip(logs, smtp.inbox.messages, strict=True):
        number = shop.Order.objects.get(pk=log.order_id).number
        expected = f"On its way: {number}" if log.variant == "B" else (
            f"Your order {number} is on its way")
        assert message["Subject"] == expected
    # the variant stays with the order
    first = logs[0]
    assert experiments.variant_for(
        factories.make_channel("default-channel") and rules.get_host().get_config(
            "default-channel"), str(first.order_id), "shipped") == first.variant
    # one open (twice) and one click on the first message
    _, html = parts(smtp.inbox.messages[0])
    pixel = html.split('src="')[-1].split('"')[0]
    assert client.get(local(pixel))["Content-Type"] == "image/gif"
    client.get(local(pixel))
    click = next(u for u in html.split('href="')[1:] if "/mail/click/" in u).split('"')[0]
    assert client.get(local(click.replace("&amp;", "&"))).status_code == 302
    stats = {s.variant: s for s in experiments.report("default-channel", "shipped")}
    assert sum(s.sent for s in stats.values()) == len(logs)
    assert stats[first.variant].opened == 1 and stats[first.variant].clicked == 1
    assert EngagementEvent.objects.filter(kind="open").count() == 1


def test_without_consent_no_pixel_no_click_tracking_no_cross_sell(
    mail_channel, make_order, smtp, django_capture_on_commit_callbacks
):
    factories.make_product("Wool Beanie")  # something to recommend
    tracked_parcel(make_order, django_capture_on_commit_callbacks)  # no consent metadata
    tracked_parcel(make_order, django_capture_on_commit_callbacks,
                   metadata={"marketing_consent": "true"})
    no, yes = (parts(m)[1] for m in smtp.inbox.messages)
    assert "/mail/open/" not in no and "/mail/click/" not in no
    assert "You might also like" not in no
    assert "/mail/open/" in yes and "/mail/click/" in yes and "You might also like" in yes


def test_click_redirect_refuses_hosts_outside_the_allow_list(mail_channel, client):
    from saleor_aftersales.notifications import links

    config = rules.get_host().get_config("default-channel")
    good = links.click_url(config, 0, "https://shop.example.com/sale")
    evil = links.click_url(config, 0, "https://evil.example.net/phish")
    assert client.get(local(good))["Location"] == "https://shop.example.com/sale"
    assert client.get(local(evil)).status_code == 400


class _Twilio(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        form = parse_qs(self.rfile.read(length).decode())
        _Twilio.received.append({"path": self.path, "auth": self.headers["Authorization"],
                                 **{k: v[0] for k, v in form.items()}})
        body = json.dumps({"sid": "SM123"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_whatsapp_through_twilio_compatible_provider(
    mail_channel, make_order, smtp, django_capture_on_commit_callbacks
):
    server = HTTPServer(("127.0.0.1", 0), _Twilio)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        factories.make_channel(
            "default-channel", sms_enabled="true",
            sms_api_url=f"http://127.0.0.1:{server.server_port}/2010-04-01/Accounts/{{sid}}/"
            "Messages.json",
            sms_account_sid="AC1", sms_auth_token="tok", sms_from="whatsapp:+4930123",
        )
        order, parcel = tracked_parcel(make_order, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            rules.on_parcel_status(parcel, ParcelStatus.IN_TRANSIT,
                                   ParcelStatus.OUT_FOR_DELIVERY)
            rules.on_parcel_status(parcel, ParcelStatus.IN_TRANSIT,
                                   ParcelStatus.OUT_FOR_DELIVERY)
    finally:
        server.shutdown()
    [sms] = _Twilio.received
    assert sms["path"] == "/2010-04-01/Accounts/AC1/Messages.json"
    assert sms["To"] == "whatsapp:+49 221 1234567" and sms["From"] == "whatsapp:+4930123"
    assert sms["Body"].startswith(f"Your parcel from order {order.number} arrives today")
    assert sms["auth"].startswith("Basic ")
    assert NotificationLog.objects.get(medium="sms").state == "sent"
