"""The engagement service's tables: FAQ entries, review requests and reviews, what shoppers
do (engagement events) and unsubscribes. Re-exported by ``saleor_aftersales.models``, where
Django finds the app's models; they belong to that app (``app_label``) and its migrations.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FaqEntry(models.Model):
    """A question and answer shown for an order state in one channel and language."""

    class Context(models.TextChoices):
        ANY = "any", _("Any state")
        PROCESSING = "processing", _("Being prepared")
        SHIPPED = "shipped", _("On its way")
        DELIVERED = "delivered", _("Delivered")
        PROBLEM = "problem", _("Delayed or problem")
        CANCELLED = "cancelled", _("Cancelled")

    channel_slug = models.CharField(_("channel"), max_length=255)
    language_code = models.CharField(_("language"), max_length=35, default="en")
    context = models.CharField(
        _("order state"), max_length=16, choices=Context.choices, default=Context.ANY
    )
    question = models.CharField(_("question"), max_length=500)
    answer = models.TextField(_("answer"), help_text=_("Plain text or simple HTML; sanitised."))
    position = models.PositiveIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ("position", "id")
        indexes = [
            models.Index(
                fields=["channel_slug", "language_code", "context", "position"],
                name="aftersales_faq_idx",
            )
        ]

    def __str__(self) -> str:
        return self.question


class ReviewRequest(models.Model):
    """The review prompt of a delivered order: when to ask, and whether it was asked."""

    order_id = models.UUIDField(_("order id"), unique=True)
    channel_slug = models.CharField(_("channel"), max_length=255)
    due_at = models.DateTimeField(_("due at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        indexes = [
            models.Index(
                fields=["due_at"],
                name="aftersales_review_due_idx",
                condition=Q(sent_at__isnull=True, cancelled=False),
            )
        ]


class Review(models.Model):
    """A shopper's rating of an order (one per order; a second submission updates it)."""

    order_id = models.UUIDField(_("order id"), unique=True)
    channel_slug = models.CharField(_("channel"), max_length=255)
    rating = models.PositiveSmallIntegerField(_("rating"), help_text=_("1 to 5 stars."))
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="aftersales_rating_range"
            )
        ]


class EngagementEvent(models.Model):
    """Something a shopper did: page view, click, buy again, open, review, unsubscribe."""

    class Kind(models.TextChoices):
        PAGE_VIEW = "page_view", _("Page view")
        CLICK = "click", _("Click")
        BUY_AGAIN = "buy_again", _("Buy again")
        BUY_AGAIN_CHECKOUT = "buy_again_checkout", _("Buy-again checkout")
        OPEN = "open", _("Email opened")
        REVIEW = "review", _("Review")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe")
        WIDGET_VIEW = "widget_view", _("Widget view")

    order_id = models.UUIDField(_("order id"), null=True, blank=True)
    channel_slug = models.CharField(_("channel"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    notification = models.ForeignKey(
        "saleor_aftersales.NotificationLog",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagement",
    )
    variant = models.CharField(_("A/B variant"), max_length=1, blank=True)
    target = models.CharField(_("target"), max_length=2048, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("engagement event")
        verbose_name_plural = _("engagement events")
        indexes = [
            models.Index(fields=["channel_slug", "kind", "created_at"], name="aftersales_kpi_idx"),
            models.Index(fields=["order_id", "kind"], name="aftersales_engage_order_idx"),
        ]


class Unsubscribe(models.Model):
    """A recipient who opted out of non-essential messages of a channel."""

    channel_slug = models.CharField(_("channel"), max_length=255)
    email = models.EmailField(_("email"), help_text=_("Stored lower-cased."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscribe")
        verbose_name_plural = _("unsubscribes")
        constraints = [
            models.UniqueConstraint(
                fields=["channel_slug", "email"], name="aftersales_unsub_unique"
            )
        ]
