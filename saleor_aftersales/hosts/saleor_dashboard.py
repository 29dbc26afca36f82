"""Saleor 3.23: verify a dashboard extension's token with Saleor's own JWT machinery.

The token is what ``AppExtension.accessToken`` returns (``saleor.core.jwt
.create_access_token_for_app_extension``): a ``thirdparty`` JWT signed by Saleor's JWT
manager, naming the app (``app``: its global id) and the staff user, with ``permissions``
the intersection of the app's and the user's. We accept it only for our own installed,
active app, for an active user whose ``jwt_token_key`` still matches (a password change or
logout-all revokes it), and take channel access from the user's groups as the staff
GraphQL API does (:func:`.saleor.staff_principal`).
"""

from __future__ import annotations

import logging
from typing import Any

from .base import Principal

logger = logging.getLogger(__name__)


def authenticate(token: str, app_identifier: str, request: Any = None) -> Principal | None:
    """The staff principal of an extension token of app ``app_identifier``, else ``None``."""
    import graphene
    import jwt
    from saleor.app.models import App
    from saleor.core.jwt import (
        JWT_THIRDPARTY_ACCESS_TYPE,
        get_user_from_access_payload,
        is_saleor_token,
        jwt_decode,
    )

    from .saleor import staff_principal

    try:
        if not is_saleor_token(token):
            return None
        try:
            payload = jwt_decode(token)  # signature, expiry
        except jwt.PyJWTError:
            return None
        if payload.get("type") != JWT_THIRDPARTY_ACCESS_TYPE:
            return None
        try:
            kind, app_pk = graphene.Node.from_global_id(str(payload.get("app") or ""))
        except Exception:
            return None
        if kind != "App" or not str(app_pk).isdigit():
            return None
        ours = App.objects.filter(
            pk=int(app_pk), identifier=app_identifier, is_active=True, removed_at__isnull=True
        ).exists()
        if not ours:
            return None
        try:
            user = get_user_from_access_payload(payload, request)
        except jwt.PyJWTError:
            return None
        if user is None or not user.is_active or not user.is_staff:
            return None
        return staff_principal(user, request)
    except Exception:
        logger.exception("aftersales: could not verify a dashboard token")
        return None
