"""Concurrent updateCustomer calls on one customer, through the resolvers, against the real server:
each edits another field and every edit is kept (the read-modify-write of manual_json is atomic)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from custgraph.graph.connection import Graph
from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories.nodes import upsert_nodes
from custgraph.resolvers.context import Context
from custgraph.resolvers.customer_mutations import update_customer
from custgraph.service.settings import Settings

EDITS = {
    "title": "销售总监",
    "industry": "制造业",
    "city": "杭州市",
    "address": "西湖区文三路 1 号",
    "country": "中国",
    "notes": "并发编辑",
    "lifecycle": "customer",
    "gender": "female",
    "customer_type": "person",
    "email": "lin.jing@example.com",
}


async def test_concurrent_updates_of_different_fields_are_all_kept(clean_graph: Graph, tmp_path: Path) -> None:
    await upsert_nodes(clean_graph, [CustomerNode(id="C-CONC", name="林静")])
    settings = Settings(graph=None, data_dir=tmp_path)  # type: ignore[arg-type] - the context reads no graph config

    async def edit(field: str, value: str) -> None:
        context = Context(graph=clean_graph, settings=settings, user="admin", role="admin")
        result = await update_customer(context, "C-CONC", {field: value})
        assert isinstance(result, CustomerNode), result

    # twice over: twenty concurrent edits, each field written by two of them with the same value
    await asyncio.gather(*(edit(f, v) for f, v in [*EDITS.items(), *EDITS.items()]))
    rows = await clean_graph.read("MATCH (c:Customer {id: 'C-CONC'}) RETURN properties(c) AS p")
    props = rows[0]["p"]
    manual = json.loads(props["manual_json"])
    for field in EDITS:
        assert props[field] is not None and manual[field] == props[field], field
    assert props["name"] == "林静"
