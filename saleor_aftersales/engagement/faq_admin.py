"""Staff changes to the FAQ: validate, create, update, delete, reorder.

The one place these rules live; the GraphQL mutations (``graphql/mutations/faq_*.py``) and
the dashboard's FAQ editor (``dashboard/faq.py``) both call it. Answers are stored as typed
and sanitised when shown (:func:`.faq.sanitize`). Every write forgets the channel's cached
status pages (model signals for single rows, :func:`status_cache.forget_channel` for bulk).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from ..models import FaqEntry
from ..status import cache as status_cache
from .text import clean

MAX_QUESTION = FaqEntry._meta.get_field("question").max_length
MAX_ANSWER = 10_000


class FaqInvalid(ValueError):
    """A field is wrong: ``code`` (``required``, ``invalid``, ``not_found``) and ``field``."""

    def __init__(self, message: str, code: str, field: str) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


def languages() -> list[str]:
    """The shop's languages (``settings.LANGUAGES``), English first."""
    codes = [code for code, _name in getattr(settings, "LANGUAGES", [("en", "English")])]
    return sorted(set(codes), key=lambda c: (c != "en", c))


def clean_input(data: Mapping[str, Any], *, creating: bool) -> dict:
    """Model field values from ``data`` (``None`` = unchanged); raise :class:`FaqInvalid`."""
    cleaned: dict = {}
    language = data.get("language_code")
    if language is not None or creating:
        language = (language or "").strip().lower()
        if not language:
            raise FaqInvalid("Give the language.", "required", "languageCode")
        if len(language) > 35 or not all(c.isalnum() or c in "-_" for c in language):
            raise FaqInvalid("Not a language code.", "invalid", "languageCode")
        cleaned["language_code"] = language
    for key, limit in (("question", MAX_QUESTION), ("answer", MAX_ANSWER)):
        value = data.get(key)
        if value is None and not creating:
            continue
        value = clean(value or "", multiline=key == "answer").strip()
        if not value:
            raise FaqInvalid(f"The {key} must not be empty.", "required", key)
        if len(value) > limit:
            raise FaqInvalid(f"The {key} is longer than {limit} characters.", "invalid", key)
        cleaned[key] = value
    context = data.get("context")
    if context is not None:
        context = getattr(context, "value", context)
        if context not in FaqEntry.Context.values:
            raise FaqInvalid("Not an order state.", "invalid", "context")
        cleaned["context"] = context
    position = data.get("position")
    if position is not None:
        if position < 0:
            raise FaqInvalid("The position must not be negative.", "invalid", "position")
        cleaned["position"] = position
    if data.get("is_published") is not None:
        cleaned["is_published"] = bool(data["is_published"])
    return cleaned


def create(channel_slug: str, data: dict) -> FaqEntry:
    """A new entry from cleaned ``data``: last in its language unless a position is given."""
    data = dict(data)
    if data.get("position") is None:
        last = FaqEntry.objects.filter(
            channel_slug=channel_slug, language_code=data["language_code"]
        ).aggregate(m=Max("position"))["m"]
        data["position"] = 0 if last is None else last + 1
    data.setdefault("context", FaqEntry.Context.ANY)
    return FaqEntry.objects.create(channel_slug=channel_slug, **data)


def update(entry: FaqEntry, data: dict) -> FaqEntry:
    """Set the cleaned fields of ``data`` on ``entry`` and save them."""
    for field, value in data.items():
        setattr(entry, field, value)
    if data:
        entry.save(update_fields=[*data, "updated_at"])
    return entry


def delete(entry: FaqEntry) -> FaqEntry:
    """Delete ``entry``; the returned instance keeps its ``pk`` for the caller's answer."""
    pk = entry.pk
    entry.delete()
    entry.pk = pk
    return entry


def reorder(channel_slug: str, language_code: str, wanted: Sequence[int]) -> list[FaqEntry]:
    """Put the entries ``wanted`` (pks) first in that order, the others after them as they
    were; positions become 0, 1, 2 … Raise :class:`FaqInvalid` for repeated or foreign pks."""
    if len(set(wanted)) != len(wanted):
        raise FaqInvalid("An entry is listed twice.", "invalid", "ids")
    with transaction.atomic():
        entries = list(
            FaqEntry.objects.select_for_update()
            .filter(channel_slug=channel_slug, language_code=language_code)
            .order_by("position", "id")
        )
        by_pk = {e.pk: e for e in entries}
        if any(pk not in by_pk for pk in wanted):
            raise FaqInvalid(
                "Some entries are not in this channel and language.", "not_found", "ids"
            )
        chosen = set(wanted)
        ordered = [by_pk[pk] for pk in wanted] + [e for e in entries if e.pk not in chosen]
        for position, entry in enumerate(ordered):
            entry.position = position
        FaqEntry.objects.bulk_update(ordered, ["position"])
        status_cache.forget_channel(channel_slug)
    return ordered


def move(entry: FaqEntry, step: int, among: Sequence[int] = ()) -> bool:
    """Swap ``entry`` with its neighbour ``step`` (-1 up, +1 down) among the pks ``among``
    (the list the editor shows; default: its channel and language). ``False`` at an end."""
    current = list(
        FaqEntry.objects.filter(channel_slug=entry.channel_slug, language_code=entry.language_code)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    shown = [pk for pk in current if not among or pk in set(among)]
    if entry.pk not in shown:
        return False
    index = shown.index(entry.pk)
    if not 0 <= index + step < len(shown):
        return False
    neighbour = shown[index + step]
    a, b = current.index(entry.pk), current.index(neighbour)
    current[a], current[b] = current[b], current[a]
    reorder(entry.channel_slug, entry.language_code, current)
    return True
