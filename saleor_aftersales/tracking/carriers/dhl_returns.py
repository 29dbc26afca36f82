"""DHL Parcel DE Returns API (``POST {url}/orders?labelType=BOTH``): a prepaid return label.

Documented request (``ReturnOrder``)::

    {"receiverId": "deu", "customerReference": "Order 1001", "shipmentReference": "return-7",
     "shipper": {"name1": "…", "addressStreet": "…", "addressHouse": "…", "postalCode": "…",
                 "city": "…", "email": "…"},
     "itemValue": {"currency": "EUR", "value": 59.8}}

Answer ``201`` (``ReturnOrderConfirmation``)::

    {"shipmentNo": "999990000001", "routingCode": "…", "label": {"b64": "<PDF>"},
     "qrLabel": {"b64": "<PNG>"}, "qrLink": "https://…", "sstatus": {"statusCode": 201, …}}

Errors come as ``application/problem+json`` (``{"title", "status", "detail"}``). Every failure
(4xx, 5xx, a timeout, an unreadable answer, the circuit open) raises :class:`LabelFailed`;
the caller tells the shopper to try again and keeps nothing of the attempt. Authentication:
the app's API key in ``dhl-api-key`` and the business customer's user and password (Basic).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from decimal import Decimal

import requests

from ...config import AftersalesConfig
from ...core.exceptions import CarrierError
from .. import http
from ..circuit import CircuitBreaker

SOURCE = "dhl_returns"


class LabelFailed(CarrierError):
    """No label: the API refused, failed, was too slow, or answered something unreadable."""


@dataclass(frozen=True)
class ReturnLabel:
    shipment_number: str
    pdf: bytes
    qr_png: bytes = b""
    qr_link: str = ""


@dataclass(frozen=True)
class Shipper:
    name: str
    street: str
    postal_code: str
    city: str
    email: str = ""


def split_street(line: str) -> tuple[str, str]:
    """``"Heidestraße 17a"`` → ``("Heidestraße", "17a")`` (the API wants both apart)."""
    match = re.match(r"^(.*?)[\s,]+(\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)$", line.strip())
    return (match.group(1), match.group(2)) if match else (line.strip(), "")


def configured(config: AftersalesConfig) -> bool:
    return bool(
        config.dhl_returns_api_url
        and config.dhl_returns_receiver_id
        and config.dhl_api_key
        and config.dhl_returns_username
    )


def create_label(
    config: AftersalesConfig,
    shipper: Shipper,
    *,
    reference: str,
    order_number: str,
    value: Decimal,
    currency: str,
    send: http.Send | None = None,
) -> ReturnLabel:
    """Order one return label; raise :class:`LabelFailed` for anything but a usable label."""
    breaker = CircuitBreaker(SOURCE)
    if not breaker.allow():
        raise LabelFailed(f"{SOURCE}: circuit open", carrier=SOURCE)
    street, house = split_street(shipper.street)
    body = {
        "receiverId": config.dhl_returns_receiver_id,
        "customerReference": f"Order {order_number}"[:30],
        "shipmentReference": reference[:30],
        "shipper": {
            "name1": shipper.name[:50],
            "addressStreet": street[:50],
            "addressHouse": house[:10],
            "postalCode": shipper.postal_code,
            "city": shipper.city[:40],
            **({"email": shipper.email} if shipper.email else {}),
        },
        "itemValue": {"currency": currency, "value": float(value)},
    }
    credentials = f"{config.dhl_returns_username}:{config.dhl_returns_password}"
    headers = {
        "dhl-api-key": config.dhl_api_key,
        "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode(),
        "Accept": "application/json",
    }
    url = config.dhl_returns_api_url.rstrip("/") + "/orders"
    try:
        response = http.request(
            "POST",
            url,
            headers=headers,
            params={"labelType": "BOTH"},
            json=body,
            send=send,
            retries=0,
        )
    except requests.RequestException as exc:
        breaker.record_failure()
        raise LabelFailed(f"{SOURCE}: {exc}", carrier=SOURCE) from exc
    text = (response.content or b"")[:500].decode("utf-8", "replace")
    if response.status_code >= 500:
        breaker.record_failure()
    if response.status_code not in (200, 201):
        raise LabelFailed(
            f"{SOURCE}: HTTP {response.status_code}",
            carrier=SOURCE,
            status_code=response.status_code,
            response=text,
        )
    try:
        payload = json.loads(response.content)
        label = ReturnLabel(
            shipment_number=str(payload["shipmentNo"]),
            pdf=base64.b64decode(payload["label"]["b64"], validate=True),
            qr_png=base64.b64decode((payload.get("qrLabel") or {}).get("b64") or "", validate=True),
            qr_link=str(payload.get("qrLink") or ""),
        )
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        breaker.record_failure()
        raise LabelFailed(
            f"{SOURCE}: unreadable answer",
            carrier=SOURCE,
            status_code=response.status_code,
            response=text,
        ) from exc
    if not label.shipment_number or not label.pdf.startswith(b"%PDF"):
        breaker.record_failure()
        raise LabelFailed(
            f"{SOURCE}: no label in the answer",
            carrier=SOURCE,
            status_code=response.status_code,
            response=text,
        )
    breaker.record_success()
    return label
