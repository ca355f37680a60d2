"""Emptying the session graph between tests."""

from __future__ import annotations

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import audit_log


async def wipe(graph: Graph) -> None:
    """Delete every node (the schema stays). A 360° view's audit entry is written by a background task,
    so an earlier test's entry is flushed first: it must land before the wipe, not in the next test's graph."""
    await audit_log.flush(graph)
    await graph.write("MATCH (n) DETACH DELETE n")
