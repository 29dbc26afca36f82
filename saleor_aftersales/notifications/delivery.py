"""Queue and deliver one logged notification, at most once.

``queue`` inserts a :class:`NotificationLog` under its idempotency key and publishes
``send_notification_task`` on commit; a repeat finds the row and does nothing. The row is its
own outbox entry: a publish that never arrives only delays the message, because :func:`sweep`
(run by the outbox sweep task) delivers ``pending`` rows whose ``next_attempt_at`` passed.
``deliver`` locks the row, re-checks everything (plugin active, emails on, trigger on,
unsubscribes, order state), renders and sends. A transient SMTP failure counts an attempt,
sets ``next_attempt_at`` and raises :class:`RetryLater` with a backoff; after
``AFTERSALES_NOTIFICATION_MAX_ATTEMPTS`` the row is marked failed with the last error and
nobody tries again. Every message carries a Message-ID derived from its idempotency key.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import override

from ..config import AftersalesConfig
from ..core import outbox
from ..core.enqueue import publish_on_commit
from ..core.links import status_url
from ..engagement.reviews import review_blocker
from ..hosts import get_host
from ..hosts.base import Host
from ..models import NotificationLog, Parcel, Problem, ReviewRequest
from . import consent, experiments, links
from .channels import DeliveryError, TextMessage, send_email, text_provider
from .context import order_context, resolve_language, shop_context
from .email import render_email

logger = logging.getLogger(__name__)

#: ``tasks.send_notification_task``, started by name (services never import ``tasks.py``).
SEND_TASK = "saleor_aftersales.tasks.send_notification_task"

State = NotificationLog.State


class RetryLater(Exception):
    """Delivery failed transiently; try again in ``countdown`` seconds."""

    def __init__(self, countdown: float, error: str) -> None:
        super().__init__(error)
        self.countdown = countdown


def max_attempts() -> int:
    return int(getattr(settings, "AFTERSALES_NOTIFICATION_MAX_ATTEMPTS", 5))


def backoff(attempts: int) -> float:
    """Seconds before attempt ``attempts + 1``: base * 2^(attempts-1), at most an hour."""
    base = float(getattr(settings, "AFTERSALES_NOTIFICATION_RETRY_BASE", 30))
    cap = float(getattr(settings, "AFTERSALES_NOTIFICATION_RETRY_MAX", 3600))
    return min(base * 2 ** max(attempts - 1, 0), cap)


def idempotency_key(medium: str, event: str, scope: str, parcel: Parcel | None = None) -> str:
    """One message per medium, trigger, order (or channel + day) and parcel."""
    return ":".join([medium, event, scope, parcel.fulfillment_id if parcel else "-"])[:255]


def queue(
    config: AftersalesConfig,
    event: str,
    *,
    order_id: str | None,
    parcel: Parcel | None = None,
    scope: str | None = None,
    medium: str = "email",
) -> NotificationLog | None:
    """Record the message and enqueue its delivery; ``None`` when it was queued before."""
    key = idempotency_key(medium, event, scope or str(order_id), parcel)
    log, created = NotificationLog.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "order_id": order_id,
            "channel_slug": config.channel_slug,
            "parcel": parcel,
            "event": event,
            "medium": medium,
            "next_attempt_at": timezone.now() + outbox.grace(),
        },
    )
    if not created:
        return None
    publish_on_commit(SEND_TASK, log.pk, log_ref=key)
    return log


def sweep(deadline: float, batch: int = 500) -> dict[str, int]:
    """Deliver ``pending`` messages that are due (publish lost, retry due) until ``deadline``.

    Rows older than ``AFTERSALES_NOTIFICATION_MAX_AGE`` hours (48) are marked failed instead:
    news that late would mislead. Returns counts per outcome.
    """
    now = timezone.now()
    max_age = timedelta(hours=float(getattr(settings, "AFTERSALES_NOTIFICATION_MAX_AGE", 48)))
    expired = NotificationLog.objects.filter(
        state=State.PENDING, created_at__lt=now - max_age
    ).update(state=State.FAILED, error="not delivered in time (outbox sweep)",
             next_attempt_at=None)
    counts = {"notifications_expired": expired}
    due = (
        NotificationLog.objects.filter(state=State.PENDING)
        .filter(_due(now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    for pk in list(due):
        if time.monotonic() > deadline:
            break
        try:
            state = deliver(pk, swept=True)
        except RetryLater:
            state = "retry"
        except Exception:
            logger.exception("aftersales: sweep could not deliver notification %s", pk)
            state = "error"
        key = f"notifications_{state}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def _due(now) -> Q:
    return Q(next_attempt_at__lte=now) | Q(
        next_attempt_at__isnull=True, created_at__lte=now - outbox.grace()
    )


@dataclass
class _Outcome:
    state: str
    retry_in: float | None = None
    error: str = ""


def deliver(notification_id: int, host: Host | None = None, *, swept: bool = False) -> str:
    """Deliver the logged message once; return its state. Raises :class:`RetryLater`.

    ``swept``: called by :func:`sweep`: skip (``busy``) a row that is locked by a delivery in
    progress or not due any more.
    """
    host = host or get_host()
    with transaction.atomic():
        # the parcel comes with the row (one query less per message), only the row is locked
        rows = (
            NotificationLog.objects.select_related("parcel")
            .select_for_update(skip_locked=swept, of=("self",))
            .filter(pk=notification_id)
        )
        if swept:
            rows = rows.filter(_due(timezone.now()))
        log = rows.first()
        if log is None:
            return "busy" if swept else "missing"
        if log.state != State.PENDING:
            return log.state
        outcome = _deliver_locked(log, host)
    if outcome.retry_in is not None:
        raise RetryLater(outcome.retry_in, outcome.error)
    return outcome.state


def _skip(log: NotificationLog, reason: str) -> _Outcome:
    log.state = State.SKIPPED
    log.error = reason
    log.save(update_fields=["state", "error"])
    return _Outcome(State.SKIPPED)


def _deliver_locked(log: NotificationLog, host: Host) -> _Outcome:
    config = host.get_config(log.channel_slug)
    if config is None or not config.active:
        return _skip(log, "plugin inactive in this channel")
    if log.medium == "email" and log.event not in config.enabled_email_events:
        return _skip(log, "emails or this trigger are switched off")
    if log.medium == "sms" and text_provider(config) is None:
        return _skip(log, "text messages are switched off")
    if log.event == "staff_digest":
        return _deliver_digest(log, config)
    order = host.get_order(str(log.order_id)) if log.order_id else None
    if order is None:
        return _skip(log, "order not found")
    if log.event == "review_request":
        reason = review_blocker(str(order.id), order.is_cancelled)
        if reason:
            ReviewRequest.objects.filter(order_id=order.id).update(cancelled=True)
            return _skip(log, reason)
    language = resolve_language(order.language_code)
    if log.medium == "sms":
        return _deliver_text(log, config, order, language)
    recipient = order.customer_email
    if not recipient:
        return _skip(log, "order has no email address")
    essential = consent.is_essential(log.event)
    if not essential and consent.is_unsubscribed(config.channel_slug, recipient):
        return _skip(log, "recipient unsubscribed")
    variant = experiments.variant_for(config, str(order.id), log.event)
    voucher = _voucher(log, config, host, order.number)
    track = consent.may_track(config, order)

    def wrap(url: str) -> str:
        return links.click_url(config, log.pk, url) if track and url else url

    context = order_context(
        order=order, config=config, host=host, parcel=log.parcel, wrap=wrap,
        cross_sell=consent.may_cross_sell(config, order) and log.event != "delay",
    )
    context["language"] = language
    context["voucher"] = voucher
    if log.event.startswith("return_"):
        from .return_context import return_context

        context["return"] = return_context(log, order, language)
    context["pixel_url"] = links.pixel_url(config, log.pk) if track else ""
    headers = {"Auto-Submitted": "auto-generated", "X-Aftersales-Event": log.event,
               "Message-ID": message_id(log, config.sender_email)}
    if not essential:
        unsubscribe = links.unsubscribe_url(
            config, recipient, language=language, notification_id=log.pk
        )
        context["unsubscribe_url"] = unsubscribe
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return _send(log, config, context, recipient, language, variant, headers)


def _send(
    log: NotificationLog,
    config: AftersalesConfig,
    context: dict,
    recipient: str,
    language: str,
    variant: str,
    headers: dict[str, str],
) -> _Outcome:
    message = render_email(log.event, context, language=language, config=config,
                           variant=variant)
    if message is None:
        return _skip(log, "the template is empty (trigger switched off)")
    log.recipient = recipient[:255]
    log.language_code = language
    log.variant = variant
    log.subject = message.subject[:255]
    log.attempts += 1
    try:
        send_email(config, message, recipient, headers=headers)
    except DeliveryError as exc:
        return _failed(log, str(exc), transient=exc.transient)
    log.state = State.SENT
    log.sent_at = timezone.now()
    log.error = ""
    log.save()
    _after_sent(log)
    return _Outcome(State.SENT)


def message_id(log: NotificationLog, sender_email: str = "") -> str:
    """The same Message-ID for every attempt: a receiver can drop a resent copy."""
    digest = hashlib.sha256(log.idempotency_key.encode()).hexdigest()[:32]
    domain = sender_email.rpartition("@")[2].strip() or "aftersales.invalid"
    return f"<{digest}.aftersales@{domain}>"


def _failed(log: NotificationLog, error: str, *, transient: bool) -> _Outcome:
    log.error = error[:2000]
    if not transient or log.attempts >= max_attempts():
        log.state = State.FAILED
        log.next_attempt_at = None
        log.save()
        logger.warning("aftersales: gave up on notification %s: %s", log.pk, error)
        return _Outcome(State.FAILED)
    retry_in = backoff(log.attempts)
    log.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
    log.save()
    return _Outcome(State.PENDING, retry_in=retry_in, error=error)


def _after_sent(log: NotificationLog) -> None:
    now = timezone.now()
    if log.event == "review_request" and log.order_id:
        ReviewRequest.objects.filter(order_id=log.order_id, sent_at__isnull=True).update(
            sent_at=now
        )


def _voucher(
    log: NotificationLog, config: AftersalesConfig, host: Host, number: str
) -> dict | None:
    """Create the delay voucher once (the host dedupes by key), remember its code."""
    if log.event != "delay" or not config.delay_voucher_enabled:
        return None
    if not log.voucher_code:
        log.voucher_code = host.create_voucher(
            config.channel_slug,
            percent=config.delay_voucher_percent,
            valid_days=config.delay_voucher_validity_days,
            name=f"Delay apology, order {number}",
            idempotency_key=f"voucher:{log.idempotency_key}",
        )
        log.save(update_fields=["voucher_code"])
    return {
        "code": log.voucher_code,
        "percent": config.delay_voucher_percent,
        "valid_until": (log.created_at or timezone.now())
        + timedelta(days=config.delay_voucher_validity_days),
    }


def _deliver_digest(log: NotificationLog, config: AftersalesConfig) -> _Outcome:
    if not config.staff_email:
        return _skip(log, "no staff address configured")
    problems = list(
        Problem.objects.filter(
            channel_slug=config.channel_slug, resolved_at__isnull=True, notified_at__isnull=True
        ).order_by("detected_at")[:200]
    )
    if not problems:
        return _skip(log, "no open problems")
    numbers = _order_numbers(problems)
    language = resolve_language(settings.LANGUAGE_CODE)
    with override(language):
        items = [
            {
                "order_number": numbers.get(str(p.order_id), str(p.order_id)[:8]),
                "kind": p.get_kind_display(),
                "detail": p.detail,
                "detected_at": p.detected_at,
                "status_url": status_url(str(p.order_id), config, links.public_base()),
            }
            for p in problems
        ]
    context = {
        "shop": shop_context(config, lambda u: u),
        "problems": items,
        "staff": True,
        "language": language,
    }
    headers = {"Auto-Submitted": "auto-generated", "X-Aftersales-Event": log.event}
    outcome = _send(log, config, context, config.staff_email, language, "", headers)
    if outcome.state == State.SENT:
        Problem.objects.filter(pk__in=[p.pk for p in problems]).update(notified_at=timezone.now())
    return outcome


def _order_numbers(problems: list[Problem]) -> dict[str, str]:
    host = get_host()
    result: dict[str, str] = {}
    for order_id in {str(p.order_id) for p in problems}:
        order = host.get_order(order_id)
        if order is not None:
            result[order_id] = order.number
    return result


def _deliver_text(log: NotificationLog, config: AftersalesConfig, order, language: str) -> _Outcome:
    provider = text_provider(config)
    phone = order.shipping_address.phone if order.shipping_address else ""
    if provider is None or not phone:
        return _skip(log, "no phone number or provider")
    if consent.is_unsubscribed(config.channel_slug, order.customer_email or ""):
        return _skip(log, "recipient unsubscribed")
    context = order_context(order=order, config=config, host=get_host(), parcel=log.parcel,
                            wrap=lambda u: u, cross_sell=False)
    context.update(language=language, voucher=None)
    message = render_email(log.event, context, language=language, config=config)
    if message is None:
        return _skip(log, "the template is empty (trigger switched off)")
    log.recipient = phone
    log.language_code = language
    log.subject = message.subject[:255]
    log.attempts += 1
    try:
        provider.send(TextMessage(to=phone, body=f"{message.subject} {context['status_url']}"))
    except DeliveryError as exc:
        return _failed(log, str(exc), transient=exc.transient)
    log.state = State.SENT
    log.sent_at = timezone.now()
    log.save()
    return _Outcome(State.SENT)
