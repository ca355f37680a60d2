"""Imports classify the customers they touch; imported tag texts that name a library tag map to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import yaml

from custgraph.classification import config
from custgraph.classification.assignment import assignment_from_dict
from custgraph.classification.library import load_library
from custgraph.graph.connection import Graph
from custgraph.matching.rules import load_rules
from custgraph.pipeline.recompute import today
from tests.classification.conftest import Import

FALLBACK = {"rules": [{"name": "fallback", "priority": 0, "when": {}, "assign": {"owner": "公共池", "role": "sales"}}]}


@pytest.fixture
async def with_fallback() -> AsyncIterator[None]:
    config.install(config.Classifier(load_library(), assignment_from_dict(FALLBACK)))
    try:
        yield
    finally:
        config.install(config.load())


async def tags_of(graph: Graph) -> dict[str, list[tuple[str, bool, bool | None]]]:
    rows = await graph.read(
        "MATCH (c:Customer)-[r:TAGGED]->(t:Tag) RETURN c.name AS name, t.key AS key, r.derived AS d, r.computed AS c "
        "ORDER BY name, key"
    )
    out: dict[str, list[tuple[str, bool, bool | None]]] = {}
    for r in rows:
        out.setdefault(r["name"], []).append((r["key"], r["d"], r["c"]))
    return out


async def test_an_import_maps_library_texts_and_classifies_what_it_touched(
    clean_graph: Graph, do_import: Import, with_fallback: None
) -> None:
    await do_import(
        "crm",
        "customers",
        [
            {"编号": "1", "姓名": "张伟", "手机": "13812345678", "城市": "苏州", "行业": "制造业",
             "标签": "高价值，重点客户，高价值客户"},
            {"编号": "2", "姓名": "李娜", "手机": "13912345678", "城市": "广州", "负责人": "周晓明",
             "标签": "流失风险"},
        ],
    )  # fmt: skip
    tags = await tags_of(clean_graph)
    zhang = {k: (d, c) for k, d, c in tags["张伟"]}
    assert zhang["value:high"] == (True, None)  # from the record's text, once for two texts naming it
    assert zhang["custom:重点客户"] == (True, None)
    assert zhang["region:华东"] == (False, True) and zhang["industry:制造业"] == (False, True)
    assert zhang["frequency:low"] == (False, True)
    assert not [k for k in zhang if k.startswith("value:") and k != "value:high"]  # its record holds the tier
    li = {k for k, _, _ in tags["李娜"]}
    assert "risk:churn" in li and "custom:流失风险" not in li and "region:华南" in li
    rows = await clean_graph.read(
        "MATCH (c:Customer)-[r:OWNED_BY]->(o:Owner) RETURN c.name AS c, o.name AS o, r.rule AS rule ORDER BY c"
    )
    assert [(r["c"], r["o"], r["rule"]) for r in rows] == [("张伟", "公共池", "fallback"), ("李娜", "周晓明", None)]
    stages = await clean_graph.read("MATCH (c:Customer) RETURN c.lifecycle AS s")
    assert {r["s"] for r in stages} == {"prospect"}  # neither has ordered


async def test_an_orders_file_classifies_the_customers_its_orders_resolved_to(
    clean_graph: Graph, do_import: Import
) -> None:
    day = today().isoformat()
    orders = [
        {"订单号": f"SO{n}", "下单日期": day, "客户姓名": f"王芳{n}", "手机号": f"1370000000{n}", "订单金额": "50000"}
        for n in range(3)
    ]
    await do_import("shop", "orders", orders)
    rows = await clean_graph.read(
        "MATCH (s:SourceRecord) MATCH (c:Customer {id: s.customer_id}) "
        "RETURN c.id AS id, c.lifecycle AS stage, [(c)-[:TAGGED]->(t:Tag) | t.key] AS tags"
    )
    assert len(rows) == 3
    for row in rows:
        assert row["stage"] == "customer"  # ordered today
        assert {"frequency:medium", "activity:active_30d", "value:low"} <= set(row["tags"])  # 50,000 / 12 < 5,000


def test_the_fallback_file_parses() -> None:
    assert yaml.safe_dump(FALLBACK)


async def test_a_steward_merge_reclassifies_the_survivor(clean_graph: Graph, do_import: Import) -> None:
    from custgraph.resolution.merge import merge_customers

    await do_import(
        "crm",
        "customers",
        [
            {"编号": "1", "姓名": "赵敏", "手机": "13600000001"},
            {"编号": "2", "姓名": "赵敏敏", "手机": "13600000002", "城市": "西安", "行业": "教育"},
        ],
    )
    ids = [r["id"] for r in await clean_graph.read("MATCH (c:Customer) RETURN c.id AS id ORDER BY id")]
    assert len(ids) == 2
    change = await merge_customers(clean_graph, ids[0], ids[1], by="steward", rules=load_rules())
    (survivor,) = change.customers
    rows = await clean_graph.read(
        "MATCH (c:Customer {id: $id})-[r:TAGGED]->(t:Tag) WHERE r.computed = true RETURN t.key AS k", id=survivor
    )
    assert {"region:西北", "industry:教育"} <= {r["k"] for r in rows}  # the absorbed record's profile counts
