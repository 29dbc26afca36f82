"""URLs shaped like Saleor's plugin routes, so links are the same in the sandbox and Saleor."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.hosts import get_host
from saleor_aftersales.web.routes import dispatch


@csrf_exempt  # as in Saleor: plugin routes have no CSRF middleware; views protect themselves
def plugin_route(request: HttpRequest, channel_slug: str, path: str = "") -> HttpResponse:
    config = get_host().get_config(channel_slug)
    if config is None:
        return HttpResponseNotFound("Not found", content_type="text/plain")
    return dispatch(request, path, config)


@csrf_exempt  # as Saleor's global plugin route: the dashboard pages check their own token
def dashboard_route(request: HttpRequest, path: str) -> HttpResponse:
    from saleor_aftersales.dashboard.routes import dispatch as dashboard_dispatch

    return dashboard_dispatch(request, path)


def _standin(request: HttpRequest) -> HttpResponse:
    from .dashboard_standin import standin

    return standin(request)


urlpatterns = [
    re_path(rf"^plugins/{PLUGIN_ID}(?P<path>/dashboard(?:/.*)?)$", dashboard_route),
    re_path(r"^dashboard-standin/$", _standin),
    re_path(
        rf"^plugins/channel/(?P<channel_slug>[.0-9A-Za-z_\-]+)/{PLUGIN_ID}(?P<path>/.*)?$",
        plugin_route,
    ),
]
