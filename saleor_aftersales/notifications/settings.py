"""The notification part of the channel settings: subjects, A/B variants and templates.

Rules a shop owner sees in the dashboard:

- ``email_subjects`` / ``email_subjects_b``: one ``trigger = subject`` line per trigger; a
  subject may use Django template variables (``{{ order.number }}``, ``{{ shop.name }}``).
  No line means the shipped, translated subject (variant A) and no A/B test (variant B).
- ``<trigger>_template``: ``"default"`` uses the shipped template files (overridable by path
  through Django's template loaders); an empty value means *do not send* (as in Saleor);
  anything else is the owner's own Django HTML template for that trigger.
"""

from __future__ import annotations

from typing import Any

from django.template import Engine, TemplateSyntaxError

from ..config import EMAIL_EVENTS, AftersalesConfig

DEFAULT_TEMPLATE = "default"


def parse_subject_lines(text: str) -> dict[str, str]:
    """``'trigger = subject'`` lines → ``{trigger: subject}`` (blank lines skipped)."""
    result: dict[str, str] = {}
    for line in (text or "").splitlines():
        trigger, sep, subject = line.partition("=")
        if sep and trigger.strip() and subject.strip():
            result[trigger.strip().lower()] = subject.strip()
    return result


def subject_override(config: AftersalesConfig, event: str, variant: str = "") -> str:
    """The owner's subject template for ``event`` (variant ``"B"`` from the A/B field)."""
    text = config.email_subjects_b if variant == "B" else config.email_subjects
    return parse_subject_lines(text).get(event, "")


def has_variant_b(config: AftersalesConfig, event: str) -> bool:
    """Whether an A/B test of the subject runs for ``event``."""
    return bool(parse_subject_lines(config.email_subjects_b).get(event))


def template_setting(config: AftersalesConfig, event: str) -> str:
    """``'default'``, ``''`` (do not send) or the owner's template source."""
    value = config.email_template(event).strip()
    return DEFAULT_TEMPLATE if value.lower() == DEFAULT_TEMPLATE else value


def is_switched_off(config: AftersalesConfig, event: str) -> bool:
    """An empty template means the trigger sends nothing."""
    return template_setting(config, event) == ""


def _compile_error(source: str) -> str | None:
    from .email import flatten_includes

    if "{% extends" in source.replace("{%extends", "{% extends"):
        return "use {% include %} for shared parts; {% extends %} is not supported in emails."
    try:
        Engine.get_default().from_string(flatten_includes(source))
    except TemplateSyntaxError as exc:
        return f"the template does not compile: {exc}"
    return None


def validate_email_settings(raw: dict[str, Any]) -> dict[str, str]:
    """Field-keyed messages for subject lines and templates a shop owner must fix."""
    errors: dict[str, str] = {}
    for name, label in (("email_subjects", "Email subjects"),
                        ("email_subjects_b", "Subject A/B test (variant B)")):
        text = str(raw.get(name) or "")
        for line in text.splitlines():
            if not line.strip():
                continue
            trigger, sep, subject = line.partition("=")
            trigger = trigger.strip().lower()
            if not sep or not subject.strip():
                errors[name] = (
                    f"{label}: write one 'trigger = subject' per line ('{line.strip()}')."
                )
                break
            if trigger not in EMAIL_EVENTS:
                errors[name] = (
                    f"{label}: unknown trigger '{trigger}'. Known: {', '.join(EMAIL_EVENTS)}."
                )
                break
            problem = _compile_error(subject)
            if problem:
                errors[name] = f"{label}: subject for {trigger}: {problem}"
                break
    for event in EMAIL_EVENTS:
        name = f"{event}_template"
        source = str(raw.get(name) or "").strip()
        if not source or source.lower() == DEFAULT_TEMPLATE:
            continue
        problem = _compile_error(source)
        if problem:
            errors[name] = f"Template: {event.replace('_', ' ')}: {problem}"
    return errors
