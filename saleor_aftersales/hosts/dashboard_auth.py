"""Who opened an Aftersales page inside the Saleor dashboard: the extension's access token.

The dashboard hands each extension frame a token (the AppBridge ``handshake`` message); our
pages send it back as ``Authorization: Bearer <token>``. Under Saleor the token is Saleor's
third-party JWT for our installed app (``hosts/saleor_dashboard.py``). The sandbox has no
Saleor, so it signs an equivalent short-lived token with Django's ``SECRET_KEY``
(:func:`make_sandbox_token`) for the demo and the tests. Either way the answer is a staff
:class:`~.base.Principal` or ``None``; nothing here raises.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core import signing

from . import get_host
from .base import Principal

SANDBOX_SALT = "saleor_aftersales.dashboard_token"
#: As Saleor's ``JWT_TTL_APP_ACCESS`` default: the dashboard refreshes tokens before this.
TOKEN_SECONDS = 5 * 60


def authenticate_dashboard(token: str, app_identifier: str, request=None) -> Principal | None:
    """The staff member a dashboard token was issued to, for the app ``app_identifier``."""
    if not token or len(token) > 8192:
        return None
    if get_host().name == "saleor":
        from .saleor_dashboard import authenticate

        return authenticate(token, app_identifier, request)
    return _sandbox_authenticate(token, app_identifier)


def make_sandbox_token(
    app_identifier: str,
    *,
    user_id: str = "1",
    email: str = "staff@example.com",
    permissions: Iterable[str] = ("MANAGE_ORDERS",),
    channels: Iterable[str] | None = None,
) -> str:
    """A signed sandbox token shaped like Saleor's extension JWT (expires after 5 min)."""
    payload = {
        "app": app_identifier,
        "user_id": str(user_id),
        "email": email,
        "permissions": sorted(permissions),
        "channels": None if channels is None else sorted(channels),
    }
    return signing.dumps(payload, salt=SANDBOX_SALT, compress=True)


def _sandbox_authenticate(token: str, app_identifier: str) -> Principal | None:
    try:
        payload = signing.loads(token, salt=SANDBOX_SALT, max_age=TOKEN_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("app") != app_identifier:
        return None
    channels = payload.get("channels")
    return Principal(
        kind="staff",
        id=str(payload.get("user_id", "")),
        permissions=frozenset(payload.get("permissions") or ()),
        channel_slugs=None if channels is None else frozenset(channels),
        email=str(payload.get("email", "")),
    )
