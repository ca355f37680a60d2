"""Constraints and indexes: created idempotently, and the uniqueness they promise holds."""

from __future__ import annotations

import pytest
from neo4j.exceptions import ConstraintError

from custgraph.graph.connection import Graph, GraphConfig
from custgraph.graph.schema import UNIQUE_KEYS, ensure_schema, existing_constraints


async def test_schema_creation_is_idempotent(graph: Graph) -> None:
    await ensure_schema(graph, blocking_rules=["dob"])
    before = await existing_constraints(graph)
    await ensure_schema(graph, blocking_rules=["dob"])
    after = await existing_constraints(graph)
    assert before == after
    assert set(UNIQUE_KEYS.items()) <= after


async def test_schema_statements_run_once_per_connection(graph_config: GraphConfig) -> None:
    """An ingestRecords call ensures the schema: on a connection that did so already, nothing is sent."""
    graph = Graph.connect(graph_config)
    try:
        await ensure_schema(graph, blocking_rules=["dob"])
        sent = graph.queries_run
        await ensure_schema(graph, blocking_rules=["dob"])
        assert graph.queries_run == sent
        await ensure_schema(graph, blocking_rules=["dob", "name_city"])  # one new blocking rule: its index only
        assert graph.queries_run == sent + 1
    finally:
        await graph.close()


async def test_unique_key_is_enforced(clean_graph: Graph) -> None:
    await clean_graph.write("CREATE (:Mobile {value: '+8613812345678'})")
    with pytest.raises(ConstraintError):
        await clean_graph.write("CREATE (:Mobile {value: '+8613812345678'})", attempts=1)
    rows = await clean_graph.read("MATCH (m:Mobile) RETURN count(m) AS n")
    assert rows == [{"n": 1}]


async def test_unsafe_identifiers_are_refused(graph: Graph) -> None:
    with pytest.raises(ValueError, match="not a safe identifier"):
        await ensure_schema(graph, blocking_rules=["x) DETACH DELETE (n"])
