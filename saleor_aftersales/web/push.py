"""Carrier push webhooks: ``POST …/webhooks/aftership``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from ..config import AftersalesConfig
from ..core import bodies
from ..core.exceptions import BadWebhook
from ..tracking import webhooks
from .routes import route

MAX_BODY = 1024 * 1024


@route(r"/webhooks/aftership", "push-aftership")
def aftership(request: HttpRequest, config: AftersalesConfig) -> HttpResponse:
    """AfterShip tracking updates; 401 without a valid signature, nothing stored then.

    415 unless the body is ``application/json``; 413 over :data:`MAX_BODY` bytes (read from
    ``Content-Length`` before the body); 400 for a signed body that is not bounded JSON.
    """
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if request.content_type != "application/json":
        return JsonResponse({"error": "content type must be application/json"}, status=415)
    try:
        body = bodies.read(request, MAX_BODY)
    except bodies.BadBody:
        return JsonResponse({"error": "payload too large"}, status=413)
    try:
        updated = webhooks.handle_aftership(config, body, request.headers)
    except BadWebhook as exc:
        return JsonResponse({"error": str(exc)}, status=exc.status)
    return JsonResponse({"ok": True, "parcels": updated})
