"""The order widget (and the order's popup): timeline, parcels, problems, messages, review,
and the staff actions on them.

``GET api/orders/<order>`` renders the fragment; each action is a ``POST`` to a sub-path and
answers with the fragment again, led by what happened. ``<order>`` is Saleor's global id
(``orderId`` that the dashboard puts into the frame's URL) or the order's UUID. Actions reuse
the staff services of the GraphQL API (``tracking/staff.py``, ``notifications/resend.py``).
"""

from __future__ import annotations

import binascii
import uuid

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from graphql_relay import from_global_id

from ..config import CARRIER_CODES
from ..core.links import status_url
from ..hosts import get_host
from ..models import EngagementEvent, NotificationLog, Parcel, Problem
from ..notifications.resend import ResendRefused, resend
from ..orchestration.status_view import build_status_view
from ..tracking import staff
from ..tracking.numbers import carrier_name
from ..tracking.polling import can_poll
from .auth import require_channel
from .render import fragment, notice
from .returns_tab import order_returns
from .routes import route
from .views import language, root_path

ORDER = r"/api/orders/(?P<ref>[A-Za-z0-9=:_\-]{1,200})"
#: Every email trigger's name for staff (order widget, Emails tab, insights).
TRIGGERS = {
    "order_confirmation": gettext_lazy("Order confirmation"),
    "shipped": gettext_lazy("Shipped"),
    "out_for_delivery": gettext_lazy("Out for delivery"),
    "delivered": gettext_lazy("Delivered"),
    "ready_for_pickup": gettext_lazy("Ready for pickup"),
    "delay": gettext_lazy("Delay"),
    "review_request": gettext_lazy("Review request"),
    "return_requested": gettext_lazy("Return requested"),
    "return_approved": gettext_lazy("Return approved"),
    "return_rejected": gettext_lazy("Return rejected"),
    "return_received": gettext_lazy("Return received"),
    "return_resolved": gettext_lazy("Return resolved"),
    "staff_digest": gettext_lazy("Daily digest for staff"),
}
PROBLEMS = {
    "no_scan": gettext_lazy("No carrier scan"),
    "overdue": gettext_lazy("Late"),
    "exception": gettext_lazy("Carrier exception"),
    "failed_attempt": gettext_lazy("Delivery attempt failed"),
    "returned": gettext_lazy("Returned to sender"),
    "unshipped": gettext_lazy("Not shipped in time"),
}
DONE = {
    "tracking": gettext_lazy("Tracking saved. The parcel will be checked again soon."),
    "refresh": gettext_lazy("The carrier will be asked now."),
    "resend": gettext_lazy("The message is being sent again."),
    "resend_repeat": gettext_lazy("This message was already sent again a moment ago."),
    "resolve": gettext_lazy("Problem resolved."),
}
REFUSED = {
    "required": gettext_lazy("Enter the tracking number."),
    "invalid": gettext_lazy("That is not a tracking number or carrier we know."),
    "not_available": gettext_lazy("Not possible for this parcel or message."),
    "not_found": gettext_lazy("The fulfillment no longer exists in the shop."),
}


def order_uuid(ref: str) -> str | None:
    """The order UUID of a Saleor global id (``Order:<uuid>``) or of a UUID, else ``None``."""
    candidate = ref
    try:
        kind, value = from_global_id(ref)
        if kind == "Order":
            candidate = value
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        pass
    try:
        return str(uuid.UUID(candidate))
    except (ValueError, AttributeError, TypeError):
        return None


def _load(request: HttpRequest, ref: str):
    """``(order, config)`` for a caller allowed in the order's channel; raises ``Refused``."""
    order_id = order_uuid(ref)
    order = get_host().get_order(order_id) if order_id else None
    if order is None:
        raise LookupError(ref)
    require_channel(request, order.channel_slug)
    return order, get_host().get_config(order.channel_slug)


def _attach_return_parcels(order, returns, config) -> None:
    """Give each return its label's parcel (``ret.parcel``, with ``can_check``), if any."""
    from ..returns.way_back import parcel_key

    by_key = {parcel_key(ret): ret for ret in returns}
    if not by_key:
        return
    for parcel in Parcel.tracked.filter(order_id=order.id, fulfillment_id__in=list(by_key)):
        parcel.can_check = can_poll(parcel, config)
        by_key[parcel.fulfillment_id].parcel = parcel


def context(request: HttpRequest, order, config) -> dict:
    """What the widget shows: the shopper's view plus staff details of parcels and messages."""
    view = build_status_view(order, config, verified=True, language=language(request))
    rows = {str(p.pk): p for p in Parcel.objects.filter(order_id=order.id)}
    problems = list(Problem.objects.filter(order_id=order.id).order_by("-detected_at"))
    messages = list(
        NotificationLog.objects.filter(order_id=order.id)
        .annotate(
            opens=Count("engagement", filter=Q(engagement__kind=EngagementEvent.Kind.OPEN)),
            clicks=Count("engagement", filter=Q(engagement__kind=EngagementEvent.Kind.CLICK)),
        )
        .order_by("-created_at")[:50]
    )
    for message in messages:
        message.trigger = TRIGGERS.get(message.event, message.event)
    numbers = {item.id: item.number for item in (view.parcels if view else ())}
    for problem in problems:
        problem.label = PROBLEMS.get(problem.kind, problem.kind)
        problem.parcel_number = numbers.get(str(problem.parcel_id or ""), "")
        if problem.parcel_id and problem.parcel.direction == Parcel.Direction.RETURN:
            problem.label = format_lazy(
                gettext_lazy("Return parcel: {problem}"), problem=problem.label
            )
    for row in rows.values():
        row.can_check = can_poll(row, config)
    returns = order_returns(str(order.id), language(request))
    _attach_return_parcels(order, returns, config)
    base = request.build_absolute_uri("/").rstrip("/")
    return {
        "order": order,
        "view": view,
        "parcels": [(item, rows.get(item.id)) for item in (view.parcels if view else ())],
        "open_problems": [p for p in problems if p.resolved_at is None],
        "resolved_problems": [p for p in problems if p.resolved_at is not None],
        "messages": messages,
        "returns": returns,
        "carriers": sorted(((c, carrier_name(c)) for c in CARRIER_CODES), key=lambda c: c[1]),
        "status_link": status_url(str(order.id), config, base),
        "action_root": f"{root_path(request)}/api/orders/{order.id}",
    }


def _page(request: HttpRequest, ref: str, done: str = "", error: str = "", status: int = 200):
    try:
        order, config = _load(request, ref)
    except LookupError:
        return notice(request, 404, lambda: _("This order is not known to Aftersales."))
    if config is None:
        return notice(request, 409, lambda: _("Aftersales is not active in this order's channel."))
    data = context(request, order, config)
    data["done"] = str(DONE[done]) if done else ""
    data["error"] = str(REFUSED.get(error, REFUSED["not_available"])) if error else ""
    # staff read the order's times as its shop keeps them, with the zone shown
    return fragment(request, "order.html", data, status, zone=config.time_zone)


@route(ORDER)
def order_fragment(request: HttpRequest, ref: str) -> HttpResponse:
    return _page(request, ref)


@route(r"/api/order")
def order_by_query(request: HttpRequest) -> HttpResponse:
    """``?id=<Saleor global id>``: global ids are base64 and may hold ``/`` and ``+``."""
    return _page(request, request.GET.get("id", "")[:200])


@route(
    ORDER + r"/(?P<kind>parcels|messages|problems)/(?P<pk>\d{1,18})/"
    r"(?P<action>tracking|refresh|resend|resolve)",
    method="POST",
)
def order_action(request: HttpRequest, ref: str, kind: str, pk: str, action: str):
    """Run one staff action on a parcel, message or problem of the order."""
    allowed = {
        "parcels": ("tracking", "refresh"),
        "messages": ("resend",),
        "problems": ("resolve",),
    }
    if action not in allowed[kind]:
        return HttpResponse("Not found", status=404, content_type="text/plain")
    try:
        order, _config = _load(request, ref)
    except LookupError:
        return notice(request, 404, lambda: _("This order is not known to Aftersales."))
    rows = {
        # a return label's parcel can be checked too (``Parcel.objects`` leaves it out)
        "parcels": Parcel.tracked if action == "refresh" else Parcel.objects,
        "messages": NotificationLog.objects,
        "problems": Problem.objects,
    }[kind]
    target = rows.filter(pk=int(pk), order_id=order.id).first()
    if target is None:
        return notice(request, 404, lambda: _("This item no longer exists."))
    try:
        done = _act(request, action, target)
    except (staff.StaffActionError, ResendRefused) as exc:
        return _page(request, ref, error=getattr(exc, "code", "not_available"), status=400)
    return _page(request, ref, done=done)


def _act(request: HttpRequest, action: str, target) -> str:
    if action == "tracking":
        carrier = request.POST.get("carrier", "").strip()
        number = request.POST.get("tracking_number", "")
        if carrier and carrier != target.carrier:
            staff.choose_carrier(target, carrier)
        if number.strip() != target.tracking_number or not number.strip():
            staff.correct_tracking_number(target, number)
        return "tracking"
    if action == "refresh":
        staff.check_now(target)
        return "refresh"
    if action == "resend":
        return "resend" if resend(target) is not None else "resend_repeat"
    staff.resolve_problems([target])
    return "resolve"
