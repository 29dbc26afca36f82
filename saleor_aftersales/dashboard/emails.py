"""The Aftersales page's Emails tab: every trigger in English and German as the channel
sends it, and "send me a test".

A preview is the real rendering (``notifications.samples.preview_email``: the shipped or
the channel's own templates and subject lines, the channel's name, colour, logo and time
zone) of sample data, shown in a sandboxed frame (``previews.py``). The test goes to the
signed-in staff member's address through the channel's real sending path
(``notifications.channels.send_email``: its SMTP server or Django's backend).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from ..config import EMAIL_EVENTS, RETURN_EMAIL_EVENTS
from ..core import ratelimit
from ..graphql.auth import staff_allowed
from ..hosts import get_host
from ..hosts.channels import channel_slugs
from ..notifications.channels import DeliveryError, send_email
from ..notifications.samples import preview_email
from .auth import principal
from .faq import LANGUAGES
from .order import TRIGGERS
from .previews import link
from .render import fragment, refused
from .routes import route
from .views import language, root_path

#: Tests one staff member may send per hour (each is a real message through the shop's SMTP).
TESTS_PER_HOUR = 20
LABELS = TRIGGERS
#: Every email the Emails tab previews: the triggers, then the return emails (sample return).
EVENTS = EMAIL_EVENTS + RETURN_EMAIL_EVENTS


def tab(request: HttpRequest, *, done: str = "", error: str = "", status: int = 200):
    """The Emails tab for the channel, trigger and language in the request."""
    caller = principal(request)
    channels = [c for c in channel_slugs() if staff_allowed(caller, c, change=False)]
    params = request.GET if request.method == "GET" else request.POST
    channel = params.get("channel", "")
    channel = channel if channel in channels else (channels[0] if channels else "")
    event = params.get("event", "")
    event = event if event in EVENTS else EVENTS[0]
    lang = params.get("language", "")
    lang = lang if lang in dict(LANGUAGES) else language(request)
    config = get_host().get_config(channel) if channel else None
    message = preview_email(event, lang, config=config) if channel else None
    with translation.override(language(request)):
        triggers = [(code, str(LABELS.get(code, code))) for code in EVENTS]
    return fragment(
        request,
        "emails.html",
        {
            "channels": channels,
            "channel": channel,
            "active": config is not None and config.active,
            "triggers": triggers,
            "event": event,
            "event_label": dict(triggers)[event],
            "languages": LANGUAGES,
            "chosen_language": lang,
            "subject": message.subject if message else "",
            "switched_off": channel and message is None,
            "preview": link(request, "email", c=channel, e=event, l=lang) if channel else "",
            "email": caller.email,
            "root": root_path(request),
            "done": done,
            "error": error,
        },
        status,
    )


@route(r"/api/emails")
def emails_tab(request: HttpRequest) -> HttpResponse:
    return tab(request)


@route(r"/api/emails/test", method="POST")
def send_test(request: HttpRequest) -> HttpResponse:
    """Send the shown email to the caller's own address, now, as the channel sends mail."""
    caller = principal(request)
    channel = request.POST.get("channel", "")
    event = request.POST.get("event", "")
    lang = request.POST.get("language", "")
    if not staff_allowed(caller, channel, change=False) or channel not in channel_slugs():
        return refused(request, 403)
    with translation.override(language(request)):
        if event not in EVENTS or lang not in dict(LANGUAGES):
            return tab(request, error=_("Choose an email and a language."), status=400)
        if not caller.email:
            return tab(request, error=_("Your dashboard account has no email address."), status=400)
        config = get_host().get_config(channel)
        if config is None or not config.active:
            return tab(request, error=_("Aftersales is not active in this channel."), status=409)
        message = preview_email(event, lang, config=config)
        if message is None:
            return tab(request, error=_("This email is switched off in this channel."), status=409)
        if not ratelimit.hit(
            "dashboard_test_email", caller.email, limit=TESTS_PER_HOUR, window=3600
        ):
            return tab(
                request, error=_("You sent many tests this hour. Try again later."), status=429
            )
        headers = {
            "Auto-Submitted": "auto-generated",
            "X-Aftersales-Event": event,
            "X-Aftersales-Test": "1",
        }
        try:
            send_email(config, message, caller.email, headers=headers)
        except DeliveryError as exc:
            text = _("The mail server did not take the message: %(error)s") % {"error": exc}
            return tab(request, error=text, status=502)
        done = _("Test sent to %(email)s.") % {"email": caller.email}
    return tab(request, done=done)
