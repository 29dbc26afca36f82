"""Query size, depth and complexity limits, and the introspection switch.

Checked in two steps, both before validation (whose rules recurse and compare fields
pairwise, so they must only ever see a bounded document):

- :func:`check_source` on the query text, before parsing: brackets (selection sets, lists,
  input objects) may nest at most :data:`MAX_NESTING` levels, so the recursive-descent parser
  never nears Python's recursion limit; at most :data:`MAX_TOKENS` tokens and
  :data:`MAX_DEFINITIONS` definitions, so parsing stays quick.
- :func:`check_limits` on the parsed document: at most :data:`MAX_DEFINITIONS` operations and
  fragments, at most :data:`MAX_SPREADS` fragment spreads (inline ones included), no fragment
  cycles, then *depth* and *complexity* of the operation that would run.

*Depth* is the deepest nesting of fields (fragments expanded). *Complexity* counts every
selected field once as it would be expanded: ``__typename`` costs 1 like any field, a
fragment costs what its selections cost at **every** spread, and the cost of a list field's
selections is multiplied by its ``first`` argument (as Saleor's cost map does for
connections). ``first`` is read from the query, else from the variables sent, else from the
variable's default, else from the field argument's default in the schema. Each fragment is
measured once (in dependency order, without recursion across fragments), so checking costs
time linear in the document's size whatever its expansion; counts saturate at
:data:`SATURATION`.

Introspection (``__schema``/``__type``) is allowed only with the setting
``AFTERSALES_GRAPHQL_INTROSPECTION`` (default: ``settings.DEBUG``) and is not counted.
Federation's ``_service { sdl }`` is not introspection and stays available to gateways.

Settings: ``AFTERSALES_GRAPHQL_MAX_DEPTH`` (default 10), ``AFTERSALES_GRAPHQL_MAX_COMPLEXITY``
(default 1000).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from graphql import GraphQLError
from graphql.error import GraphQLSyntaxError
from graphql.language import ast
from graphql.language.lexer import Lexer, TokenKind
from graphql.language.source import Source
from graphql.type.definition import get_named_type

DEFAULT_MAX_DEPTH = 10
DEFAULT_MAX_COMPLEXITY = 1000
MAX_NESTING = 64
MAX_DEFINITIONS = 100
MAX_SPREADS = 1000
MAX_TOKENS = 10_000
SHORT_QUERY = 4096  # characters; shorter queries with few brackets skip the token check
SATURATION = 10**9  # complexity counts stop growing here (the answer is "no" long before)
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
_OPENING = (TokenKind.BRACE_L, TokenKind.BRACKET_L)
_CLOSING = (TokenKind.BRACE_R, TokenKind.BRACKET_R)


def max_depth() -> int:
    return int(getattr(settings, "AFTERSALES_GRAPHQL_MAX_DEPTH", DEFAULT_MAX_DEPTH))


def max_complexity() -> int:
    return int(getattr(settings, "AFTERSALES_GRAPHQL_MAX_COMPLEXITY", DEFAULT_MAX_COMPLEXITY))


def introspection_allowed() -> bool:
    return bool(getattr(settings, "AFTERSALES_GRAPHQL_INTROSPECTION", settings.DEBUG))


def check_source(query: str) -> list[GraphQLError]:
    """Errors for query text that is too large to parse: more than :data:`MAX_TOKENS`
    tokens, brackets nested deeper than :data:`MAX_NESTING`, or more than
    :data:`MAX_DEFINITIONS` operations and fragments.

    Lexing stops at the first excess, so the answer is quick however large the text; short
    queries with few brackets are not lexed at all. Lexing errors are left to the parser.
    """
    if len(query) <= SHORT_QUERY and query.count("{") + query.count("[") <= MAX_NESTING:
        return []
    lexer = Lexer(Source(query))
    level = parens = definitions = tokens = 0
    try:
        token = lexer.next_token()
        while token.kind != TokenKind.EOF:
            tokens += 1
            if token.kind in _OPENING:
                if level == 0 and parens == 0 and token.kind == TokenKind.BRACE_L:
                    definitions += 1
                level += 1
            elif token.kind in _CLOSING:
                level -= 1
            elif token.kind == TokenKind.PAREN_L:
                parens += 1
            elif token.kind == TokenKind.PAREN_R:
                parens -= 1
            if level > MAX_NESTING:
                return [GraphQLError(
                    f"Query is nested too deeply: more than {MAX_NESTING} levels of brackets."
                )]
            if definitions > MAX_DEFINITIONS:
                return [_too_many_definitions(f"more than {MAX_DEFINITIONS}")]
            if tokens > MAX_TOKENS:
                return [GraphQLError(
                    f"Query is too large: more than {MAX_TOKENS} tokens."
                )]
            token = lexer.next_token()
    except GraphQLSyntaxError:
        return []
    return []


def _too_many_definitions(count: str) -> GraphQLError:
    return GraphQLError(
        f"Query has too many definitions: {count} operations and fragments exceed the "
        f"limit of {MAX_DEFINITIONS}."
    )


class _Cycle(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def _named(type_: Any) -> Any:
    return get_named_type(type_) if type_ is not None else None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


class _Walker:
    """Measures one operation; each fragment is measured once and memoised."""

    def __init__(self, schema: Any, fragments: dict, variables: dict, defaults: dict) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.defaults = defaults
        self.cap = max(SATURATION, max_complexity() + 1)
        self.introspection = False
        self.memo: dict[str, tuple[int, int]] = {}

    # --- fragments in dependency order ---------------------------------------------------
    def measure_fragments(self) -> None:
        """Fill :attr:`memo` for every fragment; raise :class:`_Cycle` on a spread cycle."""
        deps = {name: _spread_names(f.selection_set) for name, f in self.fragments.items()}
        state: dict[str, int] = {}  # 1 = on the stack, 2 = measured
        for root in self.fragments:
            if root in state:
                continue
            stack = [(root, iter(deps[root]))]
            state[root] = 1
            while stack:
                name, pending = stack[-1]
                child = next(pending, None)
                if child is None:
                    stack.pop()
                    fragment = self.fragments[name]
                    self.memo[name] = self.measure(fragment.selection_set, self._type_of(fragment))
                    state[name] = 2
                elif child not in self.fragments or state.get(child) == 2:
                    continue
                elif state.get(child) == 1:
                    raise _Cycle(child)
                else:
                    state[child] = 1
                    stack.append((child, iter(deps[child])))

    def _type_of(self, node: ast.FragmentDefinition | ast.InlineFragment) -> Any:
        condition = node.type_condition
        if condition is None or self.schema is None:
            return None
        return self.schema.get_type(condition.name.value)

    # --- one selection set ---------------------------------------------------------------
    def _first(self, field: ast.Field, definition: Any) -> int:
        raw = None
        for arg in field.arguments or ():
            if arg.name.value != "first":
                continue
            value = arg.value
            if isinstance(value, ast.Variable):
                raw = self.variables.get(value.name.value)
                if raw is None:
                    raw = self.defaults.get(value.name.value)
            elif isinstance(value, ast.IntValue):
                raw = value.value
        if raw is None and definition is not None and "first" in (definition.args or {}):
            raw = definition.args["first"].default_value
        number = _int(raw)
        return max(1, min(number, self.cap)) if number is not None else 1

    def measure(self, selection_set: ast.SelectionSet | None, parent: Any) -> tuple[int, int]:
        """(depth, complexity) of a selection set on ``parent`` (a schema type or None)."""
        if selection_set is None:
            return 0, 0
        depth = cost = 0
        for selection in selection_set.selections:
            if isinstance(selection, ast.Field):
                name = selection.name.value
                if name in INTROSPECTION_FIELDS:
                    self.introspection = True
                    continue
                fields = getattr(parent, "fields", None) or {}
                definition = fields.get(name) if isinstance(fields, dict) else None
                sub_type = _named(definition.type) if definition is not None else None
                sub_depth, sub_cost = self.measure(selection.selection_set, sub_type)
                depth = max(depth, 1 + sub_depth)
                cost += 1 + self._first(selection, definition) * sub_cost
            elif isinstance(selection, ast.InlineFragment):
                sub_depth, sub_cost = self.measure(
                    selection.selection_set, self._type_of(selection) or parent
                )
                depth, cost = max(depth, sub_depth), cost + sub_cost
            elif isinstance(selection, ast.FragmentSpread):
                sub_depth, sub_cost = self.memo.get(selection.name.value, (0, 0))
                depth, cost = max(depth, sub_depth), cost + sub_cost
            cost = min(cost, self.cap)
        return depth, cost


def _spread_names(selection_set: ast.SelectionSet | None) -> list[str]:
    """Names of the fragments spread anywhere in a selection set (in order, repeated)."""
    names: list[str] = []
    pending = [selection_set]
    while pending:
        current = pending.pop()
        for selection in current.selections if current is not None else ():
            if isinstance(selection, ast.FragmentSpread):
                names.append(selection.name.value)
            elif isinstance(selection, ast.Field | ast.InlineFragment):
                pending.append(selection.selection_set)
    return names


def _variable_defaults(operation: ast.OperationDefinition) -> dict[str, Any]:
    defaults = {}
    for definition in operation.variable_definitions or ():
        value = definition.default_value
        if isinstance(value, ast.IntValue):
            defaults[definition.variable.name.value] = value.value
    return defaults


def _root_type(schema: Any, operation: ast.OperationDefinition) -> Any:
    if schema is None:
        return None
    if operation.operation == "mutation":
        return schema.get_mutation_type()
    if operation.operation == "subscription":
        return schema.get_subscription_type()
    return schema.get_query_type()


def measure(
    document: ast.Document, operation_name: str | None = None, variables=None, schema=None
) -> tuple[int, int, bool]:
    """(depth, complexity, uses_introspection) of the operation that would run.

    Without ``schema`` field argument defaults are unknown (``first`` then defaults to 1).
    Raises :class:`_Cycle` for a fragment that spreads itself.
    """
    definitions = document.definitions
    fragments: dict[str, ast.FragmentDefinition] = {}
    for d in definitions:
        if isinstance(d, ast.FragmentDefinition):
            fragments.setdefault(d.name.value, d)
    operations = [d for d in definitions if isinstance(d, ast.OperationDefinition)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    depth = complexity = 0
    introspection = False
    for operation in operations[:1] if operation_name or len(operations) == 1 else operations:
        walker = _Walker(schema, fragments, variables or {}, _variable_defaults(operation))
        walker.measure_fragments()
        d, c = walker.measure(operation.selection_set, _root_type(schema, operation))
        depth, complexity = max(depth, d), max(complexity, c)
        introspection = introspection or walker.introspection
    return depth, complexity, introspection


def _count_spreads(document: ast.Document) -> int:
    count = 0
    pending = [getattr(d, "selection_set", None) for d in document.definitions]
    while pending:
        current = pending.pop()
        for selection in current.selections if current is not None else ():
            if isinstance(selection, ast.FragmentSpread):
                count += 1
            else:
                count += isinstance(selection, ast.InlineFragment)
                pending.append(selection.selection_set)
    return count


def check_limits(
    document: ast.Document, operation_name: str | None = None, variables=None, schema=None
) -> list[GraphQLError]:
    """Errors for a document that is too large, too deep, too complex, has a fragment
    cycle, or introspects when that is not allowed."""
    count = len(document.definitions)
    if count > MAX_DEFINITIONS:
        return [_too_many_definitions(str(count))]
    spreads = _count_spreads(document)
    if spreads > MAX_SPREADS:
        return [GraphQLError(
            f"Query has too many fragment spreads: {spreads} exceed the limit of {MAX_SPREADS}."
        )]
    try:
        depth, complexity, introspects = measure(document, operation_name, variables, schema)
    except _Cycle as cycle:
        return [GraphQLError(f'Cannot spread fragment "{cycle.name}" within itself.')]
    errors: list[GraphQLError] = []
    if depth > max_depth():
        errors.append(
            GraphQLError(f"Query is too deep: depth {depth} exceeds the limit of {max_depth()}.")
        )
    if complexity > max_complexity():
        shown = f"over {SATURATION:,}" if complexity >= SATURATION else str(complexity)
        errors.append(
            GraphQLError(
                f"Query is too complex: cost {shown} exceeds the limit of {max_complexity()}."
            )
        )
    if introspects and not introspection_allowed():
        errors.append(GraphQLError("Introspection is disabled on this API."))
    return errors
