"""Recompute against the real graph: boundaries, what people set survives, assignment, --as-of, only changes.

D is 2024-06-15. Customers are seeded through the graph repositories; recompute reads their facts
back from the graph and writes the differences.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import yaml

from custgraph.classification import config
from custgraph.classification.assignment import assignment_from_dict
from custgraph.classification.library import load_library
from custgraph.graph.connection import Graph
from custgraph.graph.models import CustomerNode, InteractionNode, OrderNode
from custgraph.graph.repositories import customer_writes as writes
from custgraph.graph.repositories.nodes import link, upsert_nodes
from custgraph.pipeline.recompute import classify_customers, recompute_all

D = date(2024, 6, 15)
ASSIGNMENT = """
rules:
  - name: east-manufacturing
    priority: 10
    when: {region: [华东], industry: [制造业], tags: {all: ["value:high"]}}
    assign: {owner: 李经理, role: sales}
  - name: east-service
    priority: 5
    when: {region: [华东]}
    assign: {owner: 王客服, role: service}
  - name: fallback
    priority: 0
    when: {}
    assign: {owner: 公共池, role: sales}
"""
CLASSIFIER = config.Classifier(load_library(), assignment_from_dict(yaml.safe_load(ASSIGNMENT)))


async def seed(
    graph: Graph,
    cid: str,
    *,
    orders: Sequence[tuple[str, float]] = (),
    events: Sequence[tuple[str, str]] = (),
    **props: object,
) -> None:
    await upsert_nodes(graph, [CustomerNode(id=cid, name=f"客户{cid}", **props)])  # type: ignore[arg-type]
    await upsert_nodes(graph, [OrderNode(uid=f"{cid}|o{n}", order_date=d, amount=a) for n, (d, a) in enumerate(orders)])
    placed = [(cid, f"{cid}|o{n}", {"derived": True}) for n in range(len(orders))]
    await link(graph, "Customer", "PLACED", "Order", placed)
    await upsert_nodes(
        graph,
        [InteractionNode(uid=f"{cid}|i{n}", interaction_date=d, interaction_type=t) for n, (d, t) in enumerate(events)],
    )
    had = [(cid, f"{cid}|i{n}", {"derived": True}) for n in range(len(events))]
    await link(graph, "Customer", "HAD", "Interaction", had)


async def tags(graph: Graph, cid: str) -> list[str]:
    rows = await graph.read("MATCH (:Customer {id: $id})-[:TAGGED]->(t:Tag) RETURN t.key AS k ORDER BY k", id=cid)
    return [r["k"] for r in rows]


async def dimension(graph: Graph, cid: str, dim: str) -> list[str]:
    return [k for k in await tags(graph, cid) if k.startswith(f"{dim}:")]


async def stage(graph: Graph, cid: str) -> str | None:
    rows = await graph.read("MATCH (c:Customer {id: $id}) RETURN c.lifecycle AS s", id=cid)
    return rows[0]["s"]


async def owners(graph: Graph, cid: str) -> list[tuple[str, str | None, str | None]]:
    rows = await graph.read(
        "MATCH (:Customer {id: $id})-[r:OWNED_BY]->(o:Owner) RETURN o.name AS n, r.role AS role, r.rule AS rule "
        "ORDER BY n",
        id=cid,
    )
    return [(r["n"], r["role"], r["rule"]) for r in rows]


async def test_default_rules_at_their_boundaries(clean_graph: Graph) -> None:
    g = clean_graph
    await seed(g, "F2", orders=[("2024-06-01", 1.0), ("2024-01-01", 1.0)])
    await seed(g, "F3", orders=[("2024-06-01", 1.0), ("2024-01-01", 1.0), ("2023-12-15", 1.0)])
    await seed(g, "R3M", orders=[("2024-03-15", 1.0)])  # exactly 3 months before D
    await seed(g, "R3M1", orders=[("2024-03-14", 1.0)])
    await seed(g, "A30", events=[("2024-05-16", "电话回访")])  # exactly 30 days before D
    await seed(g, "A31", events=[("2024-05-15", "电话回访")])
    await seed(g, "V4999", orders=[("2024-01-10", 4_999.0 * 12)])
    await seed(g, "V5000", orders=[("2024-01-10", 5_000.0 * 12)])
    await seed(g, "V10000", orders=[("2024-01-10", 10_000.0 * 12)])
    await seed(g, "EV", events=[("2024-01-01", "展会"), ("2024-02-01", "会议"), ("2024-03-01", "活动")], city="苏州")
    summary = await recompute_all(g, as_of=D, classifier=CLASSIFIER)
    assert summary.customers == 10 and summary.changed == 10
    assert await dimension(g, "F2", "frequency") == ["frequency:medium"]
    assert await dimension(g, "F3", "frequency") == ["frequency:high"]
    assert await dimension(g, "R3M", "risk") == []
    assert await dimension(g, "R3M1", "risk") == ["risk:churn"]
    assert await dimension(g, "A30", "activity") == ["activity:active_30d"]
    assert await dimension(g, "A31", "activity") == ["activity:inactive_30d"]
    assert [await dimension(g, c, "value") for c in ("V4999", "V5000", "V10000")] == [
        ["value:low"],
        ["value:medium"],
        ["value:high"],
    ]
    assert await dimension(g, "EV", "event") == ["event:regular"]
    assert await dimension(g, "EV", "region") == ["region:华东"]
    assert [await stage(g, c) for c in ("F3", "R3M1", "A30")] == ["customer", "customer", "prospect"]


async def test_a_persons_tag_and_owner_survive_recompute(clean_graph: Graph) -> None:
    g = clean_graph
    await seed(g, "M1", orders=[("2024-06-01", 10.0)], city="苏州")
    await seed(g, "M2", orders=[("2024-06-01", 10.0)], city="苏州")
    await writes.add_tags(g, "M1", [("value:high", "high", "value"), ("custom:重点", "重点", "custom")], "张经理")
    await writes.assign_owners(g, "M2", ["周晓明"], "张经理", replace=False)
    for _ in range(2):
        await recompute_all(g, as_of=D, classifier=CLASSIFIER, resume=False)
    assert await dimension(g, "M1", "value") == ["value:high"]  # the person's tier holds the dimension
    assert "custom:重点" in await tags(g, "M1")
    assert await dimension(g, "M2", "value") == ["value:low"]
    rows = await g.read(
        "MATCH (:Customer {id: 'M1'})-[r:TAGGED]->(:Tag {key: 'value:high'}) RETURN r.by AS by, r.computed AS c"
    )
    assert rows == [{"by": "张经理", "c": None}]
    assert await owners(g, "M2") == [("周晓明", None, None)]  # no rule added to a person's choice
    assert await owners(g, "M1") == [("公共池", "sales", "fallback"), ("王客服", "service", "east-service")]


async def test_assigning_an_owner_by_hand_later_drops_the_rule_owners(clean_graph: Graph) -> None:
    g = clean_graph
    await seed(g, "M3", city="苏州")
    await classify_customers(g, ["M3"], as_of=D, classifier=CLASSIFIER)
    assert [o[0] for o in await owners(g, "M3")] == ["公共池", "王客服"]
    await writes.assign_owners(g, "M3", ["公共池"], "张经理", replace=False)  # a rule owner, now a person's
    await classify_customers(g, ["M3"], as_of=D, classifier=CLASSIFIER)
    assert await owners(g, "M3") == [("公共池", "sales", "fallback")]  # kept, the person's edge now
    rows = await g.read("MATCH (:Customer {id: 'M3'})-[r:OWNED_BY]->() RETURN r.computed AS c, r.by AS by")
    assert rows == [{"c": None, "by": "张经理"}]


async def test_assignment_priority_and_fallback_per_role(clean_graph: Graph) -> None:
    g = clean_graph
    await seed(g, "P1", city="杭州", industry="制造业", orders=[("2024-06-01", 200_000.0)])
    await seed(g, "P2", city="杭州", industry="零售")
    await seed(g, "P3", city="广州", industry="制造业", orders=[("2024-06-01", 200_000.0)])
    await recompute_all(g, as_of=D, classifier=CLASSIFIER)
    assert await owners(g, "P1") == [("李经理", "sales", "east-manufacturing"), ("王客服", "service", "east-service")]
    assert await owners(g, "P2") == [("公共池", "sales", "fallback"), ("王客服", "service", "east-service")]
    assert await owners(g, "P3") == [("公共池", "sales", "fallback")]
    # spend falls out of the window: the customer moves to the fallback owner
    await recompute_all(g, as_of=date(2025, 7, 1), classifier=CLASSIFIER)
    assert await owners(g, "P1") == [("公共池", "sales", "fallback"), ("王客服", "service", "east-service")]


async def snapshot(graph: Graph) -> dict[str, tuple[list[str], str | None]]:
    rows = await graph.read("MATCH (c:Customer) RETURN c.id AS id ORDER BY id")
    return {r["id"]: (await tags(graph, r["id"]), await stage(graph, r["id"])) for r in rows}


async def test_as_of_is_reproducible(clean_graph: Graph) -> None:
    g = clean_graph
    await seed(g, "S1", orders=[("2024-06-01", 70_000.0), ("2024-05-01", 70_000.0)], first_contact="2022-01-01")
    await seed(g, "S2", orders=[("2023-01-01", 10.0)], events=[("2024-06-10", "拜访")])
    await seed(g, "S3")
    await recompute_all(g, as_of=D, classifier=CLASSIFIER)
    first = await snapshot(g)
    await recompute_all(g, as_of=date(2025, 3, 1), classifier=CLASSIFIER)
    later = await snapshot(g)
    assert later != first
    assert later["S1"][1] == "dormant" and "risk:churn" in later["S1"][0]
    await seed(g, "S1", orders=[("2024-06-01", 70_000.0), ("2024-05-01", 70_000.0), ("2025-01-01", 5.0)])
    await recompute_all(g, as_of=D, classifier=CLASSIFIER)  # an order after D changes nothing as of D
    assert await snapshot(g) == first


async def test_only_changed_customers_are_written(clean_graph: Graph) -> None:
    g = clean_graph
    for n in range(6):
        await seed(g, f"W{n}", orders=[("2024-06-01", 100.0 * n)])
    first = await recompute_all(g, as_of=D, classifier=CLASSIFIER, batch_size=4)
    assert first.changed == 6
    await g.write("MATCH (c:Customer)-[r:TAGGED]->() WHERE r.computed = true SET r.at = 'untouched'")
    await g.write("MATCH (c:Customer) SET c.lifecycle_as_of = 'untouched'")
    await seed(g, "W0", orders=[("2024-06-01", 0.0), ("2024-06-02", 1.0), ("2024-06-03", 1.0)])  # W0 changes
    writes_before = g.queries_run - g.reads_run
    second = await recompute_all(g, as_of=D, classifier=CLASSIFIER, batch_size=4, resume=False)
    writes_made = g.queries_run - g.reads_run - writes_before
    assert (second.customers, second.changed) == (6, 1)
    rows = await g.read(
        "MATCH (c:Customer)-[r:TAGGED]->() WHERE r.computed = true AND r.at <> 'untouched' RETURN DISTINCT c.id AS id"
    )
    assert [r["id"] for r in rows] == ["W0"]  # frequency:high replaced frequency:medium on W0 alone
    rows = await g.read("MATCH (c:Customer) WHERE c.lifecycle_as_of <> 'untouched' RETURN c.id AS id")
    assert rows == []  # nobody's stage moved, so no customer node was written
    # the run's ledger (create, one save per batch, the final save) plus W0's drop, its tag's merge and add
    assert writes_made == 1 + 2 + 1 + 3


async def test_a_stopped_recompute_resumes_after_the_last_batch(clean_graph: Graph) -> None:
    g = clean_graph
    for n in range(5):
        await seed(g, f"K{n}", orders=[("2024-06-01", 1.0)])
    stopped = await recompute_all(g, as_of=D, classifier=CLASSIFIER, batch_size=2, stop_after=1)
    assert stopped.customers == 2
    assert await tags(g, "K2") == []  # not reached
    resumed = await recompute_all(g, as_of=D, classifier=CLASSIFIER, batch_size=2)
    assert resumed.resumed and resumed.run_id == stopped.run_id
    assert (resumed.customers, resumed.changed) == (5, 5)
    assert await dimension(g, "K4", "frequency") == ["frequency:medium"]
    again = await recompute_all(g, as_of=D, classifier=CLASSIFIER, batch_size=2)
    assert not again.resumed and again.changed == 0


async def test_merged_away_customers_are_skipped(clean_graph: Graph) -> None:
    g = clean_graph
    await seed(g, "G1", orders=[("2024-06-01", 1.0)])
    await seed(g, "G2", orders=[("2024-06-01", 1.0)], merged_into="G1")
    changed = await classify_customers(g, ["G1", "G2", "nobody"], as_of=D, classifier=CLASSIFIER)
    assert [c.id for c in changed] == ["G1"]
    assert await tags(g, "G2") == []
