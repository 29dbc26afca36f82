"""Carrier journeys of the demo parcels: scripted carrier news, fed to the real tracking
service as documented-shape payloads (DHL Unified API, AfterShip), one step at a time.

A journey is a list of :class:`Step`. The steps a parcel has seen so far, with their times,
are kept in ``<AFTERSALES_DEMO_OUT>/journeys.json`` so that every later payload repeats the
same history (as a carrier's API does) and only the new step is news to the tracking service.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel
from saleor_aftersales.tracking.carriers.aftership import SLUGS, AfterShipClient
from saleor_aftersales.tracking.carriers.dhl import DhlClient
from saleor_aftersales.tracking.service import apply_result


@dataclass(frozen=True)
class Step:
    """One carrier event: DHL ``statusCode`` or AfterShip ``tag``, text and place."""

    code: str
    text: str
    place: str
    estimate_days: int | None = None  # the carrier's estimate, in days from this event


#: AfterShip (English texts): the journeys of parcels in English orders.
AFTERSHIP: dict[str, list[Step]] = {
    "standard": [
        Step("InfoReceived", "Shipment information received", "Köln, DE", 2),
        Step("InTransit", "Picked up by the carrier", "Köln, DE", 2),
        Step("InTransit", "Arrived at the sorting centre", "Frankfurt am Main, DE", 1),
        Step("InTransit", "Arrived at the delivery depot", "Berlin, DE", 1),
        Step("OutForDelivery", "Out for delivery", "Berlin, DE", 0),
        Step("Delivered", "Delivered, handed to the recipient", "Berlin, DE"),
    ],
    "stuck": [  # overdue: no news for days, then it moves again
        Step("InfoReceived", "Shipment information received", "Köln, DE"),
        Step("InTransit", "Picked up by the carrier", "Köln, DE"),
        Step("InTransit", "Arrived at the hub", "Hannover, DE"),
        Step("InTransit", "Departed from the hub after a delay in the network", "Hannover, DE", 1),
        Step("OutForDelivery", "Out for delivery", "München, DE", 0),
        Step("Delivered", "Delivered, left with a neighbour", "München, DE"),
    ],
    "attempt": [  # a failed delivery attempt, then a second try
        Step("InfoReceived", "Shipment information received", "Köln, DE", 2),
        Step("InTransit", "Picked up by the carrier", "Köln, DE", 1),
        Step("OutForDelivery", "Out for delivery", "Düsseldorf, DE", 0),
        Step("AttemptFail", "Recipient not at home; next attempt on the next working day",
             "Düsseldorf, DE", 1),
        Step("OutForDelivery", "Out for delivery (second attempt)", "Düsseldorf, DE", 0),
        Step("Delivered", "Delivered, handed to the recipient", "Düsseldorf, DE"),
    ],
}

#: DHL Unified API (German texts): the journeys of parcels in German orders.
DHL: dict[str, list[Step]] = {
    "standard": [
        Step("pre-transit", "Die Auftragsdaten zu dieser Sendung wurden vom Absender "
             "elektronisch an DHL übermittelt.", "Köln", 2),
        Step("transit", "Die Sendung wurde im Start-Paketzentrum bearbeitet.", "Köln", 1),
        Step("transit", "Die Sendung wurde im Ziel-Paketzentrum bearbeitet.", "Stuttgart", 1),
        Step("transit", "Die Sendung wurde in das Zustellfahrzeug geladen.", "Stuttgart", 0),
        Step("delivered", "Die Sendung wurde erfolgreich zugestellt.", "Stuttgart"),
    ],
    "pickup": [
        Step("pre-transit", "Die Auftragsdaten zu dieser Sendung wurden vom Absender "
             "elektronisch an DHL übermittelt.", "Köln", 2),
        Step("transit", "Die Sendung wurde im Start-Paketzentrum bearbeitet.", "Köln", 1),
        Step("transit", "Die Sendung wurde im Ziel-Paketzentrum bearbeitet.", "Dresden", 1),
        Step("transit", "Die Sendung liegt in der Filiale zur Abholung bereit.", "Dresden"),
        Step("delivered", "Die Sendung wurde in der Filiale an den Empfänger übergeben.",
             "Dresden"),
    ],
}

_lock = threading.Lock()


def _state_path() -> Path:
    return Path(settings.OUT_DIR) / "journeys.json"


def _load() -> dict[str, dict]:
    path = _state_path()
    return json.loads(path.read_text()) if path.is_file() else {}


def _save(state: dict[str, dict]) -> None:
    path = _state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
    tmp.replace(path)


def reset() -> None:
    """Forget every journey (a fresh database)."""
    _state_path().unlink(missing_ok=True)


def steps_of(journey: dict) -> list[Step]:
    return (DHL if journey["api"] == "dhl" else AFTERSHIP)[journey["script"]]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _estimate(step: Step, at: datetime) -> str | None:
    if step.estimate_days is None:
        return None
    return (at + timedelta(days=step.estimate_days)).date().isoformat()


def _dhl_payload(number: str, steps: list[Step], times: list[str]) -> dict:
    events = [
        {"timestamp": t, "statusCode": s.code, "status": s.text, "description": s.text,
         "location": {"address": {"addressLocality": s.place, "countryCode": "DE"}}}
        for s, t in zip(steps, times, strict=False)
    ]
    shipment = {"id": number, "service": "parcel-de", "events": events[::-1],
                "status": events[-1]}
    estimate = _estimate(steps[len(times) - 1], datetime.fromisoformat(times[-1]))
    if estimate:
        shipment["estimatedTimeOfDelivery"] = f"{estimate}T18:00:00Z"
    return {"shipments": [shipment]}


def _aftership_payload(number: str, carrier: str, steps: list[Step], times: list[str]) -> dict:
    checkpoints = [
        {"checkpoint_time": t, "tag": s.code, "subtag": f"{s.code}_001", "message": s.text,
         "location": s.place}
        for s, t in zip(steps, times, strict=False)
    ]
    last = steps[len(times) - 1]
    tracking = {"tracking_number": number, "slug": SLUGS.get(carrier, carrier), "tag": last.code,
                "checkpoints": checkpoints}
    estimate = _estimate(last, datetime.fromisoformat(times[-1]))
    if estimate:
        tracking["courier_estimated_delivery_date"] = {"estimated_delivery_date": estimate}
    return {"meta": {"code": 200}, "data": {"trackings": [tracking]}}


def _apply(parcel: Parcel, journey: dict, now: datetime) -> None:
    config = get_host().get_config(parcel.channel_slug)
    if config is None:
        return
    steps = steps_of(journey)
    times = journey["times"]
    if journey["api"] == "dhl":
        payload = _dhl_payload(parcel.tracking_number, steps, times)
        result = DhlClient(config).parse(payload, parcel.carrier, parcel.tracking_number)
    else:
        payload = _aftership_payload(parcel.tracking_number, parcel.carrier, steps, times)
        result = AfterShipClient(config).parse(payload, parcel.carrier, parcel.tracking_number)
    apply_result(parcel, result, config, now=now)


def start(parcel: Parcel, api: str, script: str) -> None:
    """Give the parcel a journey (no step taken yet)."""
    with _lock:
        state = _load()
        state[parcel.fulfillment_id] = {"api": api, "script": script, "times": []}
        _save(state)


def advance(
    now: datetime | None = None, only: str | None = None
) -> list[tuple[Parcel, Step]]:
    """Feed every unfinished journey (or only the parcel of fulfillment ``only``) its next
    step at ``now``; returns what happened."""
    now = now or datetime.now(UTC)
    happened: list[tuple[Parcel, Step]] = []
    with _lock:
        state = _load()
        wanted = [only] if only else sorted(state)
        parcels = Parcel.objects.in_bulk(wanted, field_name="fulfillment_id")
        for fulfillment_id in wanted:
            journey, parcel = state.get(fulfillment_id), parcels.get(fulfillment_id)
            if not journey or parcel is None or parcel.status == "cancelled":
                continue
            steps = steps_of(journey)
            if len(journey["times"]) >= len(steps):
                continue
            last = datetime.fromisoformat(journey["times"][-1]) if journey["times"] else None
            at = max(now, last + timedelta(seconds=1)) if last else now
            journey["times"].append(_iso(at))
            _apply(parcel, journey, at)
            happened.append((parcel, steps[len(journey["times"]) - 1]))
        _save(state)
    return happened


def progress(fulfillment_id: str) -> tuple[int, int]:
    """``(steps seen, steps in the journey)`` of a parcel (``(0, 0)`` without a journey)."""
    journey = _load().get(fulfillment_id)
    if not journey:
        return 0, 0
    return len(journey["times"]), len(steps_of(journey))
