"""The GraphQL API under attack (unauthenticated): each answer is a quick, clear 400.

- depth: past ``AFTERSALES_GRAPHQL_MAX_DEPTH``, directly or through fragments; 900 levels.
- aliases: the same field under hundreds of aliases counts each time.
- fragments: exponential fan-out (H1), cycles, a chain of 2,000 fragments.
- variables: ``first`` from a variable, its default or the argument's default (L5);
  deeply nested variables JSON.
- introspection: off unless enabled; ``__typename`` and federation's ``_service`` stay.
"""

from __future__ import annotations

import json

import pytest

from tests.graphql.conftest import URL

pytestmark = pytest.mark.django_db


def _fanout(n: int) -> str:
    parts = ["query{...F0}"] + [f"fragment F{i} on Query{{...F{i + 1} ...F{i + 1}}}"
                                for i in range(n - 1)]
    return " ".join([*parts, f"fragment F{n - 1} on Query{{__typename}}"])


def _chain(n: int) -> str:
    parts = ["query{...F0}"] + [f"fragment F{i} on Query{{...F{i + 1}}}" for i in range(n - 1)]
    return " ".join([*parts, f"fragment F{n - 1} on Query{{__typename}}"])


ATTACKS = {
    "depth": ("query($t: String!) { aftersalesStatus(token: $t) { parcels { events { "
              "status } } } }", {"t": "x"}, "Query is too deep"),
    "depth-via-fragment": ("query($t: String!) { aftersalesStatus(token: $t) { ...P } } "
                           "fragment P on AftersalesStatus { parcels { events { status } } }",
                           {"t": "x"}, "Query is too deep"),
    "depth-900": ("{" + "aftersalesStatus{" * 900 + "number" + "}" * 901, {},
                  "nested too deeply"),
    "aliases": ("query($t: String!) {" + " ".join(
        f"a{i}: aftersalesStatus(token: $t) {{ number state }}" for i in range(400)) + "}",
        {"t": "x"}, "Query is too complex"),
    "fragment-fanout-22": (_fanout(22), {}, "Query is too complex"),
    "fragment-fanout-30": (_fanout(30), {}, "Query is too complex"),
    "fragment-cycle": ("query{...A} fragment A on Query{...B} fragment B on Query{...A}", {},
                       "within itself"),
    "fragment-chain-2000": (_chain(2000), {}, "too many definitions"),
    "variable-first": ("query($n: Int) { aftersalesProblems(first: $n) { items { id kind "
                       "parcelId } } }", {"n": 100000}, "Query is too complex"),
    "variable-default-first": ("query($n: Int = 100000) { aftersalesProblems(first: $n) { "
                               "items { id } } }", {}, "Query is too complex"),
    "introspection": ("{ __schema { types { name } } }", {}, "Introspection is disabled"),
    "introspection-type": ('{ __type(name: "Query") { name } }', {}, "Introspection is disabled"),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attacks_are_a_clear_400(gql, channel, settings, caplog, attack):
    settings.AFTERSALES_GRAPHQL_MAX_DEPTH = 3
    settings.AFTERSALES_GRAPHQL_INTROSPECTION = False
    query, variables, message = ATTACKS[attack]
    status, body = gql(query, variables)
    assert status == 400, body
    assert message in body["errors"][0]["message"]
    assert not body.get("data")
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_nested_variables_are_a_clear_400(client, channel):
    body = b'{"query": "{ __typename }", "variables": {"v": ' + b"[" * 40 + b"]" * 40 + b"}}"
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 400 and "nests more than" in response.json()[
        "errors"][0]["message"]


def test_typename_and_service_stay_open(gql, channel, settings):
    settings.AFTERSALES_GRAPHQL_INTROSPECTION = False
    assert gql("{ __typename }") == (200, {"data": {"__typename": "Query"}})
    status, body = gql("{ _service { sdl } }")
    assert status == 200 and "aftersalesStatus" in body["data"]["_service"]["sdl"]
    assert json.dumps(body).count("Introspection") == 0
