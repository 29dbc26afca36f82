"""Errors shaped as in Saleor: mutation payloads carry ``errors { field code message }``.

Mutations raise :class:`MutationError` (or return a list of them); the base mutation turns them
into ``AftersalesError`` objects. Queries raise :class:`PermissionDenied` or
:class:`QueryError`, which reach the client as GraphQL errors with
``extensions.exception.code`` (as Saleor's ``PermissionDenied``).
"""

from __future__ import annotations

import graphene
from graphql import GraphQLError


class AftersalesErrorCode(graphene.Enum):
    """Why a mutation failed."""

    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - an error code
    EXPIRED_TOKEN = "expired_token"  # noqa: S105 - an error code
    VERIFICATION_FAILED = "verification_failed"
    RATE_LIMITED = "rate_limited"
    NOT_AVAILABLE = "not_available"
    FEATURE_DISABLED = "feature_disabled"
    # returns (returns/errors.py)
    ALREADY_SUBMITTED = "already_submitted"
    QUANTITY_EXCEEDED = "too_many"
    OUTSIDE_WINDOW = "outside_window"
    NOT_RETURNABLE = "non_returnable"
    OUT_OF_STOCK = "out_of_stock"
    ORDER_CANCELLED = "cancelled"
    INVALID_STATE = "bad_state"
    TRY_AGAIN = "try_again"


class AftersalesError(graphene.ObjectType):
    field = graphene.String(
        description="The input field that caused the error; null when not field-specific."
    )
    message = graphene.String(description="What went wrong, for a person to read.")
    code = AftersalesErrorCode(required=True, description="The error code.")

    class Meta:
        description = "An error of an aftersales mutation."


class MutationError(Exception):
    """A user-facing mutation failure; becomes an ``AftersalesError`` in the payload."""

    def __init__(self, message: str, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def as_error(self) -> dict:
        return {"field": self.field, "message": self.message, "code": self.code}


class QueryError(GraphQLError):
    """A query failure the client may see (its message is safe to show)."""

    code = "GraphQLError"

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"exception": {"code": self.code}})


class PermissionDenied(QueryError):
    """The caller lacks the permission, channel access or ownership for this field."""

    code = "PermissionDenied"

    def __init__(self, message: str = "You do not have permission to perform this action.") -> None:
        super().__init__(message)


class RateLimitedError(QueryError):
    code = "RateLimited"

    def __init__(self) -> None:
        super().__init__("Too many requests; try again in a minute.")
