"""URLs shaped like Saleor's plugin routes, so links are the same in the sandbox and Saleor."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.web.middleware import serve


@csrf_exempt  # as in Saleor: plugin routes have no CSRF middleware; views protect themselves
def plugin_route(request: HttpRequest, channel_slug: str, path: str = "") -> HttpResponse:
    # the same answer as ChannelRoutes gives in Saleor (404 unknown channel, 503 on failure)
    return serve(request, channel_slug)


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
