"""The flow every carrier API shares; providers fill in a few hooks.

``CarrierClient.track(carrier, tracking_number)`` checks the shared circuit breaker, sends
the request built by :meth:`build_request` (with timeouts and retries), handles rate limits
and server errors, decodes JSON and hands it to :meth:`parse`. ``parse`` turns a payload
into :class:`TrackingResult` and maps each provider status onto ours with
:meth:`map_status`. Entries it cannot read are logged and skipped (counted in
``result.skipped``); an answer of the wrong shape (no readable entry at all, a list that is
not a list) raises :class:`MalformedPayload`, which counts towards the circuit breaker and
the parcel's back-off like a 5xx — never "no news". A malformed answer never crashes the
poll and never touches the events already stored. Slow (past ``http.DEADLINE``) and oversized
(over ``http.MAX_BODY``) answers are failures of the API too.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

import requests

from ...config import AftersalesConfig
from ...core.exceptions import CarrierError, CircuitOpen, RateLimited
from .. import http
from ..circuit import CircuitBreaker

logger = logging.getLogger(__name__)


class MalformedPayload(CarrierError, ValueError):
    """The provider answered something we cannot read."""


@dataclass(frozen=True)
class CarrierEvent:
    """One normalized carrier event. ``status`` is a ParcelStatus value or ``None`` (noise)."""

    source_id: str
    occurred_at: datetime
    status: str | None
    description: str = ""
    location: str = ""
    raw_status: str = ""


@dataclass(frozen=True)
class TrackingResult:
    """What one call revealed about a parcel."""

    source: str
    events: tuple[CarrierEvent, ...] = ()
    estimated_delivery: date | None = None
    carrier: str | None = None  # carrier code the provider reports (aggregators)
    skipped: int = 0
    found: bool = True  # False: the provider does not know the number (yet)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    headers: dict[str, str]
    params: dict[str, Any] | None = None
    json: Any = None


#: Years a carrier's timestamp may name; anything else is a broken feed, not news (and a
#: year-1 time with a positive offset would be stored as 1 BC, which no reader can load).
PLAUSIBLE_YEARS = range(2000, 2101)


def parse_datetime(value: Any) -> datetime:
    """ISO 8601 → aware datetime (naive values are UTC) within :data:`PLAUSIBLE_YEARS`;
    raises ``ValueError``."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"not a timestamp: {value!r}")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        year = parsed.astimezone(UTC).year
    except OverflowError:
        year = 0
    if year not in PLAUSIBLE_YEARS:
        raise ValueError(f"implausible timestamp: {value!r}")
    return parsed


def parse_date(value: Any) -> date | None:
    """A date or datetime string → ``date`` within :data:`PLAUSIBLE_YEARS`; ``None`` when
    empty, unreadable or implausible."""
    if not value or not isinstance(value, str):
        return None
    try:
        day = date.fromisoformat(value) if len(value) == 10 else parse_datetime(value).date()
    except ValueError:
        return None
    return day if day.year in PLAUSIBLE_YEARS else None


class CarrierClient:
    """Base class: subclasses set ``source``/``carriers`` and implement the hooks."""

    source: ClassVar[str] = ""
    #: Carrier codes this API can track; empty means any (an aggregator).
    carriers: ClassVar[frozenset[str]] = frozenset()
    timeout: ClassVar[float] = 10.0

    def __init__(self, config: AftersalesConfig, send: http.Send | None = None) -> None:
        self.config = config
        self.send = send
        self.breaker = CircuitBreaker(self.source)

    # --- hooks --------------------------------------------------------------------------

    def configured(self) -> bool:
        """Whether the channel has what this API needs (keys, URL)."""
        raise NotImplementedError

    def build_request(self, carrier: str | None, tracking_number: str) -> Request:
        raise NotImplementedError

    def parse(self, payload: Any, carrier: str | None, tracking_number: str) -> TrackingResult:
        """Payload → result; raise :class:`MalformedPayload` when nothing is readable."""
        raise NotImplementedError

    def map_status(self, code: str, text: str = "") -> str | None:
        """Provider status → ParcelStatus value, or ``None`` for noise."""
        raise NotImplementedError

    def not_found(self, response: http.Response) -> TrackingResult | None:
        """What a 404 means; default: the number is not known yet."""
        return TrackingResult(source=self.source, found=False)

    def rate_limited_until(self, response: http.Response) -> float:
        """Epoch seconds to back off after a 429 (``Retry-After`` or one minute)."""
        return time.time() + (retry_after_seconds(response) or 60.0)

    # --- the flow -----------------------------------------------------------------------

    def supports(self, carrier: str | None) -> bool:
        return not self.carriers or (carrier or "") in self.carriers

    def track(self, carrier: str | None, tracking_number: str) -> TrackingResult:
        """Fetch and parse; raises ``CarrierError`` (``RateLimited``, ``CircuitOpen`` …)."""
        if not self.breaker.allow():
            raise CircuitOpen(f"{self.source}: circuit open", carrier=self.source,
                              retry_after=_until(self.breaker.open_until()))
        req = self.build_request(carrier, tracking_number)
        try:
            response = self.call(req)
        except requests.RequestException as exc:
            # unreachable, too slow (overall deadline) or too large: the API's failure
            self.breaker.record_failure()
            answered = getattr(exc, "response", None)
            raise CarrierError(f"{self.source}: {exc}", carrier=self.source,
                               status_code=getattr(answered, "status_code", None)) from exc
        return self.handle(response, carrier, tracking_number)

    def call(self, req: Request) -> http.Response:
        return http.request(req.method, req.url, headers=req.headers, params=req.params,
                            json=req.json, timeout=self.timeout, send=self.send)

    def handle(
        self, response: http.Response, carrier: str | None, tracking_number: str
    ) -> TrackingResult:
        status = response.status_code
        text = _text(response)
        if status == 429:
            until = self.rate_limited_until(response)
            self.breaker.block_until(until)
            raise RateLimited(f"{self.source}: rate limited", carrier=self.source,
                              status_code=429, response=text, retry_after=_until(until))
        if status == 404:
            self.breaker.record_success()
            result = self.not_found(response)
            if result is not None:
                return result
        if status >= 500:
            self.breaker.record_failure()
            raise CarrierError(f"{self.source}: server error {status}", carrier=self.source,
                               status_code=status, response=text)
        if status >= 400:
            # our request or key is wrong: not the carrier's health
            raise CarrierError(f"{self.source}: HTTP {status}", carrier=self.source,
                               status_code=status, response=text)
        try:
            payload = json.loads(response.content or b"")
        except (ValueError, UnicodeDecodeError) as exc:
            self.breaker.record_failure()
            logger.warning("aftersales: %s sent non-JSON for %s: %.200s",
                           self.source, tracking_number, text)
            raise MalformedPayload(f"{self.source}: not JSON", carrier=self.source,
                                   status_code=status, response=text) from exc
        try:
            result = self.parse(payload, carrier, tracking_number)
        except MalformedPayload as exc:
            self.breaker.record_failure()  # an answer of the wrong shape is no answer
            logger.warning("aftersales: %s sent an unreadable payload for %s: %.200s",
                           self.source, tracking_number, text)
            raise MalformedPayload(str(exc), carrier=self.source, status_code=status,
                                   response=text) from exc
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            self.breaker.record_failure()
            logger.warning("aftersales: %s payload for %s failed to parse: %s",
                           self.source, tracking_number, exc)
            raise MalformedPayload(f"{self.source}: {exc}", carrier=self.source,
                                   status_code=status, response=text) from exc
        self.breaker.record_success()
        return result

    def events_from(self, raw_events: Any, read) -> tuple[tuple[CarrierEvent, ...], int]:
        """Apply ``read(raw) -> CarrierEvent`` to each entry; skip (and count) bad ones.

        Raises :class:`MalformedPayload` when the events are not a list (absent is fine) or
        when there are some and none is readable: that is a changed or broken answer, not
        "no news".
        """
        if raw_events is None:
            return (), 0
        if not isinstance(raw_events, list):
            raise MalformedPayload(f"{self.source}: events are not a list", carrier=self.source)
        events: list[CarrierEvent] = []
        skipped = 0
        for raw in raw_events:
            try:
                events.append(read(raw))
            except (KeyError, TypeError, AttributeError, ValueError) as exc:
                skipped += 1
                logger.warning("aftersales: %s skipped a malformed event (%s): %.200r",
                               self.source, exc, raw)
        if raw_events and not events:
            raise MalformedPayload(f"{self.source}: none of {len(raw_events)} events readable",
                                   carrier=self.source)
        return tuple(events), skipped


def retry_after_seconds(response: http.Response) -> float | None:
    """Seconds from a ``Retry-After`` header (delta or HTTP date), if any."""
    value = (response.headers or {}).get("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
    except (TypeError, ValueError):
        return None


def _until(epoch: float | None) -> float | None:
    return None if epoch is None else max(epoch - time.time(), 0.0)


def _text(response: http.Response) -> str:
    try:
        return (response.content or b"")[:500].decode("utf-8", "replace")
    except AttributeError:
        return ""
