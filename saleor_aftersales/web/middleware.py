"""Serve the plugin's channel routes straight from Django's middleware chain (opt-in).

Through Saleor's plugin routing, every request to ``/plugins/channel/<slug>/<PLUGIN_ID>/…``
first loads the channel's plugins: Saleor's ``PluginsManager`` reads the channel and its
plugin rows (four statements) and builds every plugin in ``settings.PLUGINS`` before ours
runs. That is most of a cached status page's time and the ceiling of every plugin route.
With :class:`ChannelRoutes` in ``settings.MIDDLEWARE``, the same URLs are answered by our
views directly: one read of our channel's configuration, no other plugin built.

Contract:

* Same URLs, same answers: a path Saleor would route to this plugin in a channel (Saleor's
  pattern: ``plugins/channel/<[.0-9A-Za-z_-]+>/<PLUGIN_ID>/``) gets what the plugin route
  gives, including ``404`` for an unknown channel or a channel where the plugin is off, and
  ``503`` if a view fails. Every other request passes through untouched, in the handler's
  own mode (no thread hop for Saleor's requests under ASGI).
* List it last in ``MIDDLEWARE``: the middleware before it (security headers, Saleor's own)
  still see every response, as with Saleor's routing.
* Writes run in the host's scope (Saleor: ``allow_writer()``, as its plugin views do).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

from ..core.ids import PLUGIN_ID
from ..hosts import get_host, task_scope
from .routes import dispatch

logger = logging.getLogger(__name__)

#: Saleor's per-channel plugin URL (``saleor/urls.py``) for this plugin's id.
CHANNEL_ROUTE = re.compile(rf"^/plugins/channel/([.0-9A-Za-z_\-]+)/{re.escape(PLUGIN_ID)}/")


def serve(request: HttpRequest, channel_slug: str) -> HttpResponse:
    """The plugin route's answer to ``request`` in the channel, without Saleor's manager."""
    # the path below the plugin's root, split as Saleor's PluginsManager.webhook splits it
    path = request.path.split(PLUGIN_ID, 1)[1]
    try:
        with task_scope():
            config = get_host().get_config(channel_slug)
            if config is None:  # no such channel, or the plugin is off there
                return HttpResponseNotFound("Not found", content_type="text/plain")
            return dispatch(request, path, config)
    except Exception:
        logger.exception("aftersales: route %s failed", path)
        return HttpResponse("Temporarily unavailable", status=503, content_type="text/plain")


class ChannelRoutes:
    """Django middleware (sync and async): the plugin's channel routes, answered directly."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest):
        if self.is_async:
            return self.__acall__(request)
        match = CHANNEL_ROUTE.match(request.path_info)
        if match is None:
            return self.get_response(request)
        return serve(request, match[1])

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        match = CHANNEL_ROUTE.match(request.path_info)
        if match is None:
            return await self.get_response(request)
        # our views are synchronous and use the database: in the request's sync thread
        return await sync_to_async(serve, thread_sensitive=True)(request, match[1])
