"""The Aftersales page under Orders: the problem queue, filtered and resolved in bulk.

Filters: kind, channel (only channels the caller may manage), carrier and minimum age in
days. A return parcel's problem is named as such. The oldest open problems come first, 50
to a page; each links to its order in the dashboard (our script asks the dashboard to
navigate there).
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from graphql_relay import to_global_id

from ..hosts import get_host
from ..models import Parcel, Problem
from ..tracking import staff
from ..tracking.numbers import carrier_name
from .auth import channels_of, principal
from .order import PROBLEMS
from .render import fragment, shared_zone
from .routes import route
from .views import root_path

PAGE_SIZE = 50
AGES = (0, 1, 3, 7, 14)


def _channels() -> list[str]:
    return sorted(set(Problem.objects.values_list("channel_slug", flat=True).distinct()))


def _filtered(request: HttpRequest, channels: list[str]):
    params = request.GET if request.method == "GET" else request.POST
    kind = params.get("kind", "")
    channel = params.get("channel", "")
    carrier = params.get("carrier", "")
    try:
        age = int(params.get("age", "0") or 0)
    except ValueError:
        age = 0
    query = Problem.objects.filter(resolved_at__isnull=True, channel_slug__in=channels)
    if kind in PROBLEMS:
        query = query.filter(kind=kind)
    if channel in channels:
        query = query.filter(channel_slug=channel)
    if carrier:
        query = query.filter(parcel__carrier=carrier)
    if age in AGES and age:
        query = query.filter(detected_at__lte=timezone.now() - timedelta(days=age))
    chosen = {"kind": kind, "channel": channel, "carrier": carrier, "age": age}
    return query.select_related("parcel").order_by("detected_at", "pk"), chosen


def queue(request: HttpRequest, done: str = "", status: int = 200) -> HttpResponse:
    caller = principal(request)
    channels = channels_of(caller, _channels())
    query, chosen = _filtered(request, channels)
    total = query.count()
    problems = list(query[:PAGE_SIZE])
    host = get_host()
    numbers: dict[str, str] = {}
    for order_id in {str(p.order_id) for p in problems}:
        order = host.get_order(order_id)
        numbers[order_id] = order.number if order else ""
    now = timezone.now()
    for problem in problems:
        problem.label = PROBLEMS.get(problem.kind, problem.kind)
        if problem.parcel and problem.parcel.direction == Parcel.Direction.RETURN:
            problem.label = format_lazy(_lazy("Return parcel: {problem}"), problem=problem.label)
        problem.number = numbers.get(str(problem.order_id), "")
        problem.order_gid = to_global_id("Order", str(problem.order_id))
        problem.days = (now - problem.detected_at).days
        problem.carrier_label = carrier_name(problem.parcel.carrier) if problem.parcel else ""
    carriers = sorted(
        {
            c
            for c in Parcel.tracked.filter(channel_slug__in=channels)
            .values_list("carrier", flat=True)
            .distinct()
            if c
        }
    )
    return fragment(
        request,
        "problems.html",
        {
            "problems": problems,
            "total": total,
            "chosen": chosen,
            "kinds": [(k, str(v)) for k, v in PROBLEMS.items()],
            "channels": channels,
            "carriers": [(c, carrier_name(c)) for c in carriers],
            "ages": AGES,
            "root": root_path(request),
            "done": done,
        },
        status,
        zone=shared_zone([chosen["channel"]] if chosen["channel"] in channels else channels),
    )


@route(r"/api/problems")
def problems_fragment(request: HttpRequest) -> HttpResponse:
    return queue(request)


@route(r"/api/problems/resolve", method="POST")
def resolve_selected(request: HttpRequest) -> HttpResponse:
    """Resolve the ticked problems (only those in the caller's channels)."""
    caller = principal(request)
    ids = [int(v) for v in request.POST.getlist("problem")[:500] if v.isdigit() and len(v) < 19]
    channels = channels_of(caller, _channels())
    chosen = Problem.objects.filter(pk__in=ids, channel_slug__in=channels)
    count = staff.resolve_problems(list(chosen))
    from django.utils import translation

    from .views import language

    with translation.override(language(request)):
        from django.utils.translation import ngettext

        done = ngettext("%(count)d problem resolved.", "%(count)d problems resolved.", count) % {
            "count": count
        }
        if not ids:
            done = _("Tick the problems to resolve first.")
    return queue(request, done=done)
