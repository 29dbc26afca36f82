"""The demo's "play" control: move every sample journey one step forward in time.

One step: an order awaiting payment gets paid, a paid order that waits is shipped, every
parcel on its way gets its next carrier event (through the real tracking service), and the
beat tasks run, the review sweep as if ``review_delay_days`` had passed, so review requests
arrive once parcels are delivered. Emails follow through the notification pipeline.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from saleor_aftersales import tasks
from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel
from saleor_aftersales.notifications.rules import send_due_review_requests
from saleor_aftersales.orchestration import lifecycle
from sandbox import factories
from sandbox import models as m

from . import journeys, shop
from .seed import tracking_number


def _pay_waiting(channel: m.Channel) -> list[str]:
    done = []
    waiting = m.Order.objects.filter(channel=channel, charge_status="none").exclude(
        status__in=("canceled", "cancelled"))
    for order in waiting:
        m.Order.objects.filter(pk=order.pk).update(charge_status="full")
        lifecycle.handle_order_event(str(order.pk), "order_fully_paid")
        done.append(f"Order {order.number}: payment confirmed")
    return done


def _ship_waiting(channel: m.Channel, paid_before: set) -> list[str]:
    done = []
    waiting = m.Order.objects.filter(channel=channel, status="unfulfilled",
                                     charge_status="full", pk__in=paid_before)
    for order in waiting:
        carrier, api = ("dhl", "dhl") if order.language_code == "de" else ("ups", "aftership")
        m.Order.objects.filter(pk=order.pk).update(
            shipping_method_name="DHL Paket" if carrier == "dhl" else "UPS Standard")
        number = tracking_number(carrier, 9000 + order.number)
        fulfillment = factories.add_fulfillment(order, list(order.lines.all()), number)
        lifecycle.handle_fulfillment_event(str(fulfillment.pk), "fulfillment_created")
        parcel = Parcel.objects.get(fulfillment_id=str(fulfillment.pk))
        journeys.start(parcel, api, "standard")
        done.append(f"Order {order.number}: shipped, tracking number {number}")
    return done


def play() -> list[str]:
    """Move the sample shop one step forward; returns what happened, one line each."""
    channel = m.Channel.objects.get(slug=shop.CHANNEL)
    paid_before = set(
        m.Order.objects.filter(channel=channel, charge_status="full").values_list("pk", flat=True)
    )
    done = _pay_waiting(channel) + _ship_waiting(channel, paid_before)
    numbers = dict(m.Order.objects.filter(channel=channel).values_list("pk", "number"))
    for parcel, step in journeys.advance():
        done.append(f"Order {numbers.get(parcel.order_id, '?')}, parcel "
                    f"{parcel.tracking_number}: {step.text}")
    tasks.detect_problems_task.delay()
    config = get_host().get_config(channel.slug)
    if config is not None:
        # "a week later": the review requests of orders delivered by now are due
        later = timezone.now() + timedelta(days=config.review_delay_days, hours=1)
        send_due_review_requests(now=later)
    return done
