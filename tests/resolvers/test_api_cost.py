"""The query cost estimate (custgraph/schema/limits.py)."""

from __future__ import annotations

import pytest
from graphql import parse

from custgraph.schema import schema
from custgraph.schema.limits import operation_cost


def cost(query: str, variables: dict[str, object] | None = None) -> int:
    return operation_cost(schema._schema, parse(query), None, variables or {})


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('{ customer(id: "C1") { id name } }', 1),
        ('{ customer(id: "C1") { id tags { key } company { name } } }', 3),
        (
            "{ customers(first: 50) { totalCount edges { node { tags { key } owners { name } company { name } } } } }",
            10 + 50 * 3,
        ),
        ("{ customers { edges { node { id } } } }", 10),
        ('{ search(query: "x", first: 10) { customer { id tags { key } } } }', 20 + 10 * (1 + 1)),
        ('{ customer(id: "C1") { interactions(first: 20) { edges { node { uid } } } } }', 1 + 1),
        ('{ customer(id: "C1") { relatedCustomers { customer { id } } } }', 1 + 10 + 10 * 1),
        ("{ __schema { types { name fields { name } } } }", 0),
    ],
)
def test_costs(query: str, expected: int) -> None:
    assert cost(query) == expected


def test_first_from_a_variable_and_fragments() -> None:
    query = """query($n: Int!) { customers(first: $n) { edges { node { ...Edges } } } }
               fragment Edges on Customer { tags { key } owners { name } }"""
    assert cost(query, {"n": 20}) == 10 + 20 * 2
    assert cost(query, {"n": 100}) == 10 + 100 * 2
