"""Play the sample shop's stories through the plugin's real services, at the moments they
happened (the clock is moved with ``time_machine``): order and fulfillment events through
``lifecycle``, carrier news through ``tracking.service.apply_result``, reviews through
``engagement.reviews``, FAQ entries through the GraphQL API, and the beat tasks at the end.
Emails go out through the notification pipeline (eager Celery) into the outbox.

``seed()`` does all of this once per database; later starts only refresh what depends on the
server address (thumbnail URLs) and run the beat tasks, which send nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import time_machine
from django.test import Client

from saleor_aftersales import tasks
from saleor_aftersales.engagement.reviews import is_delivered, submit_review
from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import FaqEntry
from saleor_aftersales.orchestration import lifecycle
from sandbox import factories
from sandbox import models as m

from . import journeys, shop
from .links import STAFF_TOKEN, plugin_path

logger = logging.getLogger(__name__)
SKU_PREFIX = "NW-"


def _ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


CHECK_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _number_of(carrier: str, prefixes: list[str]) -> str:
    """The first ``prefix`` + check character that detection gives to ``carrier`` alone."""
    from saleor_aftersales.tracking import numbers

    for prefix in prefixes:
        for char in CHECK_CHARACTERS:
            if numbers.detect_carriers(prefix + char) == (carrier,):
                return prefix + char
    raise ValueError(f"no unambiguous {carrier} number from {prefixes}")


def tracking_number(carrier: str, serial: int) -> str:
    """A well-formed, made-up tracking number that detection gives to ``carrier`` alone
    (check characters included), so each demo parcel shows its carrier without a tie-break."""
    digits = str(int(hashlib.sha256(f"{carrier}:{serial}".encode()).hexdigest(), 16))
    windows = [digits[i : i + 20] for i in range(0, 40, 3)]
    prefixes = {
        "dhl": [f"003404341{w[:10]}" for w in windows],  # SSCC (NVE) on a DHL Paket label
        "ups": [f"1Z9F4E8268{w[:7]}" for w in windows],
        "dpd": [f"0{w[:13]}" for w in windows],  # 14 digits and DPD's check character
        "gls": [w[:11] for w in windows],  # 11 digits and the GLS check digit
    }[carrier]
    return _number_of(carrier, prefixes)


def products(base_url: str) -> list[m.Variant]:
    """The shop's products (created once), thumbnails served by this demo server."""
    variants = []
    for name, price, image, size in shop.PRODUCTS:
        url = f"{base_url}/static/demo/products/{image}"
        sku = SKU_PREFIX + image.removesuffix(".svg").upper()
        variant = m.Variant.objects.select_related("product").filter(sku=sku).first()
        if variant is None:
            variant = factories.make_product(name, price=Decimal(price), thumbnail_url=url)
            variant.sku, variant.name = sku, size
            variant.save(update_fields=["sku", "name"])
        elif variant.product.thumbnail_url != url:
            m.Product.objects.filter(pk=variant.product_id).update(thumbnail_url=url)
        variants.append(variant)
    return variants


def _play_story(story: shop.Story, channel: m.Channel, variants: list[m.Variant],
                serial: int) -> None:
    placed = _ago(story.placed_days_ago)
    with time_machine.travel(placed, tick=True):
        order = factories.make_order(
            lines=len(story.products), channel=channel,
            variants=[variants[i] for i in story.products], language_code=story.language,
            email=story.customer.email, address=story.customer.address(),
            shipping_method_name=_method(story), created_at=placed,
            metadata={"marketing_consent": "true"} if story.consent else {},
            charge_status="full" if story.paid else "none",
        )
        lifecycle.handle_order_event(str(order.pk), "order_created")
    if story.paid:
        with time_machine.travel(placed + timedelta(minutes=3), tick=True):
            lifecycle.handle_order_event(str(order.pk), "order_fully_paid")
    lines = list(order.lines.all())
    for n, plan in enumerate(story.parcels):
        shipped = _ago(plan.shipped_days_ago)
        number = tracking_number(plan.carrier, serial * 10 + n)
        with time_machine.travel(shipped, tick=True):
            fulfillment = factories.add_fulfillment(
                order, [lines[i] for i in plan.lines], number, created_at=shipped)
            lifecycle.handle_fulfillment_event(str(fulfillment.pk), "fulfillment_created")
        parcel = _parcel(fulfillment.pk)
        journeys.start(parcel, plan.api, plan.script)
        last = _ago(plan.last_event_hours_ago / 24)
        first = shipped + timedelta(hours=2)
        for k in range(plan.steps):
            at = first + (last - first) * (k / max(plan.steps - 1, 1))
            with time_machine.travel(at, tick=True):
                journeys.advance(at, only=parcel.fulfillment_id)
    if story.review:
        delivered = _ago(min(p.last_event_hours_ago for p in story.parcels) / 24)
        with time_machine.travel(delivered + timedelta(days=2), tick=True):
            config = get_host().get_config(channel.slug)
            view = get_host().get_order(str(order.pk))
            submit_review(str(order.pk), config, story.review[0], story.review[1],
                          delivered=is_delivered(view))
    if story.cancelled:
        with time_machine.travel(placed + timedelta(hours=5), tick=True):
            m.Order.objects.filter(pk=order.pk).update(status="canceled", charge_status="refunded")
            lifecycle.handle_order_event(str(order.pk), "order_cancelled")


def _parcel(fulfillment_id: int):
    from saleor_aftersales.models import Parcel

    return Parcel.objects.get(fulfillment_id=str(fulfillment_id))


def _method(story: shop.Story) -> str:
    carriers = {p.carrier for p in story.parcels}
    if len(carriers) == 1:
        names = {"dhl": "DHL Paket", "ups": "UPS Standard", "dpd": "DPD Classic",
                 "gls": "GLS Business Parcel"}
        return names[carriers.pop()]
    return "Standard shipping"


def _faq(channel_slug: str) -> None:
    """FAQ entries through the GraphQL API (the staff mutation a shop owner would use)."""
    client = Client()
    query = ("mutation($input: AftersalesFaqInput!) { aftersalesFaqCreate(input: $input) "
             "{ errors { field message } } }")
    for position, (language, context, question, answer) in enumerate(shop.FAQ):
        variables = {"input": {"languageCode": language, "context": context.upper(),
                               "question": question, "answer": answer, "position": position}}
        response = client.post(f"{plugin_path(channel_slug)}/graphql/",
                               json.dumps({"query": query, "variables": variables}),
                               content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {STAFF_TOKEN}")
        errors = response.json().get("data", {}).get("aftersalesFaqCreate", {}).get("errors")
        if response.status_code != 200 or errors:
            raise RuntimeError(f"FAQ entry not created: {response.content[:300]!r}")


def beat() -> None:
    """What Celery beat would run now: problems sweep, due review requests, the staff digest
    (each idempotent: a second run the same day sends nothing)."""
    tasks.detect_problems_task.delay()
    tasks.send_due_review_requests_task.delay()
    tasks.send_staff_digest_task.delay()


def seed(base_url: str) -> bool:
    """Create the sample shop once; returns whether it was created now."""
    channel = factories.make_channel(shop.CHANNEL, **shop.CONFIG)
    variants = products(base_url)
    created = not m.Order.objects.filter(channel=channel).exists()
    if created:
        journeys.reset()
        if not m.ApiToken.objects.filter(token=STAFF_TOKEN).exists():
            factories.make_api_token("staff", ("MANAGE_ORDERS",),
                                     email="ops@shop.example.com", token=STAFF_TOKEN)
        if not FaqEntry.objects.filter(channel_slug=channel.slug).exists():
            _faq(channel.slug)
        for serial, story in enumerate(shop.STORIES, start=1):
            _play_story(story, channel, variants, serial)  # autocommit: emails go at once
        from .returns import seed_returns

        seed_returns(channel)  # sample returns in several states (demo/returns.py)
    beat()
    return created
