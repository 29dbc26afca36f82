"""Who is calling, and may they? Saleor's permissions and staff channel restrictions.

The host authenticates the request (``Host.authenticate``: Saleor staff/customer JWT or app
token from the ``Authorization`` header). Reading staff data needs ``MANAGE_ORDERS``;
changing it needs ``MANAGE_ORDERS`` or ``MANAGE_PLUGINS``; staff whose groups restrict channel
access only reach their channels.
"""

from __future__ import annotations

from ..hosts import get_host
from ..hosts.base import OrderView, Principal
from .errors import MutationError, PermissionDenied, QueryError

READ_PERMISSIONS: tuple[str, ...] = ("MANAGE_ORDERS",)
CHANGE_PERMISSIONS: tuple[str, ...] = ("MANAGE_ORDERS", "MANAGE_PLUGINS")

_UNSET = object()


def get_principal(request) -> Principal | None:
    """The authenticated caller of ``request`` (cached on the request), or ``None``."""
    principal = getattr(request, "_aftersales_principal", _UNSET)
    if principal is _UNSET:
        principal = get_host().authenticate(request)
        request._aftersales_principal = principal
    return principal


def staff_allowed(principal: Principal | None, channel_slug: str, *, change: bool) -> bool:
    """Whether a staff user or app may read (or change) the channel's aftersales data."""
    if principal is None or principal.kind not in ("staff", "app"):
        return False
    needed = CHANGE_PERMISSIONS if change else READ_PERMISSIONS
    return principal.has_any(*needed) and principal.can_access_channel(channel_slug)


def _message(change: bool) -> str:
    needed = CHANGE_PERMISSIONS if change else READ_PERMISSIONS
    return (
        "You need one of the following permissions: "
        + ", ".join(needed)
        + " and access to the channel."
    )


def require_staff(request, channel_slug: str, *, change: bool = False) -> Principal:
    """The caller, if it may read/change ``channel_slug``; else raise ``PermissionDenied``."""
    principal = get_principal(request)
    if not staff_allowed(principal, channel_slug, change=change):
        raise PermissionDenied(_message(change))
    return principal


def require_staff_mutation(request, channel_slug: str) -> Principal:
    """As :func:`require_staff` with ``change=True``, raising a ``MutationError``."""
    principal = get_principal(request)
    if not staff_allowed(principal, channel_slug, change=True):
        raise MutationError(_message(True), code="permission_denied")
    return principal


def may_read_order(principal: Principal | None, order: OrderView) -> bool:
    """Staff/app with ``MANAGE_ORDERS`` in the order's channel, or the customer who owns it."""
    if principal is None:
        return False
    if principal.kind == "customer":
        return principal.owns(order)
    return staff_allowed(principal, order.channel_slug, change=False)


def requested_channel(info, channel: str | None) -> str:
    """The ``channel`` argument, else the channel of the plugin route serving the request."""
    if channel:
        return channel
    config = getattr(info.context, "aftersales_config", None)
    if config is None:
        raise QueryError("Give the channel.")
    return config.channel_slug
