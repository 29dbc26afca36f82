"""FAQ entries for an order's state and language, with answers sanitised for the page."""

from __future__ import annotations

from collections.abc import Iterable

import nh3

from ..models import FaqEntry

Context = FaqEntry.Context

#: Overall order state (``timeline.OVERALL_CODES``) → FAQ context.
CONTEXT_BY_STATE: dict[str, str] = {
    "received": Context.PROCESSING,
    "paid": Context.PROCESSING,
    "preparing": Context.PROCESSING,
    "partially_shipped": Context.SHIPPED,
    "shipped": Context.SHIPPED,
    "in_transit": Context.SHIPPED,
    "out_for_delivery": Context.SHIPPED,
    "ready_for_pickup": Context.SHIPPED,
    "partially_delivered": Context.SHIPPED,
    "delivered": Context.DELIVERED,
    "failed_attempt": Context.PROBLEM,
    "exception": Context.PROBLEM,
    "delayed": Context.PROBLEM,
    "returned": Context.PROBLEM,
    "cancelled": Context.CANCELLED,
    "refunded": Context.CANCELLED,
}

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def sanitize(html: str) -> str:
    """Keep simple formatting and http(s)/mailto links; drop scripts, handlers and styles."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def entries_for(channel_slug: str, language: str, state: str) -> list[tuple[int, str, str]]:
    """Published ``(id, question, sanitised answer)`` for ``state`` (plus 'any'), in one query.

    Entries in ``language`` win; when the channel has none in that language, English ones
    are used instead.
    """
    entries = FaqEntry.objects.filter(
        channel_slug=channel_slug, is_published=True, language_code__in={language, "en"}
    ).only("id", "language_code", "context", "question", "answer")
    return choose(entries, language, state)


def choose(entries: Iterable[FaqEntry], language: str, state: str) -> list[tuple[int, str, str]]:
    """:func:`entries_for` over already loaded published entries (in display order)."""
    context = CONTEXT_BY_STATE.get(state, Context.PROCESSING)
    fitting = [e for e in entries if e.context in (context, Context.ANY)]
    chosen = [e for e in fitting if e.language_code == language] or [
        e for e in fitting if e.language_code == "en"
    ]
    return [(e.pk, e.question, sanitize(e.answer)) for e in chosen]
