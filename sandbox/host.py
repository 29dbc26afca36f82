"""The sandbox host: reads the stand-in shop in ``sandbox``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from saleor_aftersales.config import (
    FIELDS,
    AftersalesConfig,
    as_mapping,
    parse_config,
    validate_config,
)
from saleor_aftersales.core.exceptions import HostError
from saleor_aftersales.hosts.base import (
    AddressView,
    CheckoutRef,
    LineView,
    OrderView,
    Principal,
    ProductCard,
    VariantAvailability,
    voucher_code,
)
from saleor_aftersales.hosts.rows import fulfillment_order_id, fulfillment_views, order_ids_page

from .returns import SandboxReturnsMixin


def _models():
    from sandbox import models

    return models


class SandboxHost(SandboxReturnsMixin):
    """Host over the sandbox tables; same contracts as the Saleor host."""

    name = "sandbox"
    order_model = "aftersales_sandbox.Order"

    def channel_slugs(self) -> list[str]:
        return sorted(_models().Channel.objects.values_list("slug", flat=True))

    def get_config(self, channel_slug: str) -> AftersalesConfig | None:
        m = _models()
        channel = m.Channel.objects.filter(slug=channel_slug).first()
        if channel is None or not channel.plugin_active:
            return None
        return parse_config(channel.configuration, channel_slug=channel.slug, active=True)

    def stored_settings(self, channel_slug: str) -> tuple[bool, dict[str, Any]] | None:
        channel = _models().Channel.objects.filter(slug=channel_slug).first()
        if channel is None:
            return None
        defaults = {f.name: f.default for f in FIELDS}
        return channel.plugin_active, defaults | as_mapping(channel.configuration)

    def save_settings(self, channel_slug: str, changes: dict[str, Any]) -> dict[str, str]:
        errors = validate_config(changes)
        if not errors:
            channel = _models().Channel.objects.get(slug=channel_slug)
            channel.configuration = {**as_mapping(channel.configuration), **changes}
            channel.save(update_fields=["configuration"])
        return errors

    def get_order(self, order_id: str, *, availability: bool = False) -> OrderView | None:
        m = _models()
        try:
            order = (
                m.Order.objects.select_related("channel")
                .prefetch_related(
                    Prefetch(
                        "lines",
                        queryset=m.OrderLine.objects.select_related("variant__product"),
                    ),
                    Prefetch("fulfillments__lines"),
                )
                .get(pk=order_id)
            )
        except (m.Order.DoesNotExist, ValueError, TypeError):
            return None
        except Exception as exc:  # invalid UUID strings raise ValidationError
            if exc.__class__.__name__ == "ValidationError":
                return None
            raise
        return self._view(order)

    def _view(self, order) -> OrderView:
        addr = order.shipping_address or {}
        lines = tuple(
            LineView(
                id=str(line.pk),
                product_name=line.product_name,
                variant_name=line.variant_name,
                sku=line.product_sku,
                variant_id=str(line.variant_id) if line.variant_id else None,
                product_id=str(line.variant.product_id) if line.variant else None,
                product_slug=line.variant.product.slug if line.variant else "",
                quantity=line.quantity,
                quantity_fulfilled=line.quantity_fulfilled,
                unit_price=line.unit_price,
                currency=order.channel.currency,
                thumbnail_url=line.variant.product.thumbnail_url if line.variant else "",
            )
            for line in order.lines.all()
        )
        fulfillments = fulfillment_views(order.fulfillments.all())
        return OrderView(
            id=str(order.pk),
            number=str(order.number),
            channel_slug=order.channel.slug,
            created_at=order.created_at,
            status=order.status,
            charge_status=order.charge_status,
            language_code=order.language_code,
            currency=order.channel.currency,
            total_gross=sum((li.unit_price * li.quantity for li in lines), start=0),
            customer_email=order.user_email,
            shipping_address=AddressView(**addr) if addr else None,
            shipping_method_name=order.shipping_method_name,
            lines=lines,
            fulfillments=fulfillments,
            metadata=dict(order.metadata or {}),
            private_metadata=dict(order.private_metadata or {}),
            checkout_id=order.checkout_token,
        )

    def order_ids_since(self, since, channel_slug=None, *, after=None, limit=500):
        orders = _models().Order.objects.exclude(status="draft")
        return order_ids_page(orders, since, channel_slug, after, limit)

    def get_fulfillment_order_id(self, fulfillment_id: str) -> str | None:
        return fulfillment_order_id(_models().Fulfillment.objects, fulfillment_id)

    def check_variants(
        self, channel_slug: str, variant_ids: list[str]
    ) -> dict[str, VariantAvailability]:
        m = _models()
        ids = [int(v) for v in variant_ids if str(v).isdigit()]
        found = {
            str(v.pk): v
            for v in m.Variant.objects.select_related("product").filter(pk__in=ids)
        }
        result: dict[str, VariantAvailability] = {}
        currency = (
            m.Channel.objects.filter(slug=channel_slug).values_list("currency", flat=True).first()
            or ""
        )
        for variant_id in variant_ids:
            variant = found.get(str(variant_id))
            if variant is None:
                result[variant_id] = VariantAvailability(variant_id, False, reason="unavailable")
                continue
            name = variant.product.name + (f" ({variant.name})" if variant.name else "")
            reason = ""
            if not variant.product.is_published or not variant.is_available:
                reason = "unavailable"
            elif variant.stock <= 0:
                reason = "out_of_stock"
            result[variant_id] = VariantAvailability(
                variant_id,
                available=not reason,
                quantity_available=max(variant.stock, 0),
                name=name,
                price=variant.price,
                currency=currency,
                reason=reason,
            )
        return result

    def create_checkout(
        self, channel_slug: str, lines: list[tuple[str, int]], email: str = ""
    ) -> CheckoutRef:
        m = _models()
        channel = m.Channel.objects.filter(slug=channel_slug).first()
        if channel is None:
            raise HostError(f"unknown channel {channel_slug!r}")
        if not lines:
            raise HostError("a checkout needs at least one line")
        checkout = m.Checkout.objects.create(
            channel=channel, email=email, lines=[[v, q] for v, q in lines]
        )
        return CheckoutRef(id=str(checkout.token), token=str(checkout.token), lines=tuple(lines))

    def recommendations(
        self, channel_slug: str, product_ids: list[str], limit: int = 4
    ) -> list[ProductCard]:
        m = _models()
        bought = [int(p) for p in product_ids if str(p).isdigit()]
        sellable = Q(is_published=True, variants__is_available=True, variants__stock__gt=0)
        in_channel = Q(variants__orderline__order__channel__slug=channel_slug)
        together = (
            m.Product.objects.filter(sellable)
            .filter(
                in_channel,
                variants__orderline__order__lines__variant__product_id__in=bought,
            )
            .exclude(pk__in=bought)
            .annotate(score=Count("variants__orderline", distinct=True))
            .order_by("-score", "pk")
        )
        picked = list(together.distinct()[:limit])
        if len(picked) < limit:
            best = (
                m.Product.objects.filter(sellable, in_channel)
                .exclude(pk__in=bought + [p.pk for p in picked])
                .annotate(sold=Sum("variants__orderline__quantity"))
                .order_by("-sold", "pk")
                .distinct()
            )
            picked += list(best[: limit - len(picked)])
        prices = {
            row["product_id"]: row["price"]
            for row in m.Variant.objects.filter(product__in=picked)
            .values("product_id")
            .annotate(price=Sum("price") / Count("id"))
        }
        currency = (
            m.Channel.objects.filter(slug=channel_slug).values_list("currency", flat=True).first()
            or ""
        )
        return [
            ProductCard(
                product_id=str(p.pk),
                name=p.name,
                slug=p.slug,
                thumbnail_url=p.thumbnail_url,
                price=prices.get(p.pk),
                currency=currency,
            )
            for p in picked
        ]

    def create_voucher(
        self,
        channel_slug: str,
        *,
        percent: int,
        valid_days: int,
        name: str,
        idempotency_key: str = "",
    ) -> str:
        m = _models()
        channel = m.Channel.objects.get(slug=channel_slug)
        code = voucher_code(idempotency_key)  # a repeat finds the same row
        m.Voucher.objects.get_or_create(
            code=code,
            defaults={
                "channel": channel,
                "name": name,
                "percent": percent,
                "valid_until": timezone.now() + timedelta(days=valid_days),
            },
        )
        return code

    def http_send(self, method, url, *, headers, params=None, json=None, timeout=10.0,
                  stream=False):
        from saleor_aftersales.tracking.http import requests_send

        return requests_send(method, url, headers=headers, params=params, json=json,
                             timeout=timeout, stream=stream)

    def set_order_public_metadata(self, order_id: str, items: dict[str, str]) -> None:
        m = _models()
        order = m.Order.objects.filter(pk=order_id).first()
        if order is None:
            return
        order.metadata = {**(order.metadata or {}), **items}
        order.save(update_fields=["metadata"])

    def set_fulfillment_tracking_number(self, fulfillment_id: str, tracking_number: str) -> bool:
        try:
            pk = int(fulfillment_id)
        except (TypeError, ValueError):
            return False
        return bool(
            _models().Fulfillment.objects.filter(pk=pk).update(tracking_number=tracking_number)
        )

    def authenticate(self, request) -> Principal | None:
        token = bearer_token(request)
        if not token:
            return None
        row = _models().ApiToken.objects.filter(token=token, is_active=True).first()
        if row is None:
            return None
        channels = row.channels
        return Principal(
            kind=row.kind,
            id=str(row.pk),
            permissions=frozenset(row.permissions or ()),
            channel_slugs=None if channels is None else frozenset(channels),
            email=row.email,
        )


def bearer_token(request) -> str:
    """The token of ``Authorization: Bearer|JWT <token>`` (or ``Authorization-Bearer``)."""
    token = request.META.get("HTTP_AUTHORIZATION_BEARER", "")
    if not token:
        parts = request.META.get("HTTP_AUTHORIZATION", "").split(maxsplit=1)
        if len(parts) == 2 and parts[0].upper() in ("JWT", "BEARER"):
            token = parts[1]
    return token.strip()
