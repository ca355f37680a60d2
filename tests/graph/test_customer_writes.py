"""Customer mutations write in one transaction each; concurrent edits of one customer lose nothing."""

from __future__ import annotations

import asyncio
import json

import pytest

from custgraph.graph.connection import Graph, Transaction
from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories import customer_writes as writes
from custgraph.graph.repositories.nodes import upsert_nodes


async def _manual(graph: Graph, customer_id: str) -> dict[str, object]:
    rows = await graph.read("MATCH (c:Customer {id: $id}) RETURN c.manual_json AS m", id=customer_id)
    return json.loads(rows[0]["m"] or "{}")


async def test_twenty_concurrent_edits_of_one_customer_are_all_kept(clean_graph: Graph) -> None:
    await upsert_nodes(clean_graph, [CustomerNode(id="C-TX1", name="并发测试")])
    edits = [{f"note_{i}": f"值{i}"} for i in range(20)]
    await asyncio.gather(*(writes.update_customer(clean_graph, "C-TX1", edit, by="t") for edit in edits))
    manual = await _manual(clean_graph, "C-TX1")
    assert manual == {f"note_{i}": f"值{i}" for i in range(20)}
    rows = await clean_graph.read("MATCH (c:Customer {id: 'C-TX1'}) RETURN properties(c) AS p")
    props = rows[0]["p"]
    assert all(props[f"note_{i}"] == f"值{i}" for i in range(20))
    assert "_lock" not in props  # the lock is only held inside the transaction


async def test_concurrent_orders_are_all_counted(clean_graph: Graph) -> None:
    await upsert_nodes(clean_graph, [CustomerNode(id="C-TX2", name="订单测试")])
    events = [writes.Event(f"api|order|tx{i}", {"amount": 10.0}, "2024-01-01") for i in range(10)]
    await asyncio.gather(*(writes.add_order(clean_graph, "C-TX2", e, 10.0, "t") for e in events))
    rows = await clean_graph.read("MATCH (c:Customer {id: 'C-TX2'}) RETURN c.order_count AS n, c.total_amount AS total")
    assert rows == [{"n": 10, "total": 100.0}]


async def test_a_created_customer_gets_all_its_edges_at_once(clean_graph: Graph) -> None:
    await upsert_nodes(clean_graph, [CustomerNode(id="C-TX3", name="创建测试")])
    await writes.link_created(
        clean_graph,
        "C-TX3",
        by="t",
        company=("创建公司", "创建公司有限公司"),
        owners=["王五"],
        channels=["官网"],
        tags=[("value:high", "high", "value")],
    )
    rows = await clean_graph.read(
        "MATCH (c:Customer {id: 'C-TX3'})-[r]->(x) RETURN type(r) AS rel, r.derived AS derived, r.by AS by ORDER BY rel"
    )
    assert [(r["rel"], r["derived"], r["by"]) for r in rows] == [
        ("CAME_FROM", False, "t"),
        ("OWNED_BY", False, "t"),
        ("TAGGED", False, "t"),
        ("WORKS_AT", False, "t"),
    ]
    created = await clean_graph.read("MATCH (c:Customer {id: 'C-TX3'}) RETURN c.created_by AS by")
    assert created == [{"by": "t"}]


async def test_a_failing_step_leaves_nothing_behind(clean_graph: Graph) -> None:
    # what makes a mutation all-or-nothing: statements before a failure in the transaction are undone
    async def work(tx: Transaction) -> None:
        await tx.run("CREATE (:Customer {id: 'C-TX4', name: '回滚测试'})")
        raise RuntimeError("second step fails")

    with pytest.raises(RuntimeError):
        await clean_graph.transaction(work)
    rows = await clean_graph.read("MATCH (c:Customer {id: 'C-TX4'}) RETURN c.id AS id")
    assert rows == []


async def test_an_order_of_another_customer_changes_nothing(clean_graph: Graph) -> None:
    await upsert_nodes(clean_graph, [CustomerNode(id="C-TX5", name="甲"), CustomerNode(id="C-TX6", name="乙")])
    event = writes.Event("api|order|shared", {"amount": 5.0}, "2024-01-01")
    assert await writes.add_order(clean_graph, "C-TX5", event, 5.0, "t") is not None
    assert await writes.add_order(clean_graph, "C-TX6", event, 5.0, "t") is None
    rows = await clean_graph.read("MATCH (c:Customer {id: 'C-TX6'}) RETURN c.order_count AS n")
    assert rows == [{"n": None}]


async def test_owners_replaced_in_one_transaction(clean_graph: Graph) -> None:
    await upsert_nodes(clean_graph, [CustomerNode(id="C-TX7", name="丙")])
    await writes.assign_owners(clean_graph, "C-TX7", ["甲", "乙"], "t", replace=False)
    await writes.assign_owners(clean_graph, "C-TX7", ["丙"], "t", replace=True)
    rows = await clean_graph.read("MATCH (:Customer {id: 'C-TX7'})-[:OWNED_BY]->(o) RETURN o.name AS n")
    assert rows == [{"n": "丙"}]
