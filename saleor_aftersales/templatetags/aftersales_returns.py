"""Template helpers of the return form and the status page's returns section."""

from __future__ import annotations

from django import template

from ..returns.views import blocked_text as _blocked_text

register = template.Library()


@register.simple_tag
def shopper_returns(view, config):
    """The order's return options for the status page; ``None`` when there is nothing to show.

    Built only for a verified reader (its view has personal data) or when the order has
    returns already; an anonymous reader sees that returns exist, never their lines.
    """
    from ..hosts import get_host
    from ..returns.models import ReturnRequest
    from ..returns.views import return_options

    if not config.returns_enabled:
        return None
    host = get_host()
    if view.personal is None:
        if not ReturnRequest.objects.filter(order_id=view.order_id).exists() and not any(
            p.status == "delivered" for p in view.parcels
        ):
            return None
        return {"returns": (), "can_return": True}
    order = host.get_order(str(view.order_id))
    if order is None:
        return None
    options = return_options(order, config, host, summary=True)
    if not options.returns and not options.can_return:
        return None
    return options


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def quantity_range(maximum: int):
    return range(0, int(maximum) + 1)


@register.filter
def blocked_text(item) -> str:
    return _blocked_text(item)
