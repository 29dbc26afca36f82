"""Sandbox shop tables, shaped after the Saleor fields the plugin reads."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.utils import timezone


class Channel(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=255)
    currency = models.CharField(max_length=3, default="EUR")
    default_country = models.CharField(max_length=2, default="DE")
    plugin_active = models.BooleanField(default=True)
    configuration = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.slug


class Product(models.Model):
    name = models.CharField(max_length=255)
    slug = models.SlugField(unique=True)
    is_published = models.BooleanField(default=True)
    thumbnail_url = models.CharField(max_length=1024, blank=True)
    product_type = models.CharField(max_length=255, blank=True, default="Apparel")
    metadata = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name


class Variant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(max_length=255, blank=True)
    sku = models.CharField(max_length=255, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("10"))
    stock = models.IntegerField(default=100)
    is_available = models.BooleanField(default=True)


class Order(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    number = models.PositiveIntegerField(unique=True)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=32, default="unfulfilled")
    charge_status = models.CharField(max_length=32, default="full")
    language_code = models.CharField(max_length=35, default="en")
    user_email = models.EmailField(blank=True)
    shipping_address = models.JSONField(default=dict, blank=True)
    shipping_method_name = models.CharField(max_length=255, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    private_metadata = models.JSONField(default=dict, blank=True)
    checkout_token = models.CharField(max_length=36, blank=True)  # as Saleor's Order
    original = models.ForeignKey(  # a replacement (draft) order's original, as in Saleor
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replacements"
    )


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(Variant, on_delete=models.SET_NULL, null=True, blank=True)
    product_name = models.CharField(max_length=386)
    variant_name = models.CharField(max_length=255, blank=True)
    product_sku = models.CharField(max_length=255, blank=True)
    quantity = models.IntegerField(default=1)
    quantity_fulfilled = models.IntegerField(default=0)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("10"))

    class Meta:
        ordering = ("id",)


class Fulfillment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillments")
    status = models.CharField(max_length=32, default="fulfilled")
    tracking_number = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("id",)


class FulfillmentLine(models.Model):
    fulfillment = models.ForeignKey(Fulfillment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE)
    quantity = models.IntegerField()


class Checkout(models.Model):
    token = models.UUIDField(primary_key=True, default=uuid.uuid4)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE)
    email = models.EmailField(blank=True)
    lines = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)


class Voucher(models.Model):
    code = models.CharField(max_length=64, unique=True)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE)
    name = models.CharField(max_length=255)
    percent = models.PositiveIntegerField()
    usage_limit = models.PositiveIntegerField(default=1)
    valid_until = models.DateTimeField()


class ApiToken(models.Model):
    """A bearer token of the sandbox shop: stands in for Saleor's staff/customer JWTs and
    app tokens when the sandbox host authenticates a GraphQL caller."""

    token = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=16, default="staff")  # staff | app | customer
    permissions = models.JSONField(default=list, blank=True)  # ["MANAGE_ORDERS", …]
    channels = models.JSONField(null=True, blank=True)  # None: all channels; else slugs
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.email or self.pk}"


class ReturnFulfillment(models.Model):
    """A return made in the shop, shaped after Saleor's returned/replaced fulfillments."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    status = models.CharField(max_length=32)  # returned | refunded_and_returned | replaced
    total_refund_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(default=timezone.now)


class ReturnFulfillmentLine(models.Model):
    fulfillment = models.ForeignKey(
        ReturnFulfillment, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE)
    quantity = models.IntegerField()
    reason = models.CharField(max_length=255, blank=True)
    reason_reference = models.CharField(max_length=64, blank=True)


class GiftCard(models.Model):
    code = models.CharField(max_length=32, unique=True)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE)
    initial_balance = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    email = models.EmailField(blank=True)
    key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(default=timezone.now)


class ReturnReasonPage(models.Model):
    """Stands in for Saleor's return reason pages (``returnReasonReferenceType``)."""

    title = models.CharField(max_length=255)
    title_de = models.CharField(max_length=255, blank=True)
    is_published = models.BooleanField(default=True)
