"""DHL Shipment Tracking - Unified API (``GET {dhl_api_url}?trackingNumber=…``).

Answer shape (documented)::

    {"shipments": [{"id": "…", "service": "parcel-de",
                    "status": {"timestamp": "…", "statusCode": "transit", "status": "…",
                               "description": "…", "location": {"address": {…}}},
                    "estimatedTimeOfDelivery": "2024-05-03T18:00:00Z",
                    "events": [{"timestamp": "…", "statusCode": "pre-transit|transit|delivered|
                                failure|unknown", "status": "…", "description": "…",
                                "location": {"address": {"addressLocality": "…",
                                                         "countryCode": "DE"}}}]}]}

``statusCode`` is coarse: the free text refines "transit" into out for delivery or ready for
pickup, and "failure" into a failed attempt or a return. A 429 means the daily quota is
spent: DHL blocks the key until the next day, so the circuit stays open until then.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from ...core.parcel_status import ParcelStatus, status_from_text
from ..circuit import next_utc_midnight
from .base import (
    CarrierClient,
    CarrierEvent,
    MalformedPayload,
    Request,
    TrackingResult,
    parse_date,
    parse_datetime,
    retry_after_seconds,
)

#: DHL ``service`` query value per carrier code (narrows the search, saves quota).
SERVICES = {"dhl": "parcel-de", "dhl_express": "express", "deutsche_post": "post-de"}

STATUS_CODES: dict[str, str | None] = {
    "pre-transit": ParcelStatus.LABEL_CREATED,
    "transit": ParcelStatus.IN_TRANSIT,
    "delivered": ParcelStatus.DELIVERED,
    "failure": ParcelStatus.EXCEPTION,
    "unknown": None,
}


class DhlClient(CarrierClient):
    source = "dhl"
    carriers = frozenset(SERVICES)

    def configured(self) -> bool:
        return bool(self.config.dhl_api_key and self.config.dhl_api_url)

    def build_request(self, carrier: str | None, tracking_number: str) -> Request:
        params: dict[str, Any] = {"trackingNumber": tracking_number}
        if carrier in SERVICES:
            params["service"] = SERVICES[carrier]
        return Request(
            "GET",
            self.config.dhl_api_url,
            headers={"DHL-API-Key": self.config.dhl_api_key, "Accept": "application/json"},
            params=params,
        )

    def rate_limited_until(self, response) -> float:
        seconds = retry_after_seconds(response)
        if seconds is not None:
            return time.time() + seconds
        return next_utc_midnight()

    def map_status(self, code: str, text: str = "") -> str | None:
        base = STATUS_CODES.get((code or "").lower())
        hinted = status_from_text(text)
        if base == ParcelStatus.IN_TRANSIT and hinted in (
            ParcelStatus.OUT_FOR_DELIVERY, ParcelStatus.READY_FOR_PICKUP
        ):
            return hinted
        if base == ParcelStatus.EXCEPTION and hinted in (
            ParcelStatus.FAILED_ATTEMPT, ParcelStatus.RETURNED, ParcelStatus.READY_FOR_PICKUP
        ):
            return hinted
        if base is None and hinted:
            return hinted
        return base

    def parse(self, payload: Any, carrier: str | None, tracking_number: str) -> TrackingResult:
        if not isinstance(payload, dict) or not isinstance(payload.get("shipments"), list):
            raise MalformedPayload("dhl: no shipments list", carrier=self.source)
        shipments = [s for s in payload["shipments"] if isinstance(s, dict)]
        if not payload["shipments"]:
            return TrackingResult(source=self.source, found=False)
        if not shipments:
            raise MalformedPayload("dhl: no shipment is an object", carrier=self.source)
        shipment = shipments[0]
        status = shipment.get("status")
        if not shipment.get("events") and not isinstance(status, dict):
            raise MalformedPayload("dhl: shipment has neither events nor a status",
                                   carrier=self.source)
        events, skipped = self.events_from(shipment.get("events"), self._event)
        if not events:
            # some answers carry only the current status
            try:
                events = (self._event(status),)
            except (KeyError, TypeError, ValueError) as exc:
                raise MalformedPayload(f"dhl: unreadable shipment status ({exc})",
                                       carrier=self.source) from exc
        return TrackingResult(
            source=self.source,
            events=events,
            estimated_delivery=parse_date(shipment.get("estimatedTimeOfDelivery")),
            skipped=skipped + len(payload["shipments"]) - len(shipments),
        )

    def _event(self, raw: dict) -> CarrierEvent:
        occurred_at = parse_datetime(raw["timestamp"])
        code = str(raw.get("statusCode") or "")
        status_text = str(raw.get("status") or "")
        description = str(raw.get("description") or status_text)
        location = _location(raw.get("location"))
        fingerprint = "|".join((raw["timestamp"], code, status_text, description, location))
        return CarrierEvent(
            source_id="dhl:" + hashlib.sha256(fingerprint.encode()).hexdigest()[:32],
            occurred_at=occurred_at,
            status=self.map_status(code, f"{status_text} {description}"),
            description=description[:2000],
            location=location[:255],
            raw_status=code,
        )


def _location(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    address = value.get("address") or {}
    if not isinstance(address, dict):
        return ""
    parts = [address.get("addressLocality"), address.get("countryCode")]
    return ", ".join(str(p) for p in parts if p)
