"""The plugin's own tables.

Rows refer to Saleor by its order UUID (``order_id``) and fulfillment id (``fulfillment_id``),
never by foreign keys into Saleor's tables, so the app migrates in any Django project.
Every effect that must happen once has a unique key (``Milestone.key``,
``NotificationLog.idempotency_key``, ``Problem.key``, ``TrackingEvent(parcel, source_id)``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core.outbox import OutboxTask  # noqa: F401  (defined with its runner in ``outbox``)
from .core.parcel_direction import DirectedParcel
from .core.parcel_status import TERMINAL_STATUSES, ParcelStatus
from .engagement.models import (  # noqa: F401  (engagement/)
    EngagementEvent,
    FaqEntry,
    Review,
    ReviewRequest,
    Unsubscribe,
)
from .returns.models import ReturnLine, ReturnRequest  # noqa: F401  (returns/)


class TrackedOrder(models.Model):
    """One row per Saleor order the plugin has seen; holds per-order plugin state."""

    order_id = models.UUIDField(_("order id"), unique=True, help_text=_("Saleor order UUID."))
    channel_slug = models.CharField(_("channel"), max_length=255, db_index=True)
    language_code = models.CharField(_("language"), max_length=35, default="en")
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    shipped_at = models.DateTimeField(
        _("first shipped at"), null=True, blank=True, help_text=_("First parcel handed over.")
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    overall_status = models.CharField(_("overall status"), max_length=32, default="received")
    ab_variants = models.JSONField(
        _("A/B variants"), default=dict, blank=True, help_text=_("Trigger → subject variant.")
    )
    summary_hash = models.CharField(
        _("summary hash"),
        max_length=64,
        blank=True,
        help_text=_("Hash of the last summary written to Saleor metadata (stops loops)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("tracked order")
        verbose_name_plural = _("tracked orders")
        indexes = [
            models.Index(
                fields=["channel_slug", "placed_at"],
                name="aftersales_unshipped_idx",
                condition=Q(shipped_at__isnull=True, cancelled_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return str(self.order_id)


class Parcel(DirectedParcel):
    """A Saleor fulfillment's shipment with its tracking data, or a return label's parcel."""

    order_id = models.UUIDField(_("order id"), db_index=True)
    channel_slug = models.CharField(_("channel"), max_length=255)
    fulfillment_id = models.CharField(
        _("fulfillment id"), max_length=64, unique=True, help_text=_("Saleor fulfillment id.")
    )
    carrier = models.CharField(_("carrier"), max_length=32, blank=True)
    carrier_source = models.CharField(
        _("carrier source"),
        max_length=16,
        blank=True,
        help_text=_("How the carrier was chosen: staff, method, detected, default."),
    )
    tracking_number = models.CharField(_("tracking number"), max_length=255, blank=True)
    tracking_url = models.URLField(_("tracking link"), max_length=2048, blank=True)
    status = models.CharField(
        _("status"), max_length=32, choices=ParcelStatus.choices, default=ParcelStatus.PENDING
    )
    status_detail = models.CharField(_("status detail"), max_length=255, blank=True)
    destination_country = models.CharField(_("destination country"), max_length=2, blank=True)
    destination_postal_code = models.CharField(_("destination postcode"), max_length=20, blank=True)
    lines = models.JSONField(
        _("lines"), default=list, blank=True, help_text=_("[{line_id, quantity}] in this parcel.")
    )
    shipped_at = models.DateTimeField(_("shipped at"), default=timezone.now)
    first_scan_at = models.DateTimeField(_("first carrier scan"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    estimated_delivery = models.DateField(_("estimated delivery"), null=True, blank=True)
    estimate_source = models.CharField(_("estimate source"), max_length=16, blank=True)
    estimate_confidence = models.FloatField(_("estimate confidence"), null=True, blank=True)
    promised_delivery = models.DateField(
        _("promised delivery"),
        null=True,
        blank=True,
        help_text=_("The date promised at shipment; never moved earlier."),
    )
    push_updates = models.BooleanField(
        _("receives push updates"), default=False, help_text=_("Push parcels are not polled.")
    )
    last_event_at = models.DateTimeField(_("last carrier news"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("last check"), null=True, blank=True)
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True)
    check_failures = models.PositiveIntegerField(_("failed checks in a row"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta(DirectedParcel.Meta):
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ("shipped_at", "id")
        indexes = [
            models.Index(
                fields=["next_check_at"],
                name="aftersales_due_parcels_idx",
                condition=Q(next_check_at__isnull=False, push_updates=False),
            ),
            models.Index(fields=["carrier", "tracking_number"], name="aftersales_tracking_idx"),
            models.Index(fields=["channel_slug", "status"], name="aftersales_parcel_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier or '?'} {self.tracking_number or self.fulfillment_id}"

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES


class TrackingEvent(models.Model):
    """A raw carrier event; unique per parcel and the source's own event id."""

    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(_("time"))
    status = models.CharField(_("status"), max_length=32, choices=ParcelStatus.choices)
    location = models.CharField(_("location"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=32, help_text=_("dhl, aftership, staff…"))
    source_id = models.CharField(_("source event id"), max_length=255)
    relevant = models.BooleanField(
        _("shown to shoppers"), default=True, help_text=_("False for carrier noise (hub scans).")
    )
    estimated_delivery = models.DateField(_("carrier estimate"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ("occurred_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["parcel", "source_id"], name="aftersales_event_unique_source"
            )
        ]
        indexes = [models.Index(fields=["parcel", "occurred_at"], name="aftersales_event_time_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.status}"


class Milestone(models.Model):
    """A step of the shopper's timeline (order-wide or per parcel); recorded once by key."""

    key = models.CharField(_("key"), max_length=255, unique=True)
    order_id = models.UUIDField(_("order id"), db_index=True)
    parcel = models.ForeignKey(
        Parcel, on_delete=models.CASCADE, null=True, blank=True, related_name="milestones"
    )
    kind = models.CharField(_("milestone"), max_length=32)
    occurred_at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ("occurred_at", "id")

    def __str__(self) -> str:
        return self.key


class EtaEstimate(models.Model):
    """Every estimate ever given, kept to report accuracy against the actual delivery."""

    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="estimates")
    estimated_date = models.DateField(_("estimated date"))
    source = models.CharField(_("source"), max_length=16, help_text=_("carrier, history, table"))
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery estimate")
        verbose_name_plural = _("delivery estimates")
        ordering = ("created_at", "id")


class Problem(models.Model):
    """A delivery problem, recorded once by ``key`` for notifications and the owner's list."""

    class Kind(models.TextChoices):
        NO_SCAN = "no_scan", _("No carrier scan")
        OVERDUE = "overdue", _("Estimated date passed")
        EXCEPTION = "exception", _("Carrier exception")
        FAILED_ATTEMPT = "failed_attempt", _("Failed delivery attempt")
        RETURNED = "returned", _("Returned to sender")
        UNSHIPPED = "unshipped", _("Not shipped in time")

    key = models.CharField(_("key"), max_length=255, unique=True)
    order_id = models.UUIDField(_("order id"), db_index=True)
    channel_slug = models.CharField(_("channel"), max_length=255)
    parcel = models.ForeignKey(
        Parcel, on_delete=models.CASCADE, null=True, blank=True, related_name="problems"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    detail = models.TextField(_("detail"), blank=True)
    detected_at = models.DateTimeField(_("detected at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("staff notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ("-detected_at", "id")
        indexes = [
            models.Index(
                fields=["channel_slug", "detected_at"],
                name="aftersales_open_problems_idx",
                condition=Q(resolved_at__isnull=True),
            )
        ]


class NotificationLog(models.Model):
    """One row per message effect; ``idempotency_key`` makes repeats harmless."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    idempotency_key = models.CharField(_("idempotency key"), max_length=255, unique=True)
    order_id = models.UUIDField(_("order id"), null=True, blank=True, db_index=True)
    channel_slug = models.CharField(_("channel"), max_length=255)
    parcel = models.ForeignKey(
        Parcel, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    event = models.CharField(_("trigger"), max_length=32)
    medium = models.CharField(_("medium"), max_length=16, default="email")
    recipient = models.CharField(_("recipient"), max_length=255, blank=True)
    language_code = models.CharField(_("language"), max_length=35, blank=True)
    variant = models.CharField(_("A/B variant"), max_length=1, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default="pending")
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    voucher_code = models.CharField(_("voucher code"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True,
        help_text=_("When the outbox sweep may deliver a pending message (lost or retried)."),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["channel_slug", "event", "state"], name="aftersales_notif_idx"),
            models.Index(fields=["next_attempt_at"], name="aftersales_notif_due_idx",
                         condition=Q(state="pending")),
        ]
