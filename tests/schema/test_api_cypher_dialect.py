"""Where ArcadeDB's Cypher and Neo4j 5 differ, in ways the API's queries had to work around."""

from __future__ import annotations

import dataclasses

import pytest
from neo4j.exceptions import Neo4jError

from custgraph.graph.connection import Graph


async def test_a_variable_named_all_is_read_as_a_keyword(clean_graph: Graph) -> None:
    """``collect(x) AS all ... size(all)`` fails on both servers: ArcadeDB parses ``all`` as the ``all()``
    predicate, and Neo4j 5 reads ``size(all)`` as ``size(ALL <argument>)`` without the argument (the Neo4j
    lint, .ci/neo4j-lint: "Insufficient parameters for function 'size'"). graph/ therefore never names a
    variable after a Cypher function or keyword. The statement is invalid on purpose, so it goes out
    unrecorded: CUSTGRAPH_CYPHER_LOG is for the statements that must pass the lint."""
    query = "UNWIND [1, 2] AS x WITH collect(x) AS all RETURN size(all) AS n"
    unrecorded = dataclasses.replace(clean_graph, cypher_log=None)
    with pytest.raises(Neo4jError, match="size" if clean_graph.flavour == "arcadedb" else ""):
        await unrecorded.read(query)
    assert await clean_graph.read("UNWIND [1, 2] AS x WITH collect(x) AS xs RETURN size(xs) AS n") == [{"n": 2}]


async def test_collect_keeps_the_order_of_a_preceding_order_by(clean_graph: Graph) -> None:
    """Interaction and order pages rely on it (customer_edges._page_query); both servers keep it."""
    rows = await clean_graph.read(
        "UNWIND [3, 1, 2] AS x WITH x ORDER BY x DESC WITH collect(x) AS xs RETURN xs[0..2] AS top"
    )
    assert rows == [{"top": [3, 2]}]


async def test_limit_right_after_an_aggregation_needs_an_order_by(clean_graph: Graph) -> None:
    """ArcadeDB ignores ``WITH x, count(*) AS n LIMIT 2`` (every group comes back) unless an ORDER BY
    precedes the LIMIT; Neo4j honours both. graph/ always orders before it limits (search candidates)."""
    unordered = "UNWIND [1, 1, 2, 2, 3, 3] AS x WITH x, count(*) AS n LIMIT 2 RETURN x, n"
    found = await clean_graph.read(unordered)
    assert len(found) == (3 if clean_graph.flavour == "arcadedb" else 2)
    ordered = "UNWIND [1, 1, 2, 2, 3, 3] AS x WITH x, count(*) AS n ORDER BY n DESC, x LIMIT 2 RETURN x, n"
    assert await clean_graph.read(ordered) == [{"x": 1, "n": 2}, {"x": 2, "n": 2}]


async def test_remove_of_a_backticked_property_is_ignored_by_arcadedb(clean_graph: Graph) -> None:
    """ArcadeDB runs ``REMOVE n.`prop``` without an error and leaves the property in place (without
    backticks it removes it); Neo4j removes it either way. graph/ clears properties with ``SET n.prop =
    null`` instead, which both servers honour (backup.py's temporary keys, for one)."""
    await clean_graph.write("CREATE (:DialectProbe {name: 'a', temp: 1, other: 2})")
    await clean_graph.write("MATCH (n:DialectProbe {name: 'a'}) REMOVE n.`temp`")
    await clean_graph.write("MATCH (n:DialectProbe {name: 'a'}) REMOVE n.other")
    rows = await clean_graph.read("MATCH (n:DialectProbe {name: 'a'}) RETURN n.temp AS temp, n.other AS other")
    assert rows == [{"temp": 1 if clean_graph.flavour == "arcadedb" else None, "other": None}]
    await clean_graph.write("MATCH (n:DialectProbe {name: 'a'}) SET n.`temp` = null")
    assert await clean_graph.read("MATCH (n:DialectProbe {name: 'a'}) RETURN n.temp AS temp") == [{"temp": None}]
