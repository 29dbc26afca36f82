"""The notification part of the channel settings: subjects, A/B variants and templates.

Rules a shop owner sees in the dashboard:

- ``email_subjects`` / ``email_subjects_b``: one ``trigger = subject`` line per trigger; a
  subject may use Django template variables (``{{ order.number }}``, ``{{ shop.name }}``).
  No line means the shipped, translated subject (variant A) and no A/B test (variant B).
- ``<trigger>_template``: ``"default"`` uses the shipped template files (overridable by path
  through Django's template loaders); an empty value means *do not send* (as in Saleor);
  anything else is the owner's own Django HTML template for that trigger.

The fields, their parsing and their validation live in :mod:`saleor_aftersales.config.emails`.
"""

from __future__ import annotations

from ..config import AftersalesConfig
from ..config.emails import DEFAULT_TEMPLATE, parse_subject_lines


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
