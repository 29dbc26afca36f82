"""Emails through a real SMTP server on loopback: content, links, language, idempotency."""

from __future__ import annotations

import re

import pytest
from celery.exceptions import Retry

from saleor_aftersales.core.links import read_token
from saleor_aftersales.core.parcel_status import ParcelStatus
from saleor_aftersales.models import EngagementEvent, NotificationLog, Parcel, Unsubscribe
from saleor_aftersales.notifications import delivery, rules
from saleor_aftersales.orchestration import lifecycle
from saleor_aftersales.tasks import send_notification_task
from sandbox import factories

from .conftest import BASE, SmtpServer, local, mail_config, parts

pytestmark = pytest.mark.django_db

DHL = "00340434161094042557"


def ship(make_order, capture, **kwargs):
    """An order with one parcel (DHL number), run through the fulfillment hook."""
    kwargs.setdefault("tracking_numbers", [DHL])
    order = make_order(lines=2, parcels=1, **kwargs)
    fulfillment = order.fulfillments.first()
    with capture(execute=True):
        lifecycle.handle_fulfillment_event(str(fulfillment.pk), "fulfillment_created")
    return order


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html.replace("&amp;", "&"))


def test_shipped_email_in_german_with_signed_working_links(
    mail_channel, make_order, smtp, client, django_capture_on_commit_callbacks
):
    factories.make_channel("default-channel", marketing_consent_rule="always")
    order = ship(make_order, django_capture_on_commit_callbacks, language_code="de")

    assert len(smtp.inbox.messages) == 1
    message = smtp.inbox.messages[0]
    assert smtp.inbox.envelopes[0][1] == ["erika@example.com"]
    assert message["To"] == "erika@example.com"
    assert message["From"] == "Nordwind Outfitters <service@shop.example.com>"
    assert message["Subject"] == f"Ihre Bestellung {order.number} ist unterwegs"
    text, html = parts(message)
    assert "Ihr Paket ist unterwegs" in text and DHL in text
    assert "Ihr Paket ist unterwegs" in html and "<strong>" in html
    # CSS is inlined: the button is a table cell in the brand colour (attribute for Outlook).
    assert re.search(r'class="button-cell" bgcolor="#1f6feb"[^>]*style="background-color:#1f6feb',
                     html)
    assert "<link" not in html
    # Every link is a signed click redirect that leads where it says.
    links = [u for u in hrefs(html) if "/mail/click/" in u]
    assert links, html
    for url in links:
        response = client.get(local(url))
        assert response.status_code == 302
        target = response["Location"]
        assert target.startswith(("https://www.dhl.de/", BASE + "/status/",
                                  "https://shop.example.com"))
        if "/status/" in target:
            assert read_token(target.rsplit("/", 1)[1].split("?")[0], max_age_days=1)["o"] == str(
                order.pk
            )
    assert EngagementEvent.objects.filter(kind="click", order_id=order.pk).count() == len(links)
    # A tampered link is refused.
    assert client.get(local(links[0])[:-3] + "xyz").status_code == 400
    # Non-essential: unsubscribe header + one-click POST header.
    assert str(message["List-Unsubscribe"]).strip().startswith(f"<{BASE}/mail/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_english_order_gets_english_email_and_unknown_language_falls_back(
    mail_channel, make_order, smtp, django_capture_on_commit_callbacks
):
    ship(make_order, django_capture_on_commit_callbacks, language_code="en")
    ship(make_order, django_capture_on_commit_callbacks, language_code="pt-BR")
    subjects = [m["Subject"] for m in smtp.inbox.messages]
    assert len(subjects) == 2
    assert all(s.startswith("Your order ") and s.endswith(" is on its way") for s in subjects)


def test_repeated_trigger_sends_once(mail_channel, make_order, smtp,
                                     django_capture_on_commit_callbacks):
    order = ship(make_order, django_capture_on_commit_callbacks)
    fulfillment = order.fulfillments.first()
    parcel = Parcel.objects.get(fulfillment_id=str(fulfillment.pk))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            lifecycle.handle_fulfillment_event(str(fulfillment.pk), "tracking_number_updated")
            lifecycle.handle_order_event(str(order.pk), "order_fulfilled")
            rules.on_parcel_status(parcel, ParcelStatus.LABEL_CREATED, ParcelStatus.IN_TRANSIT)
    for log in NotificationLog.objects.all():  # a redelivered task is harmless too
        assert delivery.deliver(log.pk) == "sent"
    assert len(smtp.inbox.messages) == 1
    assert NotificationLog.objects.get().state == "sent"


def test_nothing_is_sent_before_emails_are_switched_on_or_when_inactive(
    channel, make_order, smtp, django_capture_on_commit_callbacks
):
    factories.make_channel("default-channel", **mail_config(smtp.url, emails_enabled="false"))
    ship(make_order, django_capture_on_commit_callbacks)
    off = factories.make_channel("off", active=False, **mail_config(smtp.url))
    order = factories.make_order(lines=1, parcels=1, channel=off, tracking_numbers=[DHL])
    with django_capture_on_commit_callbacks(execute=True):
        fulfillment_id = str(order.fulfillments.first().pk)
        lifecycle.handle_fulfillment_event(fulfillment_id, "fulfillment_created")
    assert smtp.inbox.messages == []
    assert not NotificationLog.objects.exists()


def test_trigger_off_or_empty_template_sends_nothing(
    channel, make_order, smtp, django_capture_on_commit_callbacks
):
    factories.make_channel("default-channel", **mail_config(smtp.url, shipped_template=""))
    ship(make_order, django_capture_on_commit_callbacks)
    factories.make_channel("default-channel", shipped_template="default",
                           email_events="delivered,delay")
    ship(make_order, django_capture_on_commit_callbacks)
    assert smtp.inbox.messages == []


def test_unsubscribe_one_click_is_honoured_but_essential_mail_still_goes(
    mail_channel, make_order, smtp, client, django_capture_on_commit_callbacks
):
    factories.make_channel("default-channel", confirmation_mode="replace")
    ship(make_order, django_capture_on_commit_callbacks)
    url = str(smtp.inbox.messages[0]["List-Unsubscribe"]).strip().strip("<>")
    page = client.get(local(url))
    assert page.status_code == 200 and b"erika@example.com" in page.content
    assert not Unsubscribe.objects.exists()  # GET (link scanners) changes nothing
    response = client.post(local(url), data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Unsubscribe.objects.filter(email="erika@example.com").exists()

    order = ship(make_order, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.handle_order_event(str(order.pk), "order_created")
    subjects = [m["Subject"] for m in smtp.inbox.messages]
    assert len(subjects) == 2 and subjects[1].startswith("Thank you for your order")
    assert "List-Unsubscribe" not in smtp.inbox.messages[1]
    assert NotificationLog.objects.filter(event="shipped", state="skipped").count() == 1


def test_smtp_down_retries_with_backoff_then_gives_up_and_records_it(
    channel, make_order, settings, django_capture_on_commit_callbacks
):
    settings.AFTERSALES_NOTIFICATION_MAX_ATTEMPTS = 3
    settings.AFTERSALES_NOTIFICATION_RETRY_BASE = 10
    down = SmtpServer()  # never started: connection refused
    factories.make_channel("default-channel", **mail_config(down.url))
    ship(make_order, django_capture_on_commit_callbacks)  # attempt 1 (asks for a retry)
    log = NotificationLog.objects.get()
    assert (log.state, log.attempts) == ("pending", 1)
    countdowns = []
    for _ in range(5):  # what the worker does when the retries come due
        try:
            state = send_notification_task.apply(args=[log.pk]).get()
        except Retry as exc:
            countdowns.append(exc.when)
            continue
        break
    log.refresh_from_db()
    assert state == "failed" and log.state == "failed"
    assert log.attempts == 3
    assert countdowns == [20.0]  # attempt 2 failed → retry in 10 * 2 s; attempt 3 gives up
    assert "Connection refused" in log.error or "Errno" in log.error
    assert send_notification_task.apply(args=[log.pk]).get() == "failed"  # nobody tries again


def test_a_message_sent_again_after_a_crash_keeps_its_message_id(
    mail_channel, make_order, smtp, django_capture_on_commit_callbacks
):
    """A worker killed between the SMTP server's 250 and the commit leaves the row pending; the
    sweep sends it again, and the receiver can recognise the copy by its Message-ID."""
    ship(make_order, django_capture_on_commit_callbacks)
    log = NotificationLog.objects.get()
    NotificationLog.objects.filter(pk=log.pk).update(state="pending")  # the lost commit
    assert delivery.deliver(log.pk) == "sent"
    first, second = smtp.inbox.messages
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Message-ID"] == delivery.message_id(log, "service@shop.example.com")
    assert first["Message-ID"].endswith("@shop.example.com>")
