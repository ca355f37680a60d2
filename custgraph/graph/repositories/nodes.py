"""Generic writes and reads of any node type by its unique key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from custgraph.graph import cypher
from custgraph.graph.connection import Graph
from custgraph.graph.models import Node

N = TypeVar("N", bound=Node)


async def upsert_nodes(graph: Graph, nodes: Sequence[Node]) -> int:
    """MERGE nodes on their key and set their properties. All nodes must be of one type."""
    if not nodes:
        return 0
    labels = {type(node).label for node in nodes}
    if len(labels) != 1:
        raise ValueError(f"upsert_nodes takes one node type at a time, got {sorted(labels)}")
    rows = [{"key": node.key_value, "props": node.properties()} for node in nodes]
    return await graph.write_batches(cypher.upsert_nodes(labels.pop()), rows)


async def get_node(graph: Graph, node_type: type[N], key: Any) -> N | None:
    rows = await graph.read(cypher.get_node(node_type.label), key=key)
    return node_type.model_validate(rows[0]["props"]) if rows else None


async def link(
    graph: Graph, from_label: str, rel: str, to_label: str, pairs: Sequence[tuple[Any, Any, dict[str, Any]]]
) -> int:
    """MERGE (a)-[rel]->(b) for (a key, b key, relationship properties) triples."""
    rows = [{"a": a, "b": b, "props": props} for a, b, props in pairs]
    return await graph.write_batches(cypher.merge_relationships(from_label, rel, to_label), rows)
