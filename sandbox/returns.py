"""Returns in the stand-in shop: the same contracts as ``saleor_returns`` (``Host`` in base)."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.db.models import F, Sum

from saleor_aftersales.hosts.base import ReturnableLine, ReturnItem, ReturnOutcome

RETURNED_STATUSES = ("returned", "refunded_and_returned", "replaced")


def _models():
    from . import models

    return models


def _flag_off(metadata: dict | None) -> bool:
    return str((metadata or {}).get("aftersales.returnable", "")).strip().lower() == "false"


class SandboxReturnsMixin:
    """``Host`` return operations over the sandbox tables."""

    def returnable_lines(self, order_id: str) -> dict[str, ReturnableLine]:
        m = _models()
        try:
            lines = list(
                m.OrderLine.objects.filter(order_id=order_id).select_related("variant__product")
            )
        except Exception:  # an id that is no UUID
            return {}
        returned = {
            row["order_line_id"]: row["n"]
            for row in m.ReturnFulfillmentLine.objects.filter(
                order_line__in=lines, fulfillment__status__in=RETURNED_STATUSES
            )
            .values("order_line_id")
            .annotate(n=Sum("quantity"))
        }
        product_ids = {li.variant.product_id for li in lines if li.variant}
        siblings: dict[int, list[str]] = {}
        for vid, pid in (
            m.Variant.objects.filter(product_id__in=product_ids)
            .order_by("pk")
            .values_list("pk", "product_id")
        ):
            siblings.setdefault(pid, []).append(str(vid))
        result = {}
        for li in lines:
            product = li.variant.product if li.variant else None
            result[str(li.pk)] = ReturnableLine(
                line_id=str(li.pk),
                product_type=product.product_type if product else "",
                product_slug=product.slug if product else "",
                non_returnable=bool(product and _flag_off(product.metadata)),
                returned_quantity=returned.get(li.pk, 0),
                exchange_variant_ids=tuple(siblings.get(product.pk, ())) if product else (),
            )
        return result

    def return_reasons(self, channel_slug: str, language_code: str) -> list[tuple[str, str]] | None:
        pages = list(_models().ReturnReasonPage.objects.filter(is_published=True).order_by("pk"))
        if not pages:
            return None
        german = language_code.startswith("de")
        return [(str(p.pk), (p.title_de if german and p.title_de else p.title)) for p in pages]

    def process_return(
        self, order_id: str, items: list[ReturnItem], *, resolution: str, idempotency_key: str
    ) -> ReturnOutcome:
        m = _models()
        order = m.Order.objects.select_related("channel").get(pk=order_id)
        lines = {str(li.pk): li for li in order.lines.all()}
        amount = sum((lines[i.line_id].unit_price * i.quantity for i in items), start=Decimal("0"))
        status = {"refund": "refunded_and_returned", "exchange": "replaced"}.get(
            resolution, "returned"
        )
        fulfillment = m.ReturnFulfillment.objects.create(
            order=order,
            status=status,
            key=idempotency_key,
            total_refund_amount=amount if resolution == "refund" else None,
        )
        for item in items:
            m.ReturnFulfillmentLine.objects.create(
                fulfillment=fulfillment,
                order_line=lines[item.line_id],
                quantity=item.quantity,
                reason=item.reason,
                reason_reference=item.reason_reference,
            )
            if lines[item.line_id].variant_id:  # back in stock
                m.Variant.objects.filter(pk=lines[item.line_id].variant_id).update(
                    stock=F("stock") + item.quantity
                )
        outcome = ReturnOutcome(return_id=str(fulfillment.pk))
        if resolution == "refund":
            order.charge_status = "partial" if amount < self._order_total(order) else "none"
            order.save(update_fields=["charge_status"])
            return ReturnOutcome(return_id=outcome.return_id, refund_id=f"refund-{fulfillment.pk}")
        if resolution == "exchange":
            replacement = self._replacement(order, lines, items)
            return ReturnOutcome(
                return_id=outcome.return_id, replacement_order_id=str(replacement.pk)
            )
        card, _ = m.GiftCard.objects.get_or_create(
            key=idempotency_key,
            defaults={
                "code": "GC-" + secrets.token_hex(6).upper(),
                "channel": order.channel,
                "initial_balance": amount,
                "currency": order.channel.currency,
                "email": order.user_email,
            },
        )
        return ReturnOutcome(return_id=outcome.return_id, gift_card_code=card.code)

    @staticmethod
    def _order_total(order) -> Decimal:
        return sum((li.unit_price * li.quantity for li in order.lines.all()), start=Decimal("0"))

    @staticmethod
    def _replacement(order, lines, items):
        from django.db.models import Max

        m = _models()
        number = (m.Order.objects.aggregate(n=Max("number"))["n"] or 1000) + 1
        replacement = m.Order.objects.create(
            number=number,
            channel=order.channel,
            status="draft",
            charge_status="none",
            language_code=order.language_code,
            user_email=order.user_email,
            shipping_address=order.shipping_address,
            shipping_method_name=order.shipping_method_name,
            original=order,
        )
        for item in items:
            variant = m.Variant.objects.select_related("product").get(
                pk=int(item.exchange_variant_id)
            )
            m.OrderLine.objects.create(
                order=replacement,
                variant=variant,
                product_name=variant.product.name,
                variant_name=variant.name,
                product_sku=variant.sku,
                quantity=item.quantity,
                unit_price=lines[item.line_id].unit_price,
            )
            m.Variant.objects.filter(pk=variant.pk).update(stock=F("stock") - item.quantity)
        return replacement
