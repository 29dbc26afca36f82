"""AfterShip tracking API (``{aftership_api_url}/trackings``, header ``as-api-key``).

An aggregator for hundreds of carriers. A number must be registered before AfterShip tracks
it, so the first look-up of an unknown number registers it (``POST /trackings``) and returns
"not found yet"; later look-ups and push webhooks carry its checkpoints::

    {"meta": {"code": 200}, "data": {"trackings": [{"id": "…", "slug": "dhl-germany",
      "tracking_number": "…", "tag": "InTransit", "subtag": "InTransit_001",
      "courier_estimated_delivery_date": {"estimated_delivery_date": "2024-05-03"},
      "expected_delivery": "2024-05-03",
      "checkpoints": [{"checkpoint_time": "2024-05-01T10:00:00+02:00", "tag": "InTransit",
                       "subtag": "InTransit_001", "message": "…", "location": "…",
                       "city": "…", "country_region": "DEU"}]}]}}
"""

from __future__ import annotations

import hashlib
from typing import Any

from ...core.parcel_status import ParcelStatus
from .base import (
    CarrierClient,
    CarrierEvent,
    MalformedPayload,
    Request,
    TrackingResult,
    parse_date,
    parse_datetime,
)

#: Our carrier code → AfterShip courier slug.
SLUGS: dict[str, str] = {
    "dhl": "dhl-germany",
    "dhl_express": "dhl",
    "deutsche_post": "deutsch-post",
    "dpd": "dpd-de",
    "hermes": "hermes-de",
    "gls": "gls",
    "ups": "ups",
    "fedex": "fedex",
    "usps": "usps",
    "postnl": "postnl",
    "royal_mail": "royal-mail",
    "austrian_post": "austrian-post",
    "swiss_post": "swiss-post",
    "purolator": "purolator",
}
CARRIER_BY_SLUG: dict[str, str] = {slug: code for code, slug in SLUGS.items()}

TAGS: dict[str, str | None] = {
    "Pending": ParcelStatus.PENDING,
    "InfoReceived": ParcelStatus.LABEL_CREATED,
    "InTransit": ParcelStatus.IN_TRANSIT,
    "OutForDelivery": ParcelStatus.OUT_FOR_DELIVERY,
    "AttemptFail": ParcelStatus.FAILED_ATTEMPT,
    "Delivered": ParcelStatus.DELIVERED,
    "AvailableForPickup": ParcelStatus.READY_FOR_PICKUP,
    "Exception": ParcelStatus.EXCEPTION,
    "Expired": None,
}
#: Exception subtags that mean the parcel goes back to the shop.
RETURN_SUBTAGS = frozenset({"Exception_010", "Exception_011"})


class AfterShipClient(CarrierClient):
    source = "aftership"
    carriers = frozenset()  # any carrier

    def configured(self) -> bool:
        return bool(self.config.aftership_api_key and self.config.aftership_api_url)

    def _headers(self) -> dict[str, str]:
        return {"as-api-key": self.config.aftership_api_key, "Accept": "application/json",
                "Content-Type": "application/json"}

    def build_request(self, carrier: str | None, tracking_number: str) -> Request:
        params = {"tracking_numbers": tracking_number}
        if carrier in SLUGS:
            params["slug"] = SLUGS[carrier]
        return Request("GET", self.config.aftership_api_url.rstrip("/") + "/trackings",
                       headers=self._headers(), params=params)

    def track(self, carrier: str | None, tracking_number: str) -> TrackingResult:
        result = super().track(carrier, tracking_number)
        if not result.found:
            self.register(carrier, tracking_number)
        return result

    def register(self, carrier: str | None, tracking_number: str) -> None:
        """Ask AfterShip to start tracking the number (409/4xx "exists" answers are fine)."""
        body: dict[str, Any] = {"tracking_number": tracking_number}
        if carrier in SLUGS:
            body["slug"] = SLUGS[carrier]
        req = Request("POST", self.config.aftership_api_url.rstrip("/") + "/trackings",
                      headers=self._headers(), json=body)
        response = self.call(req)
        if response.status_code == 429:
            self.breaker.block_until(self.rate_limited_until(response))

    def map_status(self, code: str, text: str = "") -> str | None:
        tag, _, _ = (code or "").partition("/")
        if tag == "Exception" and text in RETURN_SUBTAGS:
            return ParcelStatus.RETURNED
        return TAGS.get(tag)

    def parse(self, payload: Any, carrier: str | None, tracking_number: str) -> TrackingResult:
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
            raise MalformedPayload("aftership: no data object", carrier=self.source)
        data = payload["data"]
        trackings = data.get("trackings")
        if trackings is None and isinstance(data.get("tracking"), dict):
            trackings = [data["tracking"]]
        if not isinstance(trackings, list):
            raise MalformedPayload("aftership: no trackings list", carrier=self.source)
        if not trackings:
            return TrackingResult(source=self.source, found=False)
        return self.parse_tracking(trackings[0])

    def parse_tracking(self, tracking: dict) -> TrackingResult:
        """One tracking object (from the API or a webhook's ``msg``) → result."""
        if not isinstance(tracking, dict):
            raise MalformedPayload("aftership: tracking is not an object", carrier=self.source)
        if "tag" not in tracking and "checkpoints" not in tracking:
            raise MalformedPayload("aftership: tracking has neither tag nor checkpoints",
                                   carrier=self.source)
        events, skipped = self.events_from(tracking.get("checkpoints"), self._event)
        return TrackingResult(
            source=self.source,
            events=events,
            estimated_delivery=_estimate(tracking),
            carrier=CARRIER_BY_SLUG.get(str(tracking.get("slug") or "")),
            skipped=skipped,
            extra={"tracking_number": str(tracking.get("tracking_number") or ""),
                   "slug": str(tracking.get("slug") or "")},
        )

    def _event(self, raw: dict) -> CarrierEvent:
        occurred_at = parse_datetime(raw["checkpoint_time"])
        tag = str(raw.get("tag") or "")
        subtag = str(raw.get("subtag") or "")
        message = str(raw.get("message") or raw.get("subtag_message") or "")
        location = str(raw.get("location") or ", ".join(
            str(p) for p in (raw.get("city"), raw.get("country_region")) if p
        ))
        fingerprint = "|".join((raw["checkpoint_time"], tag, subtag, message, location))
        return CarrierEvent(
            source_id="as:" + hashlib.sha256(fingerprint.encode()).hexdigest()[:32],
            occurred_at=occurred_at,
            status=self.map_status(tag, subtag),
            description=message[:2000],
            location=location[:255],
            raw_status=subtag or tag,
        )


def _estimate(tracking: dict):
    for key in ("courier_estimated_delivery_date", "aftership_estimated_delivery_date"):
        value = tracking.get(key)
        if isinstance(value, dict):
            found = parse_date(value.get("estimated_delivery_date"))
            if found:
                return found
    return parse_date(tracking.get("expected_delivery"))
