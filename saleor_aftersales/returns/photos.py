"""Photos of a return: up to 3 JPEG, PNG or WebP images of at most 5 MB each.

Checked with Django's ``forms.ImageField`` (Pillow opens and verifies each file, so a
renamed PDF or a truncated image is refused), stored through Django's default storage (as
Saleor stores media) under a random name that only the staff API hands out.
"""

from __future__ import annotations

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from .errors import ReturnRefused

MAX_PHOTOS = 3
MAX_BYTES = 5 * 1024 * 1024
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def check(files) -> list[tuple[object, str]]:
    """``[(file, extension)]``; raise ``ReturnRefused("bad_photo")`` for anything else."""
    files = [f for f in files or () if f is not None]
    files = [f for f in files if not hasattr(f, "read") or getattr(f, "size", 0)]  # no empty
    if len(files) > MAX_PHOTOS:
        raise ReturnRefused("bad_photo", field="photos")
    checked = []
    for upload in files:
        if not hasattr(upload, "read") or upload.size > MAX_BYTES:
            raise ReturnRefused("bad_photo", field="photos")
        try:
            image = forms.ImageField().to_python(upload)
        except ValidationError as exc:
            raise ReturnRefused("bad_photo", field="photos") from exc
        extension = FORMATS.get(getattr(image.image, "format", "") or "")
        if extension is None:
            raise ReturnRefused("bad_photo", field="photos")
        upload.seek(0)
        checked.append((upload, extension))
    return checked


def store(order_id: str, request_id: int, checked: list[tuple[object, str]]) -> list[str]:
    """Save the checked photos; return their storage names."""
    folder = f"aftersales/returns/{order_id}/{request_id}"
    return [
        default_storage.save(f"{folder}/photo-{secrets.token_urlsafe(16)}.{ext}", upload)
        for upload, ext in checked
    ]
