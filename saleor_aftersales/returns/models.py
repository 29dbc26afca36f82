"""Tables of returns: one request per shopper submission, one row per returned line.

Effects in the shop (Saleor's return, the refund, the replacement order, the gift card) are
recorded on the request in the same transaction that makes them (``host_*`` fields), so a
repeated "received" or a retried task finds them done.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReturnState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    LABEL_CREATED = "label_created", _("Label created")
    HANDED_OVER = "handed_over", _("Handed over")
    RECEIVED = "received", _("Received")
    REFUNDED = "refunded", _("Refunded")
    EXCHANGED = "exchanged", _("Exchanged")
    CREDITED = "credited", _("Credited")


class Resolution(models.TextChoices):
    REFUND = "refund", _("Refund")
    EXCHANGE = "exchange", _("Exchange")
    STORE_CREDIT = "store_credit", _("Store credit")


class ReturnRequest(models.Model):
    """A shopper's return of some delivered lines of one order."""

    order_id = models.UUIDField(_("order id"), db_index=True)
    channel_slug = models.CharField(_("channel"), max_length=255)
    submit_key = models.CharField(
        _("submission key"),
        max_length=64,
        unique=True,
        help_text=_("Hash of the order and the submitted lines: a double submit finds this row."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ReturnState.choices, default=ReturnState.REQUESTED
    )
    resolution = models.CharField(_("resolution"), max_length=16, choices=Resolution.choices)
    method = models.CharField(_("return method"), max_length=16, default="address")
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    language_code = models.CharField(_("language"), max_length=35, default="en")
    reject_reason = models.TextField(_("reason for rejection"), blank=True, max_length=2000)
    label_tracking_number = models.CharField(_("return tracking number"), max_length=64, blank=True)
    label_url = models.CharField(_("label link"), max_length=2048, blank=True)
    host_return_id = models.CharField(
        _("shop return id"),
        max_length=64,
        blank=True,
        help_text=_("The return fulfillment made in the shop (Saleor)."),
    )
    host_refund_id = models.CharField(_("shop refund id"), max_length=64, blank=True)
    host_replacement_id = models.CharField(_("replacement order id"), max_length=64, blank=True)
    gift_card_code = models.CharField(_("gift card code"), max_length=64, blank=True)
    photos = models.JSONField(
        _("photos"),
        default=list,
        blank=True,
        help_text=_("Storage names of the shopper's photos (staff only)."),
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    label_created_at = models.DateTimeField(_("label created at"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    inspected_at = models.DateTimeField(
        _("inspected at"),
        null=True,
        blank=True,
        help_text=_("Staff marked it received with their inspection; only then is it resolved."),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        app_label = "saleor_aftersales"
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ("created_at", "id")
        indexes = [
            models.Index(
                fields=["channel_slug", "state", "created_at"], name="aftersales_return_state_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"return {self.pk} of {self.order_id}"


class ReturnLine(models.Model):
    """A line of a return: which order line, how many, why, and staff's inspection."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines")
    line_id = models.CharField(_("order line id"), max_length=64)
    quantity = models.PositiveIntegerField(_("quantity"))
    reason_code = models.CharField(_("reason"), max_length=64)
    reason_reference = models.CharField(
        _("reason page id"),
        max_length=64,
        blank=True,
        help_text=_("Saleor's return reason page (returnReasonReferenceType), if set."),
    )
    exchange_variant_id = models.CharField(_("exchange variant"), max_length=64, blank=True)
    inspection_note = models.TextField(_("inspection note"), blank=True, max_length=2000)

    class Meta:
        app_label = "saleor_aftersales"
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(
                fields=["request", "line_id"], name="aftersales_return_line_unique"
            )
        ]
