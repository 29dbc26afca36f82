"""Returns through Saleor 3.23: its return fulfillments, refunds, replacement orders, gift cards.

``process_return`` runs Saleor's own ``order.actions.create_fulfillments_for_returned_products``
(what ``orderFulfillmentReturnProducts`` runs) on the fulfillment lines that carried the
items, so Saleor's order history, fulfillment statuses and events are its own. Returned items
go back to the warehouse they were shipped from (``warehouse.management.increase_stock``).
Only this module (with ``saleor.py`` and ``plugin.py``) imports ``saleor``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.crypto import salted_hmac

from .base import ReturnableLine, ReturnItem, ReturnOutcome

RETURNED_STATUSES = ("returned", "refunded_and_returned", "replaced")
SHIPPED_STATUSES = ("fulfilled",)


def _flag_off(metadata: dict | None) -> bool:
    return str((metadata or {}).get("aftersales.returnable", "")).strip().lower() == "false"


def gift_card_code(idempotency_key: str) -> str:
    """A gift card code derived from the key (8..16 characters, as Saleor requires)."""
    return "RET-" + salted_hmac("aftersales.giftcard", idempotency_key).hexdigest()[:12].upper()


def _site_settings():
    """The shop's settings, read fresh (``Site.objects.get_current()`` is cached per process)."""
    from django.contrib.sites.models import Site
    from saleor.site.models import SiteSettings

    return SiteSettings.objects.get(site_id=Site.objects.get_current().pk)


class SaleorReturnsMixin:
    """``Host`` return operations over Saleor's ORM."""

    def returnable_lines(self, order_id: str) -> dict[str, ReturnableLine]:
        from saleor.order.models import FulfillmentLine, OrderLine
        from saleor.product.models import ProductVariant

        try:
            lines = list(
                OrderLine.objects.filter(order_id=order_id).select_related(
                    "variant__product__product_type"
                )
            )
        except Exception:
            return {}
        returned = {
            row["order_line_id"]: row["n"]
            for row in FulfillmentLine.objects.filter(
                order_line__in=lines, fulfillment__status__in=RETURNED_STATUSES
            )
            .values("order_line_id")
            .annotate(n=Sum("quantity"))
        }
        product_ids = {li.variant.product_id for li in lines if li.variant}
        siblings: dict[int, list[str]] = {}
        for vid, pid in (
            ProductVariant.objects.filter(product_id__in=product_ids)
            .order_by("sort_order", "pk")
            .values_list("pk", "product_id")
        ):
            siblings.setdefault(pid, []).append(str(vid))
        result = {}
        for li in lines:
            product = li.variant.product if li.variant else None
            kind = product.product_type if product else None
            result[str(li.pk)] = ReturnableLine(
                line_id=str(li.pk),
                product_type=kind.name if kind else "",
                product_slug=product.slug if product else "",
                non_returnable=bool(
                    li.is_gift_card
                    or (product and _flag_off(product.metadata))
                    or (kind and _flag_off(kind.metadata))
                ),
                returned_quantity=returned.get(li.pk, 0),
                exchange_variant_ids=tuple(siblings.get(product.pk, ())) if product else (),
            )
        return result

    def return_reasons(self, channel_slug: str, language_code: str) -> list[tuple[str, str]] | None:
        from saleor.page.models import Page, PageTranslation

        kind_id = _site_settings().return_reason_reference_type_id
        if not kind_id:
            return None
        pages = list(Page.objects.filter(page_type_id=kind_id, is_published=True).order_by("pk"))
        titles = dict(
            PageTranslation.objects.filter(
                page__in=pages, language_code=language_code, title__isnull=False
            ).values_list("page_id", "title")
        )
        return [(str(p.pk), titles.get(p.pk) or p.title) for p in pages]

    def process_return(
        self, order_id: str, items: list[ReturnItem], *, resolution: str, idempotency_key: str
    ) -> ReturnOutcome:
        from saleor.core.db.connection import allow_writer
        from saleor.order import FulfillmentLineData
        from saleor.order.actions import create_fulfillments_for_returned_products
        from saleor.order.models import FulfillmentLine, Order
        from saleor.page.models import Page
        from saleor.plugins.manager import get_plugins_manager
        from saleor.warehouse.management import increase_stock

        with allow_writer(), transaction.atomic():
            order = Order.objects.select_for_update().select_related("channel").get(pk=order_id)
            shipped = list(
                FulfillmentLine.objects.filter(
                    fulfillment__order=order, fulfillment__status__in=SHIPPED_STATUSES
                )
                .select_related("fulfillment", "order_line__variant", "stock__warehouse")
                .order_by("fulfillment__created_at", "pk")
            )
            pages = {
                str(p.pk): p
                for p in Page.objects.filter(
                    pk__in=[int(i.reason_reference) for i in items if i.reason_reference.isdigit()]
                )
            }
            replace = resolution == "exchange"
            data: list[FulfillmentLineData] = []
            restock: list[tuple] = []
            for item in items:
                wanted = item.quantity
                for fl in shipped:
                    if wanted <= 0 or str(fl.order_line_id) != item.line_id or fl.quantity <= 0:
                        continue
                    take = min(wanted, fl.quantity)
                    fl.quantity -= take  # a second item of the line takes from what is left
                    wanted -= take
                    data.append(
                        FulfillmentLineData(
                            line=fl,
                            quantity=take,
                            replace=replace,
                            reason=item.reason,
                            reason_reference=pages.get(item.reason_reference),
                        )
                    )
                    if fl.stock_id and fl.order_line.variant_id:
                        restock.append((fl.order_line, fl.stock.warehouse, take))
            for fl in shipped:  # the objects go to Saleor with their stored quantities
                fl.refresh_from_db(fields=["quantity"])
            payment = order.get_last_payment() if resolution == "refund" else None
            manager = get_plugins_manager(allow_replica=False)
            returned, _replaced, new_order = create_fulfillments_for_returned_products(
                None,
                None,
                order,
                payment,
                [],
                data,
                manager,
                _site_settings(),
                refund=bool(payment and payment.can_refund()),
                reason=items[0].reason if len(items) == 1 else "",
            )
            for order_line, warehouse, quantity in restock:  # exchanged ones come back too
                increase_stock(order_line, warehouse, quantity)
            outcome = ReturnOutcome(return_id=str(returned.pk))
            if resolution == "refund":
                refund_id = (
                    self._grant_refund(order, items, returned)
                    if not (payment and payment.can_refund())
                    else f"payment-{payment.pk}"
                )
                return ReturnOutcome(return_id=outcome.return_id, refund_id=refund_id)
            if new_order is not None:
                self._swap_variants(new_order, items)
                return ReturnOutcome(
                    return_id=outcome.return_id, replacement_order_id=str(new_order.pk)
                )
            code = self._gift_card(order, items, idempotency_key)
            return ReturnOutcome(return_id=outcome.return_id, gift_card_code=code)

    @staticmethod
    def _amount(order, items: list[ReturnItem]) -> Decimal:
        prices = {
            str(pk): price for pk, price in order.lines.values_list("pk", "unit_price_gross_amount")
        }
        return sum((prices[i.line_id] * i.quantity for i in items), start=Decimal("0"))

    def _grant_refund(self, order, items: list[ReturnItem], returned) -> str:
        """Transactions API orders: a granted refund of the items, for staff to send."""
        from saleor.order.models import OrderGrantedRefundLine
        from saleor.order.utils import update_order_charge_data

        granted = order.granted_refunds.create(
            amount_value=self._amount(order, items),
            currency=order.currency,
            reason=f"Return {returned.pk}",
        )
        OrderGrantedRefundLine.objects.bulk_create(
            OrderGrantedRefundLine(
                granted_refund=granted,
                order_line_id=i.line_id,
                quantity=i.quantity,
                reason=i.reason,
            )
            for i in items
        )
        update_order_charge_data(order)
        return f"granted-{granted.pk}"

    @staticmethod
    def _swap_variants(new_order, items: list[ReturnItem]) -> None:
        """The replacement's lines become the variants the shopper chose (same product)."""
        from saleor.product.models import ProductVariant

        wanted = {i.line_id: i.exchange_variant_id for i in items if i.exchange_variant_id}
        variants = ProductVariant.objects.in_bulk([int(v) for v in wanted.values()])
        by_old_variant = {}
        from saleor.order.models import OrderLine

        for pk, variant_id in OrderLine.objects.filter(pk__in=list(wanted)).values_list(
            "pk", "variant_id"
        ):
            by_old_variant[variant_id] = variants.get(int(wanted[str(pk)]))
        for line in new_order.lines.all():
            variant = by_old_variant.get(line.variant_id)
            if variant is None or variant.pk == line.variant_id:
                continue
            line.variant = variant
            line.variant_name = variant.name
            line.product_sku = variant.sku
            line.product_variant_id = variant.get_global_id()
            line.save(
                update_fields=["variant", "variant_name", "product_sku", "product_variant_id"]
            )

    def _gift_card(self, order, items: list[ReturnItem], idempotency_key: str) -> str:
        from saleor.giftcard.events import gift_card_issued_event
        from saleor.giftcard.models import GiftCard

        code = gift_card_code(idempotency_key)
        if GiftCard.objects.select_for_update().filter(code=code).exists():
            return code
        amount = self._amount(order, items)
        card = GiftCard.objects.create(
            code=code,
            currency=order.currency,
            initial_balance_amount=amount,
            current_balance_amount=amount,
            created_by_email=order.user_email,
            private_metadata={"aftersales_key": idempotency_key},
        )
        gift_card_issued_event(card, user=None, app=None)
        return code
