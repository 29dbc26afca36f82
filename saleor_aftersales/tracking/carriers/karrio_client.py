"""Tracking with the shop's own carrier accounts through karrio (LGPL-3.0, used as a library).

Installed with ``pip install saleor-aftersales[carriers]`` (karrio and its extensions). The
channel setting ``karrio_carriers`` is a secret JSON object, one entry per karrio carrier
with that extension's connection settings, e.g.
``{"dhl_parcel_de": {"username": "…", "password": "…", "client_id": "…", "client_secret":
"…"}, "ups": {"client_id": "…", "client_secret": "…"}}``. An entry may add ``"base_url"``
(scheme and host for every API request, e.g. a carrier's regional host).

``config.karrio.EXTENSIONS`` lists, per carrier code of ours, the karrio extensions that can
track it (checked against each extension's mapper and proxy; Austrian Post's ``postat`` has no
tracking). The request and the parsing are karrio's; the flow around them (circuit breaker
per extension, 429 back-off, 5xx, unknown numbers) is the base class's contract.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from ...config.karrio import EXTENSIONS, PACKAGES, installed, parse_accounts
from ...core.exceptions import CarrierError, CircuitOpen, RateLimited
from ..circuit import CircuitBreaker, next_utc_midnight
from . import karrio_transport
from .base import (
    CarrierClient,
    CarrierEvent,
    MalformedPayload,
    TrackingResult,
    parse_date,
    parse_datetime,
    retry_after_seconds,
)
from .karrio_statuses import SHIPMENT_STATUS_ON_EVENTS, carrier_status, map_status

logger = logging.getLogger(__name__)


def _outside_event_loop(function, *args):
    """``function(*args)``, in a helper thread when this thread runs an asyncio event loop.

    karrio runs its requests with ``asyncio.run``, which refuses to start inside a running
    loop (an async caller, or a Playwright session in the same thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="karrio") as pool:
        return pool.submit(function, *args).result()


#: Extensions whose API has a daily quota: a 429 without Retry-After lasts until midnight UTC.
DAILY_QUOTA = frozenset({"dhl_parcel_de", "dhl_universal", "dhl_express"})

_cache: Any = None


def account_carriers(config) -> tuple[str, ...]:
    """Our carrier codes the channel has a karrio account for (installed or not)."""
    try:
        accounts = parse_accounts(getattr(config, "karrio_carriers", "") or "")
    except ValueError:
        return ()
    return tuple(code for code, names in EXTENSIONS.items() if any(n in accounts for n in names))


class KarrioClient(CarrierClient):
    """One carrier account of the shop, tracked through karrio's extension for it."""

    source = "karrio"
    carriers = frozenset(EXTENSIONS)

    def __init__(self, config, send=None) -> None:
        super().__init__(config, send=send)
        # this channel's carriers (what the doctor tries): those with an installed account
        self.carriers = frozenset(c for c in EXTENSIONS if self.extension(c))

    def _accounts(self) -> dict[str, dict[str, Any]]:
        try:
            return parse_accounts(getattr(self.config, "karrio_carriers", "") or "")
        except ValueError:
            return {}

    def extension(self, carrier: str | None) -> str | None:
        """The karrio carrier name that will track ``carrier`` for this channel, if any."""
        accounts = self._accounts()
        for name in EXTENSIONS.get(carrier or "", ()):
            if name in accounts and installed(name):
                return name
        return None

    def supports(self, carrier: str | None) -> bool:
        return self.extension(carrier) is not None

    def configured(self) -> bool:
        return any(installed(name) for name in self._accounts() if name in PACKAGES)

    def track(self, carrier: str | None, tracking_number: str) -> TrackingResult:
        name = self.extension(carrier)
        if name is None:
            raise CarrierError(f"karrio: no account for {carrier}", carrier=self.source)
        self.breaker = CircuitBreaker(f"karrio:{name}")
        if not self.breaker.allow():
            until = self.breaker.open_until()
            raise CircuitOpen(
                f"karrio:{name}: circuit open",
                carrier=self.source,
                retry_after=None if until is None else max(until - time.time(), 0),
            )
        details, messages, call, error = _outside_event_loop(self._fetch, name, tracking_number)
        return self._outcome(name, details, messages, call, error, tracking_number)

    def _fetch(self, name: str, number: str):
        cache = _shared_cache()  # before karrio's import: it quiets karrio's own logging
        import karrio.sdk as karrio
        from karrio.core.models import TrackingRequest

        account = dict(self._accounts()[name])
        base_url = account.pop("base_url", None)
        gateway = karrio.gateway[name].create(account, cache=cache)
        if base_url:
            karrio_transport.rebase(gateway.settings, str(base_url))
        details, messages, error = [], [], None
        with karrio_transport.watch(number, self.timeout, base_url) as call:
            try:
                request = TrackingRequest(tracking_numbers=[number])
                details, messages = karrio.Tracking.fetch(request).from_(gateway).parse()
            except Exception as exc:  # karrio raises many kinds; classified below
                error = exc
        return details or [], messages or [], call, error

    def _outcome(self, name, details, messages, call, error, number) -> TrackingResult:
        status = call.status
        text = "; ".join(str(getattr(m, "message", m)) for m in messages)[:500] or str(error or "")
        if call.failure is not None:  # past the deadline or too large: the API's failure
            self.breaker.record_failure()
            raise CarrierError(
                f"karrio:{name}: {call.failure}", carrier=self.source, status_code=status
            )
        if status == 429:
            wait = retry_after_seconds(_Headers(call.headers))
            if wait is None:  # DHL's APIs: the daily quota is spent until the next UTC day
                wait = next_utc_midnight() - time.time() if name in DAILY_QUOTA else 60.0
            self.breaker.block_until(time.time() + wait)
            raise RateLimited(
                f"karrio:{name}: rate limited",
                carrier=self.source,
                status_code=429,
                response=text,
                retry_after=wait,
            )
        refused = error is not None and hasattr(error, "messages")  # karrio's parsed errors
        if (status or 0) >= 500 or (status is None and error is not None and not refused):
            self.breaker.record_failure()
            raise CarrierError(
                f"karrio:{name}: {status or error}",
                carrier=self.source,
                status_code=status,
                response=text,
            )
        found = [d for d in details if getattr(d, "events", None) is not None]
        if (
            status in (401, 403)
            or refused
            or ((status or 0) >= 400 and status != 404 and not found)
        ):
            # our key or request is wrong: not the carrier's health
            raise CarrierError(
                f"karrio:{name}: HTTP {status}",
                carrier=self.source,
                status_code=status,
                response=text,
            )
        if not found and not call.statuses and messages:
            # karrio refused before sending anything (missing settings): our configuration
            raise CarrierError(f"karrio:{name}: {text}", carrier=self.source, response=text)
        if not found:
            if error is not None:
                self.breaker.record_failure()
                raise MalformedPayload(
                    f"karrio:{name}: {error}",
                    carrier=self.source,
                    status_code=status,
                    response=text,
                )
            self.breaker.record_success()
            return TrackingResult(source=self.source, found=False)
        try:
            # an API may answer for several numbers (Australia Post): ours first
            found.sort(key=lambda d: str(d.tracking_number or "").upper() != number.upper())
            result = self.parse(found[0], None, number)
        except (MalformedPayload, KeyError, TypeError, ValueError, AttributeError) as exc:
            self.breaker.record_failure()
            raise MalformedPayload(
                f"karrio:{name}: {exc}", carrier=self.source, status_code=status, response=text
            ) from exc
        self.breaker.record_success()
        return result

    def map_status(self, code: str, text: str = "") -> str | None:
        return map_status(code, text)

    def parse(self, payload: Any, carrier: str | None, tracking_number: str) -> TrackingResult:
        """A karrio ``TrackingDetails`` → result (events newest first in karrio's order)."""
        raw_events = list(payload.events or [])
        newest = max(raw_events, key=_when, default=None) if raw_events else None
        extension = str(payload.carrier_name or "")
        overall = str(payload.status or "")
        if not overall and raw_events:  # Royal Mail: karrio gives only ``delivered``
            overall = "delivered" if payload.delivered else "in_transit"
        copied = extension in SHIPMENT_STATUS_ON_EVENTS
        per_event = not copied and any(e.status for e in raw_events)

        def read(event) -> CarrierEvent:
            occurred_at = _when(event)
            if occurred_at == _EPOCH:
                raise ValueError("event without a date")
            description = str(event.description or "")
            code = "" if copied else str(event.status or "")
            status = self.map_status(code, description)
            documented = carrier_status(extension, str(event.code or ""), description)
            if documented is not None:  # the carrier's own code wins over karrio's reading
                status, code = documented, str(event.code or "") or code
            elif not code and event is newest and not per_event:
                code = overall  # extensions that give only the shipment's status
                status = self.map_status(code, description)
            location = str(event.location or "")
            fingerprint = "|".join(
                (occurred_at.isoformat(), str(event.code or ""), description, location)
            )
            return CarrierEvent(
                source_id="karrio:" + hashlib.sha256(fingerprint.encode()).hexdigest()[:32],
                occurred_at=occurred_at,
                status=status,
                description=description[:2000],
                location=location[:255],
                raw_status=(code or str(event.code or ""))[:64],
            )

        events, skipped = self.events_from(raw_events, read)
        return TrackingResult(
            source=self.source,
            events=events,
            estimated_delivery=parse_date(payload.estimated_delivery),
            skipped=skipped,
        )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _when(event) -> datetime:
    """An event's time: its ISO timestamp, else its date (and time, e.g. ``10:02 AM``)."""
    try:
        if event.timestamp:
            return parse_datetime(str(event.timestamp))
    except ValueError:
        pass
    date, clock = str(event.date or ""), str(event.time or "")
    for text, pattern in (
        (f"{date} {clock}", "%Y-%m-%d %I:%M %p"),
        (f"{date} {clock[:5]}", "%Y-%m-%d %H:%M"),
        (date, "%Y-%m-%d"),
    ):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return _EPOCH


class _Headers:
    """Adapter so :func:`retry_after_seconds` reads recorded headers."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = {k.title(): v for k, v in headers.items()}


def _shared_cache():
    """One karrio cache per process: OAuth tokens are reused between polls."""
    global _cache
    if _cache is None:
        try:
            from loguru import logger as loguru_logger

            loguru_logger.disable("karrio")  # karrio logs every request at INFO to stderr
        except ImportError:
            pass
        import karrio.lib as lib

        _cache = lib.Cache()
    return _cache
