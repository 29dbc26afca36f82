"""Sample returns of the demo shop, in several states, made through the returns service at the
moments they happened: Hannah asks to return one item (waiting for approval) and is refused
another; Felix got a refund for one item and exchanged the other for another size.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel
from saleor_aftersales.returns import service
from sandbox import factories
from sandbox import models as m

#: The channel's return rules in the demo.
CONFIG = {
    "returns_enabled": True,
    "return_window_days": 30,
    "return_approval": "manual",
    "return_resolutions": "refund,exchange,store_credit",
    "return_address": "Nordwind Outfitters · Retouren\nLagerstraße 5\n50668 Köln",
}


def _at(moment: datetime):
    return time_machine.travel(moment, tick=True)


def _order(email: str) -> m.Order | None:
    return m.Order.objects.filter(user_email=email).order_by("created_at").first()


def _delivered_at(order: m.Order) -> datetime:
    parcel = Parcel.objects.filter(order_id=order.pk).order_by("-delivered_at").first()
    return parcel.delivered_at if parcel and parcel.delivered_at else datetime.now(UTC)


def _line(order: m.Order, n: int, quantity: int, reason: str, exchange: str = ""):
    line = list(order.lines.all())[n]
    return service.LineRequest(str(line.pk), min(quantity, line.quantity), reason, exchange)


def _submit(order: m.Order, lines, resolution: str):
    host = get_host()
    view = host.get_order(str(order.pk))
    return service.submit(view, host.get_config(view.channel_slug), host, lines,
                          resolution=resolution, comment="")


def _other_size(variant: m.Variant) -> m.Variant:
    """A second size of the product, in stock (what an exchange needs)."""
    other = m.Variant.objects.filter(product=variant.product).exclude(pk=variant.pk).first()
    return other or m.Variant.objects.create(
        product=variant.product, name="L" if variant.name != "L" else "XL",
        sku=f"{variant.sku}-2", price=variant.price, stock=12)


def seed_returns(channel: m.Channel) -> None:
    """Create the sample returns once (nothing if the demo's delivered orders are missing)."""
    factories.make_channel(channel.slug, **CONFIG)
    host = get_host()
    hannah, felix = _order("hannah.hoffmann@example.com"), _order("felix.schulz@example.com")
    if hannah is not None:
        start = _delivered_at(hannah) + timedelta(days=1, hours=3)
        with _at(start):
            _submit(hannah, [_line(hannah, 0, 1, "too_large")], "refund")  # waits for staff
        with _at(start + timedelta(minutes=20)):
            worn = _submit(hannah, [_line(hannah, 1, 1, "changed_mind")], "store_credit")
        with _at(start + timedelta(hours=20)):
            service.reject(worn.pk, "Das Produkt wurde bereits getragen und ist vom "
                                    "Umtausch ausgeschlossen.")
    if felix is not None:
        start = _delivered_at(felix) + timedelta(days=2)
        with _at(start):
            refund = _submit(felix, [_line(felix, 0, 1, "damaged")], "refund")
        variant = list(felix.lines.all())[1].variant
        with _at(start + timedelta(minutes=5)):
            swap = _submit(felix, [_line(felix, 1, 1, "too_small",
                                         str(_other_size(variant).pk))], "exchange")
        for days, step in ((0.3, "approve"), (4, "receive")):
            with _at(start + timedelta(days=days)):
                for request in (refund, swap):
                    if step == "approve":
                        service.approve(request.pk, host)
                    else:
                        service.mark_received(request.pk, host, {})
