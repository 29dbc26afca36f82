"""Text messages (SMS / WhatsApp) through a Twilio-compatible HTTP provider."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .fields import Field

FIELDS: tuple[Field, ...] = (
    Field(
        "sms_api_url", "url", "", _("SMS provider URL"), _("Twilio-compatible Messages endpoint.")
    ),
    Field("sms_account_sid", "str", "", _("SMS account SID"), _("Account id at the provider.")),
    Field("sms_auth_token", "secret", "", _("SMS auth token"), _("Secret at the provider.")),
    Field("sms_from", "str", "", _("SMS sender"), _("Sender number or 'whatsapp:+49…'.")),
)
