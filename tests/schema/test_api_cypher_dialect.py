"""Where ArcadeDB's Cypher and Neo4j 5 differ, in ways the API's queries had to work around."""

from __future__ import annotations

import pytest
from neo4j.exceptions import Neo4jError

from custgraph.graph.connection import Graph


async def test_a_variable_named_all_is_read_as_the_all_predicate(clean_graph: Graph) -> None:
    """Neo4j 5 accepts ``collect(x) AS all ... size(all)``; ArcadeDB parses ``all`` as the ``all()``
    predicate and fails. graph/ therefore never names a variable after a Cypher function."""
    query = "UNWIND [1, 2] AS x WITH collect(x) AS all RETURN size(all) AS n"
    if clean_graph.flavour == "arcadedb":
        with pytest.raises(Neo4jError, match="size"):
            await clean_graph.read(query)
    else:
        assert await clean_graph.read(query) == [{"n": 2}]
    assert await clean_graph.read("UNWIND [1, 2] AS x WITH collect(x) AS xs RETURN size(xs) AS n") == [{"n": 2}]


async def test_collect_keeps_the_order_of_a_preceding_order_by(clean_graph: Graph) -> None:
    """Interaction and order pages rely on it (customer_edges._page_query); both servers keep it."""
    rows = await clean_graph.read(
        "UNWIND [3, 1, 2] AS x WITH x ORDER BY x DESC WITH collect(x) AS xs RETURN xs[0..2] AS top"
    )
    assert rows == [{"top": [3, 2]}]
