"""Review prompts: the shopper's star rating and comment of a delivered order."""

from __future__ import annotations

from django.utils import translation

from ..config import AftersalesConfig
from ..core.exceptions import AftersalesError
from ..hosts.base import OrderView
from ..models import Parcel, Review, TrackedOrder
from ..status.types import ReviewState
from .text import clean

MAX_COMMENT = 5000


class InvalidReview(AftersalesError, ValueError):
    """The rating is not 1..5, the comment is too long, or the order is not delivered."""


def review_state(order_id: str, config: AftersalesConfig, *, delivered: bool) -> ReviewState:
    """Whether to prompt for a review (one query when reviews are on)."""
    if not config.reviews_enabled:
        return ReviewState(enabled=False)
    review = Review.objects.filter(order_id=order_id).only("rating", "comment").first()
    return state_of(review, config, delivered=delivered)


def state_of(
    review: Review | None, config: AftersalesConfig, *, delivered: bool, with_comment: bool = True
) -> ReviewState:
    """:func:`review_state` from the order's already loaded review row (``None``: none);
    without ``with_comment`` the shopper's comment is left out (unverified readers)."""
    if not config.reviews_enabled:
        return ReviewState(enabled=False)
    return ReviewState(
        enabled=delivered,
        rating=review.rating if review else None,
        comment=review.comment if review and with_comment else "",
        platform_url=config.review_platform_url,
    )


def is_delivered(order: OrderView) -> bool:
    """Whether every parcel of the order has arrived (the page's "delivered"): 2 queries.

    What a review needs to know, without building the whole status view.
    """
    from ..models import Parcel, TrackedOrder
    from ..status.timeline import overall_state

    parcels = list(Parcel.objects.filter(order_id=order.id))
    tracked = TrackedOrder.objects.filter(order_id=order.id).first()
    with translation.override("en"):
        return overall_state(order, parcels, tracked)[0] == "delivered"


def parse_rating(value: object) -> int:
    """A rating from form or JSON input; raise :class:`InvalidReview` unless 1..5."""
    try:
        rating = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise InvalidReview("choose between 1 and 5 stars") from exc
    if not 1 <= rating <= 5:
        raise InvalidReview("choose between 1 and 5 stars")
    return rating


def submit_review(
    order_id: str,
    config: AftersalesConfig,
    rating: object,
    comment: str = "",
    *,
    delivered: bool,
    verified: bool = True,
) -> Review:
    """Store (or update) the order's review; the order must be delivered and reviews on.

    The comment is stored without control characters (:func:`.text.clean`). An unverified
    reader never sees the stored comment (it may name the shopper), so an empty comment from
    them keeps it: a forwarded link can change the stars, never silently erase what the
    shopper wrote. A verified reader's submission replaces the review as sent.
    """
    if not config.reviews_enabled:
        raise InvalidReview("reviews are switched off")
    if not delivered:
        raise InvalidReview("the order has not been delivered yet")
    stars = parse_rating(rating)
    text = clean(comment, multiline=True).strip()
    if len(text) > MAX_COMMENT:
        raise InvalidReview(f"the comment is longer than {MAX_COMMENT} characters")
    defaults: dict[str, object] = {"channel_slug": config.channel_slug, "rating": stars}
    if text or verified:
        defaults["comment"] = text
    review, _ = Review.objects.update_or_create(order_id=order_id, defaults=defaults)
    return review


def review_blocker(order_id: str, cancelled: bool) -> str:
    """Why no review request may go out for the order ('' if it may)."""
    tracked = TrackedOrder.objects.filter(order_id=order_id).first()
    if cancelled or (tracked and (tracked.cancelled_at or tracked.refunded_at)):
        return "order cancelled or refunded"
    if Review.objects.filter(order_id=order_id).exists():
        return "order already reviewed"
    parcels = Parcel.objects.filter(order_id=order_id).exclude(status="cancelled")
    if not parcels.exists() or parcels.exclude(status="delivered").exists():
        return "order not delivered"
    return ""
