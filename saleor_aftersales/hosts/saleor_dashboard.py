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

import dataclasses
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
        return _with_plugin_permission(staff_principal(user, request), payload, user.pk)
    except Exception:
        logger.exception("aftersales: could not verify a dashboard token")
        return None


def _with_plugin_permission(found: Principal, payload: dict, user_pk: Any) -> Principal:
    """Add ``MANAGE_PLUGINS`` when the staff member holds it themself.

    Saleor limits an extension token's ``permissions`` to the extension's (``MANAGE_ORDERS``)
    and signs the user's own in ``user_permissions``; the Settings tab saves as Saleor's
    plugin form does, for staff who may manage plugins, so it counts when the token says so
    and the user still holds it now.
    """
    if "MANAGE_PLUGINS" not in (payload.get("user_permissions") or ()):
        return found
    from saleor.account.models import User
    from saleor.permission.enums import get_permission_names

    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None or "MANAGE_PLUGINS" not in get_permission_names(user.effective_permissions):
        return found
    return dataclasses.replace(found, permissions=found.permissions | {"MANAGE_PLUGINS"})


def install_app(
    manifest_url: str, app_identifier: str, *, name: str, permissions: list[str]
) -> tuple[bool, str]:
    """Install the app from ``manifest_url`` as ``appInstall`` does, without the API.

    The same steps as Saleor's ``AppInstall`` mutation: the manifest URL is cleaned, an
    ``AppInstallation`` with the permissions is created and Saleor's ``install_app_task``
    runs it (here, synchronously), activating the app. Returns ``(installed, message)``.
    """
    from django.core.exceptions import ValidationError
    from saleor.app.manifest_validations import clean_manifest_url
    from saleor.app.models import App, AppInstallation
    from saleor.app.tasks import install_app_task
    from saleor.core.db.connection import allow_writer
    from saleor.permission.enums import get_permissions_from_names

    with allow_writer():
        existing = App.objects.filter(identifier=app_identifier, removed_at__isnull=True).first()
        if existing is not None and existing.is_installed:
            return False, f"already installed as app #{existing.pk} ({existing.name})"
        try:
            clean_manifest_url(manifest_url)
        except ValidationError as exc:
            return False, "; ".join(exc.messages)
        job = AppInstallation.objects.create(app_name=name, manifest_url=manifest_url)
        job.permissions.set(get_permissions_from_names(permissions))
        install_app_task(job.pk, True)
        failed = AppInstallation.objects.filter(pk=job.pk).first()
        if failed is not None:
            return False, failed.message or "the installation failed"
        app = App.objects.get(identifier=app_identifier, removed_at__isnull=True)
        return True, f"installed as app #{app.pk} ({app.name})"
