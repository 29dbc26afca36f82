"""HTTP views of the plugin route: health for now; the status page registers here too."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from .. import __version__
from ..config import AftersalesConfig
from .routes import route


@route(r"/health", "health")
def health(request: HttpRequest, config: AftersalesConfig) -> JsonResponse:
    """Liveness probe of the plugin route for a channel."""
    return JsonResponse({"ok": True, "version": __version__, "channel": config.channel_slug})
