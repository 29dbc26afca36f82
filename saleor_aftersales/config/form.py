"""Every settings field in the order the dashboard shows them, one group per module."""

from __future__ import annotations

from . import brand, carriers, emails, features, returns, storefront, text_messages, timing
from .fields import Field

FIELDS: tuple[Field, ...] = (
    *features.FIELDS,
    *storefront.FIELDS,
    *brand.FIELDS,
    *carriers.FIELDS,
    *timing.FIELDS,
    *emails.FIELDS,
    *returns.FIELDS,
    *text_messages.FIELDS,
)

FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
