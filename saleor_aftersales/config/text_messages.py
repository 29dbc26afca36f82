"""Text messages (SMS / WhatsApp) through a Twilio-compatible HTTP provider."""

from __future__ import annotations

from .fields import Field

FIELDS: tuple[Field, ...] = (
    Field("sms_api_url", "url", "", "SMS provider URL", "Twilio-compatible Messages endpoint."),
    Field("sms_account_sid", "str", "", "SMS account SID", "Account id at the provider."),
    Field("sms_auth_token", "secret", "", "SMS auth token", "Secret at the provider."),
    Field("sms_from", "str", "", "SMS sender", "Sender number or 'whatsapp:+49…'."),
)
