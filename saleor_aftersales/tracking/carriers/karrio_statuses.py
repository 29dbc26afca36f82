"""karrio's tracking statuses, and carriers' documented event codes, in our status taxonomy.

One table for every extension (:data:`STATUSES`, karrio's normalized values), plus, per
extension, the carrier's own event codes where karrio leaves them without a status or maps
them wrongly (:data:`EVENT_CODES`, which wins over karrio's status), and event texts that say
more than the code (:data:`EVENT_TEXTS`). Unknown karrio values map to ``None`` (noise) and
are logged once per value.
"""

from __future__ import annotations

import logging

from ...core.parcel_status import ParcelStatus

logger = logging.getLogger(__name__)

S = ParcelStatus

#: karrio's normalized tracking status → ours. Anything else: ``None`` (noise), logged once.
STATUSES: dict[str, str | None] = {
    "pending": S.LABEL_CREATED,
    "picked_up": S.IN_TRANSIT,
    "in_transit": S.IN_TRANSIT,
    "delivery_delayed": S.IN_TRANSIT,
    "on_hold": S.EXCEPTION,
    "cancelled": S.EXCEPTION,
    "out_for_delivery": S.OUT_FOR_DELIVERY,
    "ready_for_pickup": S.READY_FOR_PICKUP,
    "delivery_failed": S.FAILED_ATTEMPT,
    "delivered": S.DELIVERED,
    "return_to_sender": S.RETURNED,
    "unknown": None,
}

#: La Poste's "Suivi v2" event codes (developer.laposte.fr, API Suivi: ``event[].code``), the
#: API both ``laposte`` and ``colissimo`` read. karrio maps only DI1, MD2 and ET1 (ET1, "en
#: cours de traitement", as out for delivery: it is a sorting scan, in transit here).
LA_POSTE: dict[str, str] = {
    "DR1": S.LABEL_CREATED,  # déclaratif réceptionné: the sender announced the parcel
    "PC1": S.IN_TRANSIT,  # pris en charge
    "PC2": S.IN_TRANSIT,  # pris en charge dans le pays d'expédition
    "ET1": S.IN_TRANSIT,  # en cours de traitement
    "ET2": S.IN_TRANSIT,
    "ET3": S.IN_TRANSIT,
    "ET4": S.IN_TRANSIT,
    "EP1": S.IN_TRANSIT,  # en attente de présentation
    "DO1": S.IN_TRANSIT,  # entrée en douane
    "DO2": S.IN_TRANSIT,  # sortie de douane
    "DO3": S.EXCEPTION,  # retenu en douane
    "PB1": S.EXCEPTION,  # problème en cours
    "PB2": S.IN_TRANSIT,  # problème résolu
    "MD2": S.OUT_FOR_DELIVERY,  # mis en distribution
    "ND1": S.FAILED_ATTEMPT,  # non distribuable
    "AG1": S.READY_FOR_PICKUP,  # en attente d'être retiré au guichet
    "RE1": S.RETURNED,  # retourné à l'expéditeur
    "DI1": S.DELIVERED,  # distribué
    "DI2": S.RETURNED,  # distribué à l'expéditeur
}

#: Extension event codes that karrio leaves without a normalized status (or maps wrongly).
EVENT_CODES: dict[str, dict[str, str]] = {
    # DPD's parcel life-cycle states (ParcelLifeCycleService ``statusInfo.status``)
    "dpd": {
        "SHIPMENT": S.LABEL_CREATED,
        "PickedUp": S.IN_TRANSIT,
        "BetweenDepots": S.IN_TRANSIT,
        "Depot": S.IN_TRANSIT,
    },
    "laposte": LA_POSTE,
    "colissimo": LA_POSTE,
    # Royal Mail's Tracking API v2 ``eventCode``s that karrio's extension names (its
    # ``TrackingIncidentReason``); karrio gives Royal Mail events no status at all
    "royalmail": {
        "EVNPS": S.FAILED_ATTEMPT,  # consignee not home
        "EVNHE": S.EXCEPTION,  # held
        "EVNCU": S.EXCEPTION,  # held by customs
    },
    # Purolator's ``Scan/ScanType`` values (TrackingService 1.2.2) karrio leaves unmapped
    "purolator": {
        "ProofOfPickUp": S.IN_TRANSIT,
        "Other": S.IN_TRANSIT,
    },
    # DHL Parcel DE's standard event codes (``standard-event-code``; DHL's ICE/RIC table
    # parcel_de_ice_event_ric_combinations_July_2024.csv, vendored in karrio's extension):
    # VA "Vorankündigung (per EDI) / Electronic pre advise" (ICE PARCV, "PAN received by
    # carrier"); karrio knows no ICE of it and calls the shipment in transit
    "dhl_parcel_de": {"VA": S.LABEL_CREATED},
    # DHL's Shipment Tracking - Unified API ``statusCode`` "pre-transit" (karrio maps only
    # transit, delivered, failure)
    "dhl_universal": {"pre-transit": S.LABEL_CREATED},
    # USPS Tracking v3 ``eventCode`` GX, "Shipping Label Created, USPS Awaiting Item" (so
    # paired in the USPS answer of karrio's usps tests); karrio reads no status from it
    "usps": {"GX": S.LABEL_CREATED},
    # bpost ``stateCode`` L00, "BoundToRound - out_for_distribution" (karrio's bpost fixture):
    # karrio lists it as on hold, but the parcel is on its delivery round
    "bpost": {"L00": S.OUT_FOR_DELIVERY},
}
#: Event texts that name the state where the code does not (per extension, lower case).
EVENT_TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    # Purolator's label scan is a ScanType "Other" (karrio maps it so from release 2026.2)
    "purolator": (("shipper created a label", S.LABEL_CREATED),),
    # Australia Post's events carry no code, only these texts (karrio's australiapost fixture)
    "australiapost": (
        ("shipping information received by australia post", S.LABEL_CREATED),
        ("shipping information approved by australia post", S.LABEL_CREATED),
    ),
}
#: Extensions that stamp the shipment's current status on every event (Australia Post): only
#: the newest event carries it, as for extensions that give no status per event.
SHIPMENT_STATUS_ON_EVENTS = frozenset({"australiapost"})
#: Event texts that reveal "out for delivery" where the extension says only "in transit".
OUT_FOR_DELIVERY_TEXTS = (
    "out for delivery",
    "delivery vehicle",
    "zustellfahrzeug",
    "in zustellung",
    "with delivery courier",
)
_unknown_logged: set[str] = set()


def map_status(value: str | None, text: str = "") -> str | None:
    """A karrio status (``in_transit`` …) → ParcelStatus value; unknown values → ``None``."""
    key = (value or "").strip().lower()
    if not key:
        return None
    if key not in STATUSES:
        if key not in _unknown_logged:
            _unknown_logged.add(key)
            logger.warning("aftersales: unknown karrio tracking status %r (ignored)", key)
        return None
    status = STATUSES[key]
    lowered = (text or "").lower()
    if status == S.IN_TRANSIT and any(t in lowered for t in OUT_FOR_DELIVERY_TEXTS):
        return S.OUT_FOR_DELIVERY
    return status


def carrier_status(extension: str, code: str, text: str) -> str | None:
    """The status a carrier's own event code or text names (our tables), else ``None``."""
    lowered = (text or "").lower()
    for fragment, status in EVENT_TEXTS.get(extension, ()):
        if fragment in lowered:
            return status
    return EVENT_CODES.get(extension, {}).get(code)
