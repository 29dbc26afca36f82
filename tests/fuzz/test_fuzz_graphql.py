"""GraphQL documents and variables under fuzz, against the limits.

- Documents built from the schema's own fields (aliases, nesting, fragments, spreads,
  ``first`` as literal, variable or default) and plain garbage: the answer is 200 or 400,
  never ``Internal Server Error``; a 200 only for documents within the depth and
  complexity limits (checked with :func:`limits.measure` against the real schema).
- Variables of any JSON shape next to a valid query: 200 or 400.
- Nothing stored changes (no query writes; mutations need a valid token).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_aftersales.graphql import limits
from saleor_aftersales.graphql.schema import schema
from saleor_aftersales.models import EngagementEvent, Review
from tests.graphql.conftest import URL

from .conftest import TEXT
from .test_fuzz_tracking import JSON

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
LEAVES = ["number", "state", "stateText", "__typename", "estimatedDelivery"]
PARCEL = ["trackingNumber", "status", "statusText", "__typename"]


@st.composite
def selections(draw, depth: int = 0) -> str:
    fields = []
    for _ in range(draw(st.integers(1, 4))):
        alias = draw(st.sampled_from(["", "a: ", "b: ", "x1: "]))
        kind = draw(st.integers(0, 4 if depth < 6 else 1))
        if kind <= 1:
            fields.append(alias + draw(st.sampled_from(LEAVES)))
        elif kind == 2:
            fields.append(alias + "parcels { "
                          + " ".join(draw(st.lists(st.sampled_from(PARCEL), min_size=1,
                                                   max_size=3))) + " }")
        elif kind == 3:
            fields.append("...S" + str(draw(st.integers(0, 2))))
        else:
            fields.append("... on AftersalesStatus { " + draw(selections(depth + 1)) + " }")
    return " ".join(fields)


@st.composite
def documents(draw) -> str:
    operation = draw(st.sampled_from(["query($t: String!)", "query Q($t: String! = \"x\")",
                                      "query($t: String!, $n: Int = 500)"]))
    root = []
    for i in range(draw(st.integers(1, 5))):
        root.append(f"s{i}: aftersalesStatus(token: $t) {{ {draw(selections())} }}")
    if draw(st.booleans()):
        first = draw(st.sampled_from(["", "(first: 3)", "(first: $n)", "(first: 100000)"]))
        root.append(f"aftersalesProblems{first} {{ items {{ id kind }} }}")
    fragments = [f"fragment S{i} on AftersalesStatus {{ {draw(selections(2))} }}"
                 for i in range(3)]
    return f"{operation} {{ {' '.join(root)} }} " + " ".join(fragments)


def _post(client, payload) -> tuple[int, dict]:
    response = client.post(URL, data=json.dumps(payload), content_type="application/json")
    assert response.status_code in (200, 400), response.content
    body = response.json()
    assert "Internal Server Error" not in json.dumps(body)
    return response.status_code, body


@FUZZ
@given(query=st.one_of(documents(), TEXT, documents().map(lambda d: d[: len(d) // 2])),
       token=st.one_of(st.just("forged"), TEXT))
def test_documents_within_limits(client, channel, query, token):
    from graphql import parse
    from graphql.error import GraphQLSyntaxError

    stored = (Review.objects.count(), EngagementEvent.objects.count())
    status, body = _post(client, {"query": query, "variables": {"t": token}})
    if status == 200:
        depth, cost, _ = limits.measure(parse(query), None, {"t": token}, schema)
        assert depth <= limits.max_depth() and cost <= limits.max_complexity()
    else:
        assert body["errors"][0]["message"]
        try:
            parse(query)
        except GraphQLSyntaxError:
            pass
    assert (Review.objects.count(), EngagementEvent.objects.count()) == stored


@FUZZ
@given(variables=JSON, name=st.one_of(st.none(), TEXT, JSON))
def test_any_variables_and_operation_names(client, channel, variables, name):
    query = "query Q($t: String!, $n: Int) { aftersalesStatus(token: $t) { number } }"
    _post(client, {"query": query, "variables": variables, "operationName": name})
