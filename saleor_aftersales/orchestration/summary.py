"""Zero-integration fallback: the status link and a short summary in public metadata.

A storefront that only talks to Saleor's API reads ``order.metadata`` and finds:

* ``aftersales.status_url`` - the signed link to the status page;
* ``aftersales.status`` - the overall state code (``timeline.OVERALL_CODES``);
* ``aftersales.summary`` - one translated sentence in the order's language, with the
  estimated delivery date when known;
* ``aftersales.estimated_delivery`` - ISO date, or empty.

Writes happen only when the content changed: a hash of it is claimed atomically on
``TrackedOrder.summary_hash`` first, so repeated hooks (our own metadata write may fire
Saleor's ``order_metadata_updated``/``order_updated`` again) end here without a write, and
two workers never write the same summary twice. The link is renewed with each change.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _

from ..core import formatting
from ..core.links import status_url
from ..models import Parcel, TrackedOrder
from .status_view import pick_language

if TYPE_CHECKING:
    from ..hosts.context import Context

logger = logging.getLogger(__name__)

PREFIX = "aftersales."
KEYS = ("status_url", "status", "summary", "estimated_delivery")


def summary_content(ctx: Context) -> dict[str, str]:
    """The summary without the link (state, sentence, ETA), in the order's language."""
    from ..status.timeline import overall_state

    parcels = list(Parcel.objects.filter(order_id=ctx.order.id))
    live = [p for p in parcels if p.status != "cancelled" and p.status != "delivered"]
    estimates = [p.estimated_delivery for p in live if p.estimated_delivery]
    eta = max(estimates) if estimates else None
    language = pick_language(ctx.order.language_code)
    with translation.override(language):
        state, text = overall_state(ctx.order, parcels, ctx.tracked)
        if eta and state not in ("delivered", "cancelled", "refunded", "returned"):
            # the page's date style (CLDR long: "14. März 2025" / "March 14, 2025")
            text = f"{text} " + _("Expected by %(date)s.") % {
                "date": formatting.local_date(eta, language)
            }
    return {
        "status": state,
        "summary": str(text)[:500],
        "estimated_delivery": eta.isoformat() if eta else "",
    }


def _digest(content: dict[str, str], ctx: Context) -> str:
    # the base URL is part of the content: a changed status page address rewrites the link
    base = status_url(ctx.order.id, ctx.config).rsplit("/status/", 1)[0]
    raw = json.dumps({**content, "base": base}, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def write_order_summary(ctx: Context) -> bool:
    """Write the summary when it changed; return whether metadata was written."""
    if not ctx.config.metadata_summary_enabled:
        return False
    content = summary_content(ctx)
    digest = _digest(content, ctx)
    claimed = (
        TrackedOrder.objects.filter(pk=ctx.tracked.pk)
        .exclude(summary_hash=digest)
        .update(summary_hash=digest)
    )
    if not claimed:
        return False
    previous = ctx.tracked.summary_hash
    items = {PREFIX + key: value for key, value in content.items()}
    items[PREFIX + "status_url"] = status_url(ctx.order.id, ctx.config)
    try:
        ctx.host.set_order_public_metadata(ctx.order.id, items)
    except Exception:
        TrackedOrder.objects.filter(pk=ctx.tracked.pk, summary_hash=digest).update(
            summary_hash=previous if previous != digest else ""
        )
        raise
    ctx.tracked.summary_hash = digest
    return True


def refresh_order_summary(order_id: str) -> bool:
    """Reload the order and write its summary if it changed (for carrier updates)."""
    from .loading import load

    ctx = load(order_id)
    return write_order_summary(ctx) if ctx is not None else False
