"""Every argument is bounded before anything runs (custgraph/schema/argument_limits.py), and
``_entities`` is counted by the cost limit (custgraph/schema/limits.py)."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from custgraph.bounds import MAX_TEXT
from custgraph.schema import schema
from custgraph.schema.argument_limits import ArgumentTooLarge, check_arguments
from custgraph.schema.limits import operation_cost

LIMITS = {"max_list_items": 1000, "max_page_size": 100, "max_entities": 100, "max_text": MAX_TEXT}
ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name tags { key } } } }"


def check(query: str, variables: dict[str, Any] | None = None) -> None:
    check_arguments(schema._schema, parse(query), None, variables or {}, **LIMITS)


def refusal(query: str, variables: dict[str, Any] | None = None) -> str:
    with pytest.raises(ArgumentTooLarge) as caught:
        check(query, variables)
    return caught.value.message


def representations(n: int) -> dict[str, Any]:
    return {"r": [{"__typename": "Customer", "id": f"C{i:06d}"} for i in range(n)]}


def test_entities_are_bounded_in_representations() -> None:
    check(ENTITIES, representations(100))
    assert refusal(ENTITIES, representations(10_000)) == "representations takes at most 100 items (10000 given)"


def test_entities_count_towards_the_cost_limit() -> None:
    one = operation_cost(schema._schema, parse(ENTITIES), None, representations(1))
    hundred = operation_cost(schema._schema, parse(ENTITIES), None, representations(100))
    assert one >= 2  # the entity's own read and its tags
    assert hundred == 100 * one


@pytest.mark.parametrize(
    "query",
    [
        '{ importRun(id: "IR1") { issues(first: 101) { row } } }',
        '{ importRun(id: "IR1") { issues(first: -1) { row } } }',
        '{ customer(id: "C1") { orders(first: 5000) { edges { node { uid } } } } }',
        "{ customers(first: 1000) { totalCount } }",
    ],
)
def test_page_sizes_are_bounded_on_every_field(query: str) -> None:
    assert refusal(query) == "first must be between 0 and 100"


def test_page_size_from_a_variable() -> None:
    query = 'query($n: Int!) { importRun(id: "IR1") { issues(first: $n) { row } } }'
    check(query, {"n": 100})
    assert refusal(query, {"n": 10**9}) == "first must be between 0 and 100"


def test_list_arguments_are_bounded() -> None:
    query = 'mutation($k: [String!]!) { removeTags(customerId: "C1", keys: $k) { __typename } }'
    check(query, {"k": ["a"] * 1000})
    assert refusal(query, {"k": ["a"] * 1001}) == "keys takes at most 1000 items (1001 given)"


def test_strings_are_bounded_in_arguments_and_inputs() -> None:
    search = "query($q: String!) { search(query: $q) { score } }"
    check(search, {"q": "张" * MAX_TEXT})
    assert refusal(search, {"q": "张" * (MAX_TEXT + 1)}) == f"query is longer than {MAX_TEXT} characters"
    literal = '{ search(query: "%s") { score } }' % ("x" * (MAX_TEXT + 1))
    assert "longer than" in refusal(literal)
    nested = 'mutation($t: [TagInput!]!) { addTags(customerId: "C1", tags: $t) { __typename } }'
    too_long = {"t": [{"name": "x" * (MAX_TEXT + 1)}]}
    assert refusal(nested, too_long) == f"tags.name is longer than {MAX_TEXT} characters"


def test_json_strings_are_left_to_the_import() -> None:
    # an oversized cell in ingestRecords is a row error (tests/ingest/test_ingest_bounds.py), not a refusal
    query = 'mutation($r: [JSON!]!) { ingestRecords(source: "web", records: $r) { __typename } }'
    check(query, {"r": [{"notes": "x" * (MAX_TEXT * 10)}]})
