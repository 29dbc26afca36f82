"""Path → view for the plugin's channel route (``/plugins/channel/<slug>/<PLUGIN_ID>/…``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

from ..config import AftersalesConfig

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern[str]
    view: View
    name: str


ROUTES: list[Route] = []

#: Modules whose ``@route`` views make up the plugin route (imported on first dispatch).
ROUTE_MODULES: tuple[str, ...] = (
    "saleor_aftersales.web.returns",  # return form (before views' catch-all below /status)
    "saleor_aftersales.web.views",  # status page, widget, health
    "saleor_aftersales.web.api",  # widget API (after the page's catch-all, as before)
    "saleor_aftersales.web.assets",  # script, stylesheet, favicon, widget demo
    "saleor_aftersales.web.push",  # carrier push webhooks
    "saleor_aftersales.web.mail",  # open pixel, click redirect, unsubscribe
    "saleor_aftersales.graphql.view",  # GraphQL API
)


def _load_routes() -> None:
    from importlib import import_module

    for module in ROUTE_MODULES:
        import_module(module)


def route(regex: str, name: str) -> Callable[[View], View]:
    """Register a view for paths matching ``regex`` (anchored; named groups become kwargs)."""

    def decorate(view: View) -> View:
        ROUTES.append(Route(re.compile(rf"^{regex}$"), view, name))
        return view

    return decorate


def dispatch(request: HttpRequest, path: str, config: AftersalesConfig) -> HttpResponse:
    """Call the view registered for ``path`` (relative to the plugin root), or answer 404."""
    _load_routes()

    path = "/" + (path or "").lstrip("/")
    for r in ROUTES:
        match = r.pattern.match(path)
        if match:
            return r.view(request, config=config, **match.groupdict())
    return HttpResponseNotFound("Not found", content_type="text/plain")
