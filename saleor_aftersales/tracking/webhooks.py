"""Carrier push: verify, parse and apply webhook payloads.

Every receiver verifies before it reads: a missing or wrong signature raises
:class:`~saleor_aftersales.core.exceptions.BadWebhook` with status 401 and nothing is stored. A
signed body that is not bounded JSON (:func:`..core.bodies.loads`: nesting) or not a tracking
payload raises it with status 400.
Events are stored by their source id, so duplicates and out-of-order deliveries are harmless.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Mapping

from ..config import AftersalesConfig
from ..core import bodies
from ..core.exceptions import BadWebhook
from ..models import Parcel
from .carriers.aftership import SLUGS, AfterShipClient
from .carriers.base import MalformedPayload
from .numbers import normalize

logger = logging.getLogger(__name__)

AFTERSHIP_SIGNATURE_HEADER = "aftership-hmac-sha256"


def sign(secret: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, body)) — AfterShip's signature."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify(secret: str, body: bytes, signature: str | None) -> bool:
    """Constant-time check of ``signature`` against the body's HMAC."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(sign(secret, body).encode(), signature.strip().encode())


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def handle_aftership(config: AftersalesConfig, body: bytes, headers: Mapping[str, str]) -> int:
    """Verify and apply one AfterShip webhook; returns the number of parcels updated."""
    from .service import apply_result

    if not verify(config.aftership_webhook_secret, body,
                  _header(headers, AFTERSHIP_SIGNATURE_HEADER)):
        raise BadWebhook("invalid or missing signature", carrier="aftership", status=401)
    try:
        payload = bodies.loads(body)
    except bodies.BadBody as exc:
        raise BadWebhook(exc.message, carrier="aftership") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("msg"), dict):
        raise BadWebhook("no tracking in payload", carrier="aftership")
    msg = payload["msg"]
    number = normalize(str(msg.get("tracking_number") or ""))
    if not number:
        raise BadWebhook("no tracking number", carrier="aftership")
    client = AfterShipClient(config)
    try:
        result = client.parse_tracking(msg)
    except MalformedPayload as exc:
        raise BadWebhook(str(exc), carrier="aftership") from exc
    parcels = Parcel.tracked.filter(channel_slug=config.channel_slug, tracking_number=number)
    slug = str(msg.get("slug") or "")
    updated = 0
    for parcel in parcels:
        if parcel.carrier and slug and SLUGS.get(parcel.carrier) not in (slug, None):
            continue  # same number, other carrier
        apply_result(parcel, result, config, push=True)
        updated += 1
    if not updated:
        logger.info("aftersales: AfterShip push for unknown number %s", number)
    return updated
