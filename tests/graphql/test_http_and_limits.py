"""The endpoint: HTTP contract, errors, depth/complexity limits and introspection switch."""

from __future__ import annotations

import json

import pytest

from saleor_aftersales.graphql import limits

from .conftest import URL, process, status_token

pytestmark = pytest.mark.django_db


def test_get_options_and_bad_methods(client, channel):
    get = client.get(URL)
    assert get.status_code == 200 and b"POST" in get.content
    options = client.options(URL)
    assert options.status_code == 200
    assert options["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in options["Access-Control-Allow-Headers"]
    put = client.put(URL, data="{}", content_type="application/json")
    assert put.status_code == 405


@pytest.mark.parametrize(
    "body,message",
    [
        (b"{not json", "not valid JSON"),
        (b"[]", "JSON object"),
        (json.dumps({"query": 5}).encode(), "JSON object"),
        (json.dumps({"query": "{ __typename }", "variables": []}).encode(), "variables"),
    ],
)
def test_bad_requests(client, channel, body, message):
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]


def test_oversized_body(client, channel):
    body = json.dumps({"query": "{ __typename }", "pad": "x" * 300_000})
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 413


def test_syntax_and_validation_errors(gql, channel):
    status, body = gql("{ aftersalesStatus(token: ")
    assert status == 400 and "Syntax Error" in body["errors"][0]["message"]
    status, body = gql("{ nope }")
    assert status == 400 and "Cannot query field" in body["errors"][0]["message"]
    status, body = gql("query($t: String!) { aftersalesStatus(token: $t) { number } }", {})
    assert status == 400 and "$t" in body["errors"][0]["message"]


def test_inactive_channel_has_no_api(client, make_order):
    from sandbox.factories import make_channel

    make_channel("off-channel", active=False)
    response = client.post(
        "/plugins/channel/off-channel/io.github.saleor-aftersales/graphql/",
        data=json.dumps({"query": "{ __typename }"}), content_type="application/json",
    )
    assert response.status_code == 404


def test_depth_limit(gql, make_order, settings):
    settings.AFTERSALES_GRAPHQL_MAX_DEPTH = 3
    order = process(make_order(lines=1, parcels=1))
    shallow = "query($t: String!) { aftersalesStatus(token: $t) { parcels { trackingNumber } } }"
    deep = (
        "query($t: String!) { aftersalesStatus(token: $t) "
        "{ parcels { events { status } } } }"
    )
    via_fragment = (
        "query($t: String!) { aftersalesStatus(token: $t) { ...P } } "
        "fragment P on AftersalesStatus { parcels { lines { productName } } }"
    )
    assert gql(shallow, {"t": status_token(order)})[0] == 200
    for query in (deep, via_fragment):
        status, body = gql(query, {"t": status_token(order)})
        assert status == 400
        assert body["errors"][0]["message"] == (
            "Query is too deep: depth 4 exceeds the limit of 3."
        )


def test_complexity_limit_counts_aliases(gql, make_order):
    order = process(make_order(lines=1, parcels=1))
    fields = "number state stateText parcels { trackingNumber status statusText }"
    aliases = " ".join(f"a{i}: aftersalesStatus(token: $t) {{ {fields} }}" for i in range(200))
    status, body = gql(f"query($t: String!) {{ {aliases} }}", {"t": status_token(order)})
    assert status == 400
    assert body["errors"][0]["message"].startswith("Query is too complex: cost ")
    assert not body.get("data")


def test_complexity_multiplies_by_first():
    from graphql import parse

    doc = parse("query($n: Int) { aftersalesProblems(first: $n) { items { id kind } } }")
    assert limits.measure(doc, None, {"n": 10})[1] == 1 + 10 * (1 + 2)
    assert limits.measure(doc, None, {"n": 100})[1] == 1 + 100 * 3


def test_introspection_follows_the_setting(gql, channel, settings):
    query = "{ __schema { queryType { name } } }"
    settings.DEBUG = False
    settings.AFTERSALES_GRAPHQL_INTROSPECTION = False
    status, body = gql(query)
    assert status == 400
    assert body["errors"][0]["message"] == "Introspection is disabled on this API."
    status, body = gql('{ __type(name: "AftersalesStatus") { name } }')
    assert status == 400
    assert gql("{ __typename }")[1] == {"data": {"__typename": "Query"}}
    settings.AFTERSALES_GRAPHQL_INTROSPECTION = True
    status, body = gql(query)
    assert status == 200 and body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_introspection_defaults_to_debug(settings):
    del settings.AFTERSALES_GRAPHQL_INTROSPECTION
    settings.DEBUG = True
    assert limits.introspection_allowed() is True
    settings.DEBUG = False
    assert limits.introspection_allowed() is False


def test_unexpected_errors_are_masked(gql, make_order, monkeypatch, caplog):
    from saleor_aftersales.graphql import schema as schema_module

    def broken(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(schema_module, "build_status_view", broken)
    order = process(make_order(lines=1))
    status, body = gql(
        "query($t: String!) { aftersalesStatus(token: $t) { number } }", {"t": status_token(order)}
    )
    assert status == 200
    assert body["errors"][0]["message"] == "Internal Server Error"
    assert "hunter2" not in json.dumps(body)


TWO_OPERATIONS = """
query first { __typename }
query second($t: String!) { aftersalesStatus(token: $t) { number } }
"""


def _post(client, payload: dict) -> tuple[int, dict]:
    response = client.post(URL, data=json.dumps(payload), content_type="application/json")
    return response.status_code, response.json()


def test_operation_name_picks_one_of_several(client, make_order):
    order = process(make_order(lines=1, parcels=1))
    status, body = _post(client, {"query": TWO_OPERATIONS, "operationName": "second",
                                  "variables": {"t": status_token(order)}})
    assert status == 200 and body["data"]["aftersalesStatus"]["number"] == str(order.number)
    status, body = _post(client, {"query": TWO_OPERATIONS, "operationName": "first"})
    assert status == 200 and body["data"] == {"__typename": "Query"}


@pytest.mark.parametrize(
    "payload,message",
    [
        ({"query": TWO_OPERATIONS}, "operation name"),
        ({"query": TWO_OPERATIONS, "operationName": "third"}, "third"),
        ({"query": "query($t: String!) { aftersalesStatus(token: $t) { number } }",
          "variables": {"t": None}}, "$t"),
    ],
)
def test_operation_and_variable_mistakes_are_400(client, channel, payload, message):
    status, body = _post(client, payload)
    assert status == 400, body
    assert "data" not in body or body["data"] is None
    assert message in body["errors"][0]["message"]


# --- issue 13: H1 (fragment fan-out), L5 (`first` defaults), L2 (nesting) -----------------


def fanout(n: int) -> str:
    """``query{...F0}``, each fragment spreading the next twice: 2**(n-1) ``__typename``s."""
    parts = ["query{...F0}"]
    parts += [f"fragment F{i} on Query{{...F{i + 1} ...F{i + 1}}}" for i in range(n - 1)]
    return " ".join([*parts, f"fragment F{n - 1} on Query{{__typename}}"])


def _no_traceback(caplog) -> None:
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL") or r.exc_info]
    assert "RecursionError" not in caplog.text


def test_h1_fragment_fanout_is_rejected_by_complexity(gql, channel, caplog):
    status, body = gql(fanout(22))
    assert status == 400, body
    assert body["errors"][0]["message"] == (
        "Query is too complex: cost 2097152 exceeds the limit of 1000."
    )
    status, body = gql(fanout(30))
    assert status == 400 and "too complex" in body["errors"][0]["message"]
    _no_traceback(caplog)


def test_h1_fragment_fanout_is_linear(monkeypatch, settings):
    """Each fragment's selection set is measured once, however often it is spread."""
    from graphql import parse

    calls = []
    original = limits._Walker.measure

    def counting(self, selection_set, *args):
        calls.append(selection_set)
        return original(self, selection_set, *args)

    monkeypatch.setattr(limits._Walker, "measure", counting)
    depth, cost, _ = limits.measure(parse(fanout(16)))
    assert (depth, cost) == (1, 2**15)
    assert len(calls) <= 2 * 17  # 16 fragments and the operation (plus nested sets)


def test_h1_typename_costs_like_any_field(settings):
    from graphql import parse

    settings.AFTERSALES_GRAPHQL_MAX_COMPLEXITY = 10
    aliases = " ".join(f"t{i}: __typename" for i in range(11))
    errors = limits.check_limits(parse(f"{{ {aliases} }}"))
    assert [e.message for e in errors] == [
        "Query is too complex: cost 11 exceeds the limit of 10."
    ]


def test_h1_fragment_cycle_and_counts_are_capped():
    from graphql import parse

    cycle = parse("query{...A} fragment A on Query{...B} fragment B on Query{...A}")
    assert [e.message for e in limits.check_limits(cycle)] == [
        'Cannot spread fragment "A" within itself.'
    ]
    many = " ".join(["query{__typename}"] + [
        f"fragment F{i} on Query{{__typename}}" for i in range(limits.MAX_DEFINITIONS)
    ])
    assert "too many definitions: 101" in limits.check_limits(parse(many))[0].message
    spreads = "query{...F} fragment F on Query{" + "...on Query{__typename} " * 1001 + "}"
    assert "too many fragment spreads: 1002" in limits.check_limits(parse(spreads))[0].message


@pytest.mark.parametrize(
    "query,variables",
    [
        ("query($n: Int = 100) { aftersalesProblems(first: $n) { items { id kind } } }", {}),
        ("query($n: Int = 100) { aftersalesProblems(first: $n) { items { id kind } } }",
         {"n": None}),
        ("{ aftersalesProblems { items { id kind } } }", {}),  # the argument's default: 50
    ],
    ids=["variable-default", "variable-null", "argument-default"],
)
def test_l5_first_from_defaults_counts(gql, channel, settings, query, variables):
    settings.AFTERSALES_GRAPHQL_MAX_COMPLEXITY = 100
    status, body = gql(query, variables)
    assert status == 400, body
    assert body["errors"][0]["message"].startswith("Query is too complex: cost ")


def test_l5_measure_reads_defaults_from_the_schema():
    from graphql import parse

    from saleor_aftersales.graphql.schema import schema

    default = parse("{ aftersalesProblems { items { id kind } } }")
    assert limits.measure(default, schema=schema)[1] == 1 + 50 * 3
    variable = parse("query($n: Int = 20) { aftersalesProblems(first: $n) { items { id } } }")
    assert limits.measure(variable, schema=schema)[1] == 1 + 20 * 2
    assert limits.measure(variable, None, {"n": 7}, schema)[1] == 1 + 7 * 2


def test_l2_query_nested_900_levels_is_a_clear_400(gql, channel, caplog):
    query = "{" + "aftersalesStatus{" * 900 + "number" + "}" * 901
    status, body = gql(query)
    assert status == 400
    assert body["errors"][0]["message"] == (
        "Query is nested too deeply: more than 64 levels of brackets."
    )
    _no_traceback(caplog)


def test_l2_chain_of_2000_fragments_is_a_clear_400(gql, channel, caplog):
    parts = ["query{...F0}"] + [
        f"fragment F{i} on Query{{...F{i + 1}}}" for i in range(1999)
    ] + ["fragment F1999 on Query{__typename}"]
    status, body = gql(" ".join(parts))
    assert status == 400
    assert body["errors"][0]["message"] == (
        "Query has too many definitions: more than 100 operations and fragments exceed the "
        "limit of 100."
    )
    _no_traceback(caplog)


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 100_000 + b"]" * 100_000
        + b"}}",
        b"[" * 50_000 + b"]" * 50_000,
        b'{"query": "{ __typename }", "variables": {"a": ' + b'{"b":' * 40 + b"1"
        + b"}" * 40 + b"}}",
    ],
    ids=["variables-100000", "array-50000", "objects-40"],
)
def test_l2_deeply_nested_json_is_a_clear_400(client, channel, caplog, body):
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "The JSON body nests more than 32 levels deep."
    )
    _no_traceback(caplog)
