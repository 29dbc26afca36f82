"""The Aftersales page's Settings tab: a channel's settings in sections, checked as typed.

The same fields and stored values as Saleor's plugin form (``config.FIELDS``, written by
``hosts/config_store.py`` through Saleor's own save path), grouped for reading: features,
storefront and brand, carriers and timing, messages, returns, privacy and retention.
Secrets are write-only: the page says whether one is set, never shows it, and an empty box
keeps it. Wrong values come back next to their field and nothing is stored. Reading needs
``MANAGE_ORDERS`` in the channel, saving ``MANAGE_PLUGINS`` (as Saleor's form).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..config import (
    FIELDS,
    Field,
    brand,
    carriers,
    emails,
    features,
    returns,
    storefront,
    text_messages,
    timing,
)
from ..core import ratelimit
from ..graphql.auth import staff_allowed
from ..hosts import config_store, get_host
from ..hosts.channels import channel_slugs
from ..operations import doctor
from .auth import principal
from .previews import link
from .render import fragment, refused
from .routes import route
from .views import language, root_path

SECTIONS = (
    ("features", gettext_lazy("Features")),
    ("brand", gettext_lazy("Storefront and brand")),
    ("carriers", gettext_lazy("Carriers and timing")),
    ("messages", gettext_lazy("Messages")),
    ("returns", gettext_lazy("Returns")),
    ("privacy", gettext_lazy("Privacy and retention")),
)
#: Connection checks one staff member may run per hour (each calls the outside world).
CHECKS_PER_HOUR = 30
#: Settings about personal data, gathered from the groups they are declared in.
PRIVACY = {
    "data_retention_days",
    "link_validity_days",
    "tracking_pixel_enabled",
    "marketing_consent_rule",
    "metadata_summary_enabled",
}
#: Section → the ``config`` groups it shows, in declaration order.
GROUPS = {
    "features": (features,),
    "brand": (storefront, brand),
    "carriers": (carriers, timing),
    "messages": (emails, text_messages),
    "returns": (returns,),
}


def sectioned() -> dict[str, list[Field]]:
    """Every field of ``config.FIELDS`` in its section (privacy ones in their own)."""
    groups: dict[str, list[Field]] = {key: [] for key, _label in SECTIONS}
    for key, modules in GROUPS.items():
        for module in modules:
            for spec in module.FIELDS:
                groups["privacy" if spec.name in PRIVACY else key].append(spec)
    return groups


def _rows(values: dict, errors: dict[str, str], typed: dict[str, str]) -> list[dict]:
    groups = sectioned()
    with_labels = []
    for key, label in SECTIONS:
        fields = []
        for spec in groups[key]:
            value = typed.get(spec.name, values.get(spec.name, spec.default))
            fields.append(
                {
                    "spec": spec,
                    "value": "" if spec.kind == "secret" else ("" if value is None else value),
                    "on": str(value).lower() in ("true", "1", "on", "yes"),
                    "is_set": bool(values.get(spec.name)),
                    "error": errors.get(spec.name, ""),
                }
            )
        with_labels.append({"key": key, "label": str(label), "fields": fields})
    return with_labels


def tab(
    request: HttpRequest,
    *,
    checks: list | None = None,
    done: str = "",
    errors: dict | None = None,
    typed: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The Settings tab of the channel in the request."""
    caller = principal(request)
    channels = [c for c in channel_slugs() if staff_allowed(caller, c, change=False)]
    params = request.GET if request.method == "GET" else request.POST
    channel = params.get("channel", "")
    channel = channel if channel in channels else (channels[0] if channels else "")
    stored = config_store.read(channel) if channel else None
    active, values = stored if stored else (False, {})
    with translation.override(language(request)):
        sections = _rows(values, errors or {}, typed or {})
    return fragment(
        request,
        "settings.html",
        {
            "channels": channels,
            "channel": channel,
            "active": active,
            "sections": sections,
            "may_save": caller.has_any("MANAGE_PLUGINS") and caller.can_access_channel(channel),
            "failed": len(errors or {}),
            "checks": checks,
            "done": done,
            "root": root_path(request),
            "brand_preview": link(request, "brand", c=channel, l=language(request)),
        },
        status,
    )


@route(r"/api/settings")
def settings_tab(request: HttpRequest) -> HttpResponse:
    return tab(request)


@route(r"/api/settings/save", method="POST")
def save(request: HttpRequest) -> HttpResponse:
    """Store the sent values of one channel (secrets only when a new one is typed)."""
    caller = principal(request)
    channel = request.POST.get("channel", "")
    if not (caller.has_any("MANAGE_PLUGINS") and caller.can_access_channel(channel)):
        return refused(request, 403)
    changes: dict = {}
    for spec in FIELDS:
        if spec.kind == "bool":
            changes[spec.name] = spec.name in request.POST
        elif spec.name in request.POST:
            value = request.POST[spec.name]
            if spec.kind == "secret" and not value:
                continue  # write-only: an empty box keeps the stored secret
            changes[spec.name] = value if spec.kind == "text" else value.strip()
    with translation.override(language(request)):  # the messages beside the fields
        errors = config_store.write(channel, changes)
    if errors:
        typed = {k: v for k, v in changes.items() if FIELDS_KIND.get(k) != "secret"}
        return tab(request, errors=errors, typed=typed, status=400)
    with translation.override(language(request)):
        done = _("Settings saved.")
    return tab(request, done=done)


@route(r"/api/settings/check", method="POST")
def check_connections(request: HttpRequest) -> HttpResponse:
    """Try the channel's saved mail server, text-message provider and carrier credentials now
    (the doctor's checks: one login, one cheap authenticated call each, nothing sent)."""
    caller = principal(request)
    channel = request.POST.get("channel", "")
    if not staff_allowed(caller, channel, change=False) or channel not in channel_slugs():
        return refused(request, 403)
    if not ratelimit.hit(
        "dashboard_connection_check", caller.id, limit=CHECKS_PER_HOUR, window=3600
    ):
        return HttpResponse("Too many checks", status=429, content_type="text/plain")
    config = get_host().get_config(channel)
    if config is None:
        return tab(request, checks=[], status=409)
    reachable = [doctor.check_smtp(config, timeout=5.0), doctor.check_sms(config, timeout=5.0)]
    checks = [line for line in reachable if line is not None] + doctor.check_carriers(config)
    return tab(request, checks=checks)


FIELDS_KIND = {spec.name: spec.kind for spec in FIELDS}
