"""Run one GraphQL operation: check size, parse, check limits, validate, execute.

The limits (:mod:`.limits`) come before validation: the query text's nesting before the
parser sees it, the document's size, depth and complexity before validation rules (which
recurse and compare fields pairwise) see it, so every step runs on a bounded document.

Errors the client may read (syntax, validation, limits, ``QueryError`` and other
``GraphQLError``s raised on purpose) keep their message; anything unexpected is logged and
reported as ``"Internal Server Error"`` so nothing internal leaks.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError, parse, validate
from graphql.error import GraphQLSyntaxError
from graphql.execution import execute
from graphql.validation.rules import specified_rules

from .errors import QueryError
from .limits import check_limits, check_source

logger = logging.getLogger(__name__)
INTERNAL_ERROR = "Internal Server Error"


class _AnsweredErrors(logging.Filter):
    """graphql-core logs every resolver exception with a traceback at ERROR; ours that are
    answers (an invalid link, a permission) are not faults, so they are not logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(getattr(error, "original_error", None) or error, QueryError)


logging.getLogger("graphql.execution.executor").addFilter(_AnsweredErrors())


def format_error(error: Exception) -> dict[str, Any]:
    """A JSON error as in the GraphQL spec, with ``extensions.exception.code``."""
    original = getattr(error, "original_error", None) or error
    if isinstance(original, GraphQLError):
        message = original.message
        extensions = getattr(original, "extensions", None) or {
            "exception": {"code": type(original).__name__}
        }
    else:
        logger.error("aftersales graphql: unexpected error", exc_info=original)
        message, extensions = INTERNAL_ERROR, {"exception": {"code": "InternalServerError"}}
    formatted: dict[str, Any] = {"message": message, "extensions": extensions}
    locations = getattr(error, "locations", None)
    if locations:
        formatted["locations"] = [{"line": loc.line, "column": loc.column} for loc in locations]
    path = getattr(error, "path", None)
    if path:
        formatted["path"] = path
    return formatted


def run_operation(
    schema,
    query: str,
    *,
    variables: dict | None = None,
    operation_name: str | None = None,
    context: Any = None,
) -> tuple[dict[str, Any], bool]:
    """Execute ``query``; return (response body, whether the request itself was invalid)."""
    errors = check_source(query)
    if errors:
        return {"errors": [format_error(e) for e in errors]}, True
    try:
        document = parse(query)
    except GraphQLSyntaxError as exc:
        return {"errors": [format_error(exc)]}, True
    errors = check_limits(document, operation_name, variables, schema) or validate(
        schema, document, specified_rules
    )
    if errors:
        return {"errors": [format_error(e) for e in errors]}, True
    try:
        result = execute(
            schema,
            document,
            context_value=context,
            variable_values=variables or {},
            operation_name=operation_name,
        )
    except GraphQLError as exc:  # bad variables, unknown operation name
        return {"errors": [format_error(exc)]}, True
    body: dict[str, Any] = {}
    if result.errors:
        body["errors"] = [format_error(e) for e in result.errors]
    body["data"] = result.data
    return body, result.invalid
