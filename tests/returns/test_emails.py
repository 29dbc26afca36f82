"""Return emails through the notifications pipeline: one per step and return, in German
for a German order, to a loopback SMTP server; inspection notes stay with staff."""

from __future__ import annotations

import pytest

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import NotificationLog
from saleor_aftersales.returns import service
from sandbox import celery as sandbox_celery
from sandbox import factories

from ..notifications.conftest import SmtpServer, mail_config, parts
from .conftest import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp():
    sandbox_celery.app.set_current()
    sandbox_celery.app.set_default()
    server = SmtpServer().start()
    yield server
    server.stop()


def _flow(order, capture, *, resolution="store_credit", reject=False):
    host = get_host()
    view = host.get_order(str(order.pk))
    line = list(order.lines.all())[1]
    with capture(execute=True):
        request = service.submit(
            view,
            host.get_config(view.channel_slug),
            host,
            [service.LineRequest(str(line.pk), 1, "too_small")],
            resolution=resolution,
        )
    with capture(execute=True):
        if reject:
            return service.reject(request.pk, "Getragen und ohne Etikett")
        service.approve(request.pk, host)
    for _ in range(2):  # "received" twice: each email once
        with capture(execute=True):
            request = service.mark_received(request.pk, host, {str(line.pk): "Fleck am Ärmel"})
    return request


def test_each_step_sends_one_email_in_the_orders_language(
    returns_channel, smtp, django_capture_on_commit_callbacks
):
    factories.make_channel("default-channel", **mail_config(smtp.url))
    order = deliver(
        factories.make_order(lines=2, parcels=2, channel=returns_channel, language_code="de")
    )
    request = _flow(order, django_capture_on_commit_callbacks)
    subjects = [str(m["Subject"]).strip() for m in smtp.inbox.messages]
    number = order.number
    assert subjects == [
        f"Wir haben Ihre Rücksendeanfrage zu Bestellung {number}",
        f"Ihre Rücksendung zu Bestellung {number} ist genehmigt",
        f"Ihre Rücksendung zu Bestellung {number} ist angekommen",
        f"Ihre Rücksendung zu Bestellung {number} ist abgeschlossen",
    ]
    text, html = parts(smtp.inbox.messages[-1])
    assert request.gift_card_code in text and request.gift_card_code in html
    assert "Ihr Guthaben ist bereit" in html
    assert all("Fleck am Ärmel" not in parts(m)[1] for m in smtp.inbox.messages)
    assert NotificationLog.objects.filter(event__startswith="return_").count() == 4
    assert all(m["List-Unsubscribe"] is None for m in smtp.inbox.messages)  # asked for


def test_rejection_tells_the_reason(returns_channel, smtp, django_capture_on_commit_callbacks):
    factories.make_channel("default-channel", **mail_config(smtp.url))
    order = deliver(factories.make_order(lines=2, parcels=2, channel=returns_channel))
    _flow(order, django_capture_on_commit_callbacks, reject=True)
    last = smtp.inbox.messages[-1]
    assert last["Subject"] == f"We cannot accept your return for order {order.number}"
    assert "Getragen und ohne Etikett" in parts(last)[0]


def test_no_return_emails_while_emails_are_off(
    returns_channel, smtp, django_capture_on_commit_callbacks
):
    order = deliver(factories.make_order(lines=2, parcels=2, channel=returns_channel))
    _flow(order, django_capture_on_commit_callbacks)
    assert smtp.inbox.messages == [] and not NotificationLog.objects.exists()
