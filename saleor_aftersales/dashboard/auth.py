"""Who calls a dashboard fragment: the extension token in ``Authorization: Bearer``.

The token is verified by the host (``hosts/dashboard_auth.py``: Saleor's JWT for our app, or
the sandbox's signed stand-in). Reading and changing an order's aftersales data needs
``MANAGE_ORDERS`` and access to the order's channel, the rule of the staff GraphQL API
(:func:`saleor_aftersales.graphql.auth.staff_allowed`).
"""

from __future__ import annotations

from django.http import HttpRequest

from ..graphql.auth import staff_allowed
from ..hosts.base import Principal
from ..hosts.dashboard_auth import authenticate_dashboard
from .manifest import APP_ID


class Refused(Exception):
    """No valid token (401) or no permission for this channel (403)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def bearer(request: HttpRequest) -> str:
    parts = request.META.get("HTTP_AUTHORIZATION", "").split(maxsplit=1)
    if len(parts) == 2 and parts[0].lower() == "bearer":
        return parts[1].strip()
    return ""


def principal(request: HttpRequest) -> Principal:
    """The staff member behind the request's token; ``Refused(401)`` without a valid one."""
    cached = getattr(request, "_aftersales_dashboard_principal", None)
    if cached is not None:
        return cached
    found = authenticate_dashboard(bearer(request), APP_ID, request)
    if found is None or found.kind != "staff":
        raise Refused(401)
    request._aftersales_dashboard_principal = found
    return found


def require_channel(request: HttpRequest, channel_slug: str) -> Principal:
    """The caller, if they may manage orders of ``channel_slug``; else ``Refused(403)``."""
    caller = principal(request)
    if not staff_allowed(caller, channel_slug, change=False):
        raise Refused(403)
    return caller


def channels_of(caller: Principal, all_channels: list[str]) -> list[str]:
    """The channels among ``all_channels`` the caller may manage orders of."""
    return [c for c in all_channels if staff_allowed(caller, c, change=False)]
