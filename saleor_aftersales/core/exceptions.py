"""Exceptions carry context and also inherit the standard type a caller expects."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation


class AftersalesError(Exception):
    """Base class of every error this package raises on purpose."""


class ConfigurationError(AftersalesError, ImproperlyConfigured):
    """The plugin configuration cannot work (never swallowed)."""


class InvalidToken(AftersalesError, ValueError):
    """A signed link or status token is forged, malformed or expired."""

    def __init__(self, message: str = "invalid token", *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


class BadWebhook(AftersalesError, SuspiciousOperation):
    """A push payload failed verification or parsing (HTTP 400/401)."""

    def __init__(self, message: str, *, carrier: str = "", status: int = 400) -> None:
        super().__init__(message)
        self.carrier = carrier
        self.status = status


class CarrierError(AftersalesError):
    """A carrier API call failed; carries the carrier, HTTP status and response text."""

    def __init__(
        self,
        message: str,
        *,
        carrier: str = "",
        status_code: int | None = None,
        response: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.carrier = carrier
        self.status_code = status_code
        self.response = response[:500]
        self.retry_after = retry_after


class RateLimited(CarrierError):
    """The carrier answered 429; ``retry_after`` says how long to wait (seconds)."""


class CircuitOpen(CarrierError):
    """The circuit breaker for a carrier is open; no call was made."""


class HostError(AftersalesError):
    """The host (Saleor or sandbox) could not do what was asked."""
