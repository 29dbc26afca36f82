"""The Aftersales page's Insights and Health tabs, and each chart's CSV.

A chart's CSV link is signed (ten minutes) with the channels and period of the page that
showed it, so a plain link downloads it: the frame's token cannot ride on a link.
"""

from __future__ import annotations

import csv
import io

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from ..operations import doctor
from .auth import channels_of, principal
from .insights import PERIODS, charts
from .render import fragment, notice, refused
from .routes import route
from .svg import bar_chart, shown
from .views import language, root_path

CSV_SALT = "saleor_aftersales.dashboard.csv"
CSV_SECONDS = 10 * 60


def _scope(request: HttpRequest) -> tuple[list[str], list[str], str, int]:
    """``(all channels the caller may see, chosen channels, chosen slug, days)``."""
    from ..hosts.channels import channel_slugs
    from .problems import _channels

    allowed = channels_of(principal(request), sorted(set(channel_slugs()) | set(_channels())))
    chosen = request.GET.get("channel", "")
    days = int(request.GET.get("days", "30")) if request.GET.get("days", "30").isdigit() else 30
    days = days if days in PERIODS else 30
    return allowed, [chosen] if chosen in allowed else allowed, chosen, days


@route(r"/api/insights")
def insights(request: HttpRequest) -> HttpResponse:
    allowed, channels, chosen, days = _scope(request)
    with translation.override(language(request)):
        found = charts(channels, days)
        empty = _("No data in this period.")
        items = [
            {
                "chart": c,
                "svg": bar_chart(c, empty),
                "rows": [(r.group, r.label, shown(r, c.unit), r.count) for r in c.rows],
                "csv": f"{root_path(request)}/api/insights/{c.key}.csv?s="
                + signing.dumps({"c": channels, "d": days, "k": c.key}, salt=CSV_SALT),
            }
            for c in found
        ]
    return fragment(
        request,
        "insights.html",
        {
            "items": items,
            "channels": allowed,
            "chosen": chosen,
            "days": days,
            "periods": PERIODS,
            "root": root_path(request),
        },
    )


@route(r"/api/insights/(?P<key>[a-z_]{1,40})\.csv")
def chart_csv(request: HttpRequest, key: str) -> HttpResponse:
    """One chart's rows as CSV (group, label, value, based on)."""
    try:
        scope = signing.loads(request.GET.get("s", ""), salt=CSV_SALT, max_age=CSV_SECONDS)
    except signing.BadSignature:
        return notice(request, 403, lambda: _("This download link has expired. Reload the page."))
    if scope.get("k") != key:
        return notice(request, 403, lambda: _("This download link has expired. Reload the page."))
    with translation.override(language(request)):
        chart = next((c for c in charts(scope["c"], scope["d"]) if c.key == key), None)
        if chart is None:
            return HttpResponse("Not found", status=404, content_type="text/plain")
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([_("Group"), _("Label"), _("Value"), _("Based on")])
        for row in chart.rows:
            value = round(row.value, 4)
            writer.writerow([row.group, row.label, value, row.count])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aftersales-{key}-{scope["d"]}d.csv"'
    return response


@route(r"/api/health")
def health(request: HttpRequest) -> HttpResponse:
    """The doctor's report (``manage.py aftersales_doctor``) on the page."""
    caller = principal(request)
    if not caller.has_any("MANAGE_ORDERS") or caller.channel_slugs is not None:
        return refused(request, 403)  # the report covers every channel
    lines = doctor.run(timeout=2.0)
    return fragment(
        request,
        "health.html",
        {"lines": lines, "root": root_path(request), "failed": sum(not x.ok for x in lines)},
    )
