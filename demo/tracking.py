"""Carrier news for the demo parcels, parsed from documented-shape payloads and stored by the
real tracking service (no network): a DHL parcel out for delivery, a UPS parcel in transit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel
from saleor_aftersales.tracking.carriers.aftership import AfterShipClient
from saleor_aftersales.tracking.carriers.dhl import DhlClient
from saleor_aftersales.tracking.service import apply_result


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _dhl_payload(number: str, now: datetime) -> dict:
    steps = [
        (30, "pre-transit", "Die Sendung wurde elektronisch angekündigt."),
        (24, "transit", "Die Sendung wurde im Start-Paketzentrum bearbeitet."),
        (14, "transit", "Die Sendung wurde im Ziel-Paketzentrum bearbeitet."),
        (2, "transit", "Die Sendung wurde in das Zustellfahrzeug geladen."),
    ]
    events = [{"timestamp": _iso(now - timedelta(hours=h)), "statusCode": code,
               "status": text, "description": text,
               "location": {"address": {"addressLocality": "Köln", "countryCode": "DE"}}}
              for h, code, text in steps]
    return {"shipments": [{"id": number, "service": "parcel-de", "events": events[::-1],
                           "estimatedTimeOfDelivery": _iso(now + timedelta(hours=4))}]}


def _aftership_tracking(number: str, now: datetime) -> dict:
    checkpoints = [
        {"checkpoint_time": _iso(now - timedelta(hours=h)), "tag": tag, "subtag": f"{tag}_001",
         "message": text, "location": place}
        for h, tag, text, place in [
            (20, "InfoReceived", "Shipper created a label", "Köln, DE"),
            (12, "InTransit", "Origin scan", "Köln, DE"),
            (3, "InTransit", "Departed from facility", "Frankfurt, DE"),
        ]
    ]
    return {"tracking_number": number, "slug": "ups", "tag": "InTransit",
            "courier_estimated_delivery_date": {
                "estimated_delivery_date": (now + timedelta(days=2)).date().isoformat()},
            "checkpoints": checkpoints}


def play_journeys(order_id: str) -> None:
    """Feed carrier news to the order's DHL and UPS parcels (idempotent)."""
    now = datetime.now(UTC)
    for parcel in Parcel.objects.filter(order_id=order_id):
        config = get_host().get_config(parcel.channel_slug)
        if config is None:
            continue
        if parcel.carrier == "dhl":
            result = DhlClient(config).parse(_dhl_payload(parcel.tracking_number, now), "dhl",
                                             parcel.tracking_number)
        elif parcel.carrier == "ups":
            result = AfterShipClient(config).parse_tracking(
                _aftership_tracking(parcel.tracking_number, now))
        else:
            continue
        apply_result(parcel, result, config, now=now)
