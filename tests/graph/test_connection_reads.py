"""Reads carry the bookmarks of this process's writes (causal consistency on a Neo4j cluster)."""

from __future__ import annotations

from typing import Any

from custgraph.graph.connection import Graph


async def test_a_read_after_a_write_sees_it_and_carries_its_bookmarks(graph: Graph) -> None:
    await graph.write("MERGE (s:Sequence {name: $name}) SET s.value = 7", name="bookmark-test")
    bookmarks = await graph.driver.execute_query_bookmark_manager.get_bookmarks()
    assert bookmarks, "the server returned no bookmark for the write"
    sessions: list[dict[str, Any]] = []
    opened = graph.driver.session

    def spy(**config: Any) -> Any:
        sessions.append(config)
        return opened(**config)

    graph.driver.session = spy  # type: ignore[method-assign]
    try:
        rows = await graph.read("MATCH (s:Sequence {name: $name}) RETURN s.value AS value", name="bookmark-test")
    finally:
        del graph.driver.session
    assert rows == [{"value": 7}]
    # a read routed to a secondary waits until it holds the write above
    assert [s.get("bookmark_manager") for s in sessions] == [graph.driver.execute_query_bookmark_manager]
    await graph.write("MATCH (s:Sequence {name: $name}) DELETE s", name="bookmark-test")
