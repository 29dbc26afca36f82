"""Query depth and complexity limits, and the introspection switch.

Checked on the parsed, validated document before execution. *Depth* is the deepest nesting
of selection sets (fragments expanded). *Complexity* counts every selected field once,
multiplied by the ``first`` argument of enclosing list fields (as Saleor's cost map does for
connections). Introspection (``__schema``/``__type``) is allowed only with the setting
``AFTERSALES_GRAPHQL_INTROSPECTION`` (default: ``settings.DEBUG``) and is not counted;
``__typename`` is always allowed. Federation's ``_service { sdl }`` is not introspection and
stays available to gateways.

Settings: ``AFTERSALES_GRAPHQL_MAX_DEPTH`` (default 10), ``AFTERSALES_GRAPHQL_MAX_COMPLEXITY``
(default 1000).
"""

from __future__ import annotations

from django.conf import settings
from graphql import GraphQLError
from graphql.language import ast

DEFAULT_MAX_DEPTH = 10
DEFAULT_MAX_COMPLEXITY = 1000
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


def max_depth() -> int:
    return int(getattr(settings, "AFTERSALES_GRAPHQL_MAX_DEPTH", DEFAULT_MAX_DEPTH))


def max_complexity() -> int:
    return int(getattr(settings, "AFTERSALES_GRAPHQL_MAX_COMPLEXITY", DEFAULT_MAX_COMPLEXITY))


def introspection_allowed() -> bool:
    return bool(getattr(settings, "AFTERSALES_GRAPHQL_INTROSPECTION", settings.DEBUG))


class _Walker:
    def __init__(self, document: ast.Document, variables: dict | None) -> None:
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, ast.FragmentDefinition)
        }
        self.variables = variables or {}
        self.introspection = False

    def _multiplier(self, field: ast.Field) -> int:
        for arg in field.arguments or ():
            if arg.name.value != "first":
                continue
            value = arg.value
            if isinstance(value, ast.Variable):
                raw = self.variables.get(value.name.value)
            elif isinstance(value, ast.IntValue):
                raw = value.value
            else:
                raw = None
            try:
                return max(1, int(raw))
            except (TypeError, ValueError):
                return 1
        return 1

    def measure(self, selection_set: ast.SelectionSet | None, seen: frozenset = frozenset()):
        """(depth, complexity) of a selection set."""
        if selection_set is None:
            return 0, 0
        depth = complexity = 0
        for selection in selection_set.selections:
            if isinstance(selection, ast.Field):
                name = selection.name.value
                if name in INTROSPECTION_FIELDS:
                    self.introspection = True
                    continue
                if name.startswith("__"):
                    continue
                sub_depth, sub_cost = self.measure(selection.selection_set, seen)
                depth = max(depth, 1 + sub_depth)
                complexity += 1 + self._multiplier(selection) * sub_cost
            elif isinstance(selection, ast.InlineFragment):
                sub_depth, sub_cost = self.measure(selection.selection_set, seen)
                depth, complexity = max(depth, sub_depth), complexity + sub_cost
            elif isinstance(selection, ast.FragmentSpread):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                sub_depth, sub_cost = self.measure(fragment.selection_set, seen | {name})
                depth, complexity = max(depth, sub_depth), complexity + sub_cost
        return depth, complexity


def measure(document: ast.Document, operation_name: str | None = None, variables=None):
    """(depth, complexity, uses_introspection) of the operation that would run."""
    walker = _Walker(document, variables)
    operations = [d for d in document.definitions if isinstance(d, ast.OperationDefinition)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    depth = complexity = 0
    for operation in operations[:1] if operation_name or len(operations) == 1 else operations:
        d, c = walker.measure(operation.selection_set)
        depth, complexity = max(depth, d), max(complexity, c)
    return depth, complexity, walker.introspection


def check_limits(
    document: ast.Document, operation_name: str | None = None, variables=None
) -> list[GraphQLError]:
    """Errors for a document that is too deep, too complex or introspects when not allowed."""
    depth, complexity, introspects = measure(document, operation_name, variables)
    errors: list[GraphQLError] = []
    if depth > max_depth():
        errors.append(
            GraphQLError(f"Query is too deep: depth {depth} exceeds the limit of {max_depth()}.")
        )
    if complexity > max_complexity():
        errors.append(
            GraphQLError(
                f"Query is too complex: cost {complexity} exceeds the limit of "
                f"{max_complexity()}."
            )
        )
    if introspects and not introspection_allowed():
        errors.append(GraphQLError("Introspection is disabled on this API."))
    return errors
