"""Emails: triggers, sender, subjects (with an A/B variant) and per-trigger templates.

``email_subjects`` / ``_b`` hold one ``trigger = subject`` line per trigger; a
``<trigger>_template`` is ``"default"`` (the shipped files), empty (do not send) or the owner's
own Django HTML template. :func:`validate_email_settings` reports lines and templates that do
not parse or compile.
"""

from __future__ import annotations

from typing import Any

from django.template import Engine, TemplateSyntaxError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..core.templating import flatten_includes
from .fields import EMAIL_EVENTS, Field

DEFAULT_TEMPLATE = "default"

#: The label of each trigger's template field (one msgid each, for translators).
TEMPLATE_LABELS = {
    "order_confirmation": _("Template: order confirmation"),
    "shipped": _("Template: shipped"),
    "out_for_delivery": _("Template: out for delivery"),
    "delivered": _("Template: delivered"),
    "ready_for_pickup": _("Template: ready for pickup"),
    "delay": _("Template: delay"),
    "review_request": _("Template: review request"),
    "staff_digest": _("Template: staff digest"),
}

FIELDS: tuple[Field, ...] = (
    Field(
        "confirmation_mode",
        "choice",
        "replace",
        _("Order confirmation"),
        _(
            "'replace' (default): we send the order confirmation, with the status link; switch "
            "Saleor's own confirmation off (User emails plugin: empty its order confirmation "
            "template) so the shopper gets one. "
            "'block': Saleor sends its confirmation and we send none. Saleor's confirmation "
            "cannot carry the status link, not even with the metadata summary on: Saleor builds it "
            "before the plugin has written anything, so the shopper's first email with the link "
            "is our shipped email. "
            "'off': we send none; the link comes only with our later emails."
        ),
        choices=("block", "replace", "off"),
    ),
    Field(
        "email_events",
        "str",
        ",".join(EMAIL_EVENTS),
        _("Email triggers"),
        format_lazy(
            _("Comma-separated triggers to send: {triggers}."), triggers=", ".join(EMAIL_EVENTS)
        ),
    ),
    Field(
        "tracking_pixel_enabled",
        "bool",
        True,
        _("Track opens and clicks"),
        _("Only for recipients who consented to marketing."),
    ),
    Field(
        "marketing_consent_rule",
        "choice",
        "metadata",
        _("Marketing consent rule"),
        _(
            "'metadata': consent when the order's metadata key 'marketing_consent' is 'true'; "
            "'always': no consent needed in your market; 'never': no marketing at all."
        ),
        choices=("metadata", "always", "never"),
    ),
    Field(
        "delay_voucher_enabled",
        "bool",
        False,
        _("Voucher on delay"),
        _("Include a one-time voucher in the delay apology."),
    ),
    Field(
        "delay_voucher_percent",
        "int",
        10,
        _("Voucher value (%)"),
        _("Percentage discount of the delay voucher."),
        1,
        100,
    ),
    Field(
        "delay_voucher_validity_days",
        "int",
        30,
        _("Voucher validity (days)"),
        _("Days the delay voucher stays valid."),
        1,
        365,
    ),
    Field(
        "smtp_url",
        "secret",
        "",
        _("SMTP URL"),
        _("Own SMTP server as smtp://user:pass@host:port (empty: Saleor's email settings)."),
    ),
    Field(
        "email_subjects",
        "text",
        "",
        _("Email subjects"),
        _(
            "One line per trigger to replace the shipped subject: 'trigger = subject'; "
            "may use {{ order.number }} and {{ shop.name }}."
        ),
    ),
    Field(
        "email_subjects_b",
        "text",
        "",
        _("Subject A/B test (variant B)"),
        _(
            "One line per trigger, 'trigger = subject': orders are split between the subject "
            "and this variant; opens and clicks are reported per variant."
        ),
    ),
    *(
        Field(
            f"{event}_template",
            "text",
            "default",
            TEMPLATE_LABELS[event],
            _(
                "'default' uses the shipped template; empty means do not send; anything else "
                "is your own Django HTML template."
            ),
        )
        for event in EMAIL_EVENTS
    ),
)


def parse_subject_lines(text: str) -> dict[str, str]:
    """``'trigger = subject'`` lines → ``{trigger: subject}`` (blank lines skipped)."""
    result: dict[str, str] = {}
    for line in (text or "").splitlines():
        trigger, sep, subject = line.partition("=")
        if sep and trigger.strip() and subject.strip():
            result[trigger.strip().lower()] = subject.strip()
    return result


def _compile_error(source: str) -> str | None:
    if "{% extends" in source.replace("{%extends", "{% extends"):
        return gettext(
            "use %(include)s for shared parts; %(extends)s is not supported in emails."
        ) % {"include": "{% include %}", "extends": "{% extends %}"}
    try:
        Engine.get_default().from_string(flatten_includes(source))
    except TemplateSyntaxError as exc:
        return gettext("the template does not compile: %(error)s") % {"error": exc}
    return None


def validate_email_settings(raw: dict[str, Any]) -> dict[str, str]:
    """Field-keyed messages for subject lines and templates a shop owner must fix."""
    errors: dict[str, str] = {}
    for name, label in (
        ("email_subjects", gettext("Email subjects")),
        ("email_subjects_b", gettext("Subject A/B test (variant B)")),
    ):
        text = str(raw.get(name) or "")
        for line in text.splitlines():
            if not line.strip():
                continue
            trigger, sep, subject = line.partition("=")
            trigger = trigger.strip().lower()
            if not sep or not subject.strip():
                errors[name] = gettext(
                    "%(label)s: write one 'trigger = subject' per line ('%(line)s')."
                ) % {"label": label, "line": line.strip()}
                break
            if trigger not in EMAIL_EVENTS:
                errors[name] = gettext(
                    "%(label)s: unknown trigger '%(trigger)s'. Known: %(known)s."
                ) % {"label": label, "trigger": trigger, "known": ", ".join(EMAIL_EVENTS)}
                break
            problem = _compile_error(subject)
            if problem:
                errors[name] = gettext("%(label)s: subject for %(trigger)s: %(problem)s") % {
                    "label": label,
                    "trigger": trigger,
                    "problem": problem,
                }
                break
    for event in EMAIL_EVENTS:
        name = f"{event}_template"
        source = str(raw.get(name) or "").strip()
        if not source or source.lower() == DEFAULT_TEMPLATE:
            continue
        problem = _compile_error(source)
        if problem:
            errors[name] = f"{TEMPLATE_LABELS[event]}: {problem}"
    return errors
