"""Time rules: handling time, problem thresholds, review delay, link validity, retention."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .fields import Field

FIELDS: tuple[Field, ...] = (
    Field(
        "handling_time_days",
        "int",
        2,
        _("Handling time (business days)"),
        _("An order not shipped after this many business days is flagged."),
        0,
        60,
    ),
    Field(
        "no_scan_days",
        "int",
        3,
        _("Days without first scan"),
        _("A parcel with a label but no carrier scan after this many days is flagged."),
        1,
        60,
    ),
    Field(
        "delay_threshold_days",
        "int",
        1,
        _("Delay threshold (days)"),
        _("Days past the estimated date before a parcel counts as delayed."),
        0,
        60,
    ),
    Field(
        "review_delay_days",
        "int",
        7,
        _("Review request delay (days)"),
        _("Days after delivery before the review request is sent."),
        0,
        365,
    ),
    Field(
        "link_validity_days",
        "int",
        90,
        _("Link validity (days)"),
        _("How long status links in emails and the widget stay valid."),
        1,
        730,
    ),
    Field(
        "polling_idle_days",
        "int",
        30,
        _("Stop polling after idle days"),
        _("Stop asking the carrier after this many days without news."),
        1,
        180,
    ),
    Field(
        "data_retention_days",
        "int",
        730,
        _("Data retention (days)"),
        _("Tracking events and engagement older than this are deleted."),
        30,
        3650,
    ),
)
