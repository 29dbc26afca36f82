"""The Aftersales page's Returns tab: staff list, approve, reject and receive returns.

``GET api/returns`` lists the returns of the channels the caller may manage (filters: state,
channel), newest first, 50 to a page, with their lines, reasons, the shopper's comment and
photos (staff only). ``POST api/returns/<id>/approve|reject|received`` change one return
and answer with the tab again; they call the same service functions as the staff GraphQL
mutations (``returns/service.py``) and need what those need: ``MANAGE_ORDERS`` (or
``MANAGE_PLUGINS``) and access to the return's channel.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from graphql_relay import to_global_id

from ..graphql.auth import staff_allowed
from ..hosts import get_host
from ..returns import service
from ..returns.errors import ReturnRefused
from ..returns.models import ReturnRequest, ReturnState
from ..returns.rules import rules_for
from .auth import principal
from .render import fragment, notice, refused, shared_zone
from .routes import route
from .views import language, root_path

PAGE_SIZE = 50
DONE = {
    "approve": gettext_lazy("Return approved."),
    "reject": gettext_lazy("Return rejected."),
    "received": gettext_lazy("Return marked received."),
}
METHODS = {
    "label": gettext_lazy("Prepaid label"),
    "address": gettext_lazy("To the return address"),
    "store": gettext_lazy("In a store"),
}
#: Where staff may still mark the parcel received (the carrier's "arrived" included).
RECEIVABLE = (*service.OPEN_STATES, ReturnState.RECEIVED)


def _channels(request: HttpRequest, *, change: bool) -> list[str]:
    caller = principal(request)
    slugs = ReturnRequest.objects.values_list("channel_slug", flat=True).distinct()
    return sorted(c for c in set(slugs) if staff_allowed(caller, c, change=change))


def _decorate(requests: list[ReturnRequest], lang: str) -> None:
    """Order numbers, product names, reason labels, photo links and the actions offered."""
    host = get_host()
    rules: dict[str, object] = {}
    pages: dict[str, dict[str, str]] = {}
    for request in requests:
        slug = request.channel_slug
        if slug not in rules:
            config = host.get_config(slug)
            rules[slug] = rules_for(config) if config else None
            pages[slug] = dict(host.return_reasons(slug, lang) or ())
        order = host.get_order(str(request.order_id))
        names = {line.id: line.product_name for line in order.lines} if order else {}
        request.number = order.number if order else ""
        request.order_gid = to_global_id("Order", str(request.order_id))
        request.method_label = METHODS.get(request.method, request.method)
        request.photo_urls = [default_storage.url(name) for name in request.photos or ()]
        request.can_decide = request.state == ReturnState.REQUESTED
        request.can_reject = request.state in (ReturnState.REQUESTED, ReturnState.APPROVED)
        request.can_receive = request.state in RECEIVABLE and request.inspected_at is None
        request.shown_lines = list(request.lines.all())
        for line in request.shown_lines:
            line.product_name = names.get(line.line_id, line.line_id)
            found = rules[slug].reason_label(line.reason_code, lang) if rules[slug] else None
            line.reason_label = (
                pages[slug].get(line.reason_reference)
                or found
                or (line.reason_code or line.reason_reference)
            )


def order_returns(order_id: str, lang: str) -> list[ReturnRequest]:
    """The order's returns as the order widget shows them (newest first)."""
    requests = list(ReturnRequest.objects.filter(order_id=order_id).order_by("-created_at"))
    with translation.override(lang):
        _decorate(requests, lang)
        for item in requests:
            item.state_label = str(item.get_state_display())
    return requests


def tab(
    request: HttpRequest, *, done: str = "", error: str = "", focus: str = "", status: int = 200
) -> HttpResponse:
    """The Returns tab for the filters in the request (GET or the POST's hidden fields)."""
    channels = _channels(request, change=False)
    params = request.GET if request.method == "GET" else request.POST
    state = params.get("state", "")
    channel = params.get("channel", "")
    query = ReturnRequest.objects.filter(channel_slug__in=channels)
    if state in ReturnState.values:
        query = query.filter(state=state)
    if channel in channels:
        query = query.filter(channel_slug=channel)
    total = query.count()
    requests = list(query.order_by("-created_at", "-pk")[:PAGE_SIZE])
    lang = language(request)
    with translation.override(lang):
        _decorate(requests, lang)
        states = [(value, str(label)) for value, label in ReturnState.choices]
        for item in requests:
            item.state_label = str(dict(states).get(item.state, item.state))
    return fragment(
        request,
        "returns.html",
        {
            "returns": requests,
            "total": total,
            "states": states,
            "channels": channels,
            "chosen": {"state": state, "channel": channel},
            "root": root_path(request),
            "done": done,
            "error": error,
            "focus": focus,
        },
        status,
        zone=shared_zone([channel] if channel in channels else channels),
    )


@route(r"/api/returns")
def returns_tab(request: HttpRequest) -> HttpResponse:
    return tab(request)


@route(r"/api/returns/(?P<pk>\d{1,18})/(?P<action>approve|reject|received)", method="POST")
def change(request: HttpRequest, pk: str, action: str) -> HttpResponse:
    """Approve, reject (with ``reason``) or mark received (``note-<line id>`` per line)."""
    channels = _channels(request, change=True)
    found = ReturnRequest.objects.filter(pk=int(pk)).first()
    if found is None:
        return notice(request, 404, lambda: _("This return no longer exists."))
    if found.channel_slug not in channels:
        return refused(request, 403)
    host = get_host()
    with translation.override(language(request)):
        try:
            if action == "approve":
                service.approve(found.pk, host)
            elif action == "reject":
                reason = request.POST.get("reason", "").strip()
                if not reason:
                    return tab(
                        request,
                        error=_("Enter the reason the shopper will read."),
                        focus=f"as-ret-{found.pk}-reason",
                        status=400,
                    )
                service.reject(found.pk, reason)
            else:
                notes = {
                    key.removeprefix("note-"): value
                    for key, value in request.POST.items()
                    if key.startswith("note-")
                }
                service.mark_received(found.pk, host, notes)
        except ReturnRefused as refusal:
            return tab(request, error=refusal.message, focus=f"as-ret-{found.pk}", status=400)
        return tab(request, done=str(DONE[action]), focus=f"as-ret-{found.pk}")
