"""Backup and restore at the repository level: many fetches and batches, and nodes without a unique key."""

from __future__ import annotations

import io
import json

import pytest

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import backup
from tests.wipe import wipe

SEED = """
UNWIND range(1, 40) AS i
CREATE (c:Customer {id: 'C' + toString(100000 + i), name: '客户' + toString(i), total_amount: i * 1.5,
                    tags_seen: ['a', 'b'], vip: i % 2 = 0})
CREATE (n:Memo {text: '备注' + toString(i), n: i})
CREATE (c)-[:HAS_MEMO {at: '2024-01-01'}]->(n)
"""


async def dump(graph: Graph) -> tuple[list[str], list[str]]:
    """Every node and edge as sorted JSON text (edges by their ends' properties), by plain Cypher."""
    nodes = await graph.read("MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    edges = await graph.read(
        "MATCH (a)-[r]->(b) RETURN properties(a) AS a, type(r) AS t, properties(r) AS p, properties(b) AS b"
    )
    return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in nodes), sorted(
        json.dumps(row, sort_keys=True, ensure_ascii=False) for row in edges
    )


async def test_round_trip_in_small_fetches_and_batches(clean_graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "FETCH", 7)
    monkeypatch.setattr(backup, "BATCH_ROWS", 5)
    await clean_graph.write(SEED)
    before = await dump(clean_graph)
    assert len(before[0]) == 80 and len(before[1]) == 40

    out = io.BytesIO()
    counts = await backup.backup(clean_graph, out)
    assert (counts.nodes, counts.edges) == (80, 40)
    lines = out.getvalue().decode("utf-8").splitlines()
    memo = next(json.loads(line) for line in lines if line.startswith('{"node":["Memo"]'))
    assert memo["ref"]  # Memo has no unique key: its edges name it by the server's id

    await wipe(clean_graph)
    restored = await backup.restore(clean_graph, io.BytesIO(out.getvalue()))
    assert (restored.nodes, restored.edges) == (80, 40)
    assert await dump(clean_graph) == before  # the temporary reference property is gone too


async def test_an_edge_whose_end_is_missing_is_reported(clean_graph: Graph) -> None:
    await clean_graph.write("CREATE (:Customer {id: 'C1'})-[:OWNED_BY]->(:Owner {name: '甲'})")
    out = io.BytesIO()
    await backup.backup(clean_graph, out)
    lines = [line for line in out.getvalue().decode("utf-8").splitlines() if '"Owner"' not in line or "edge" in line]
    trailer = json.loads(lines[-1])
    lines[-1] = json.dumps({**trailer, "nodes": trailer["nodes"] - 1})
    await wipe(clean_graph)
    with pytest.raises(backup.BackupError, match="wrote 1 of the 2"):
        await backup.restore(clean_graph, io.BytesIO("\n".join(lines).encode("utf-8")))
