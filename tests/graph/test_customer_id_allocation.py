"""Customer ids handed out by the graph: unique under concurrency, in the configured format."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from custgraph.customer_ids import parse
from custgraph.graph.connection import Graph
from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories.nodes import upsert_nodes
from custgraph.graph.repositories.resolution import allocate_customer_ids

INDUSTRY_YEAR = parse({"format": "{industry}{year}{seq:03}", "industry_codes": {"教育": "ED", "制造业": "MF"}})


async def test_concurrent_allocations_never_share_an_id(clean_graph: Graph) -> None:
    batches = await asyncio.gather(*(allocate_customer_ids(clean_graph, 5) for _ in range(20)))
    ids = [cid for batch in batches for cid in batch]
    assert len(ids) == len(set(ids)) == 100
    assert sorted(ids) == [f"C{n:06d}" for n in range(1, 101)]


async def test_industry_and_year_ids_count_per_prefix(clean_graph: Graph) -> None:
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    first = await allocate_customer_ids(clean_graph, 3, ["教育", "制造业", "教育"], id_format=INDUSTRY_YEAR)
    assert first == [f"ED{year}001", f"MF{year}001", f"ED{year}002"]
    batches = await asyncio.gather(
        *(allocate_customer_ids(clean_graph, 2, ["教育", None], id_format=INDUSTRY_YEAR) for _ in range(10))
    )
    ids = [cid for batch in batches for cid in batch]
    assert len(set(ids)) == 20
    assert sorted(i for i in ids if i.startswith("ED")) == [f"ED{year}{n:03d}" for n in range(3, 13)]
    assert sorted(i for i in ids if i.startswith("OT")) == [f"OT{year}{n:03d}" for n in range(1, 11)]


async def test_ids_written_without_the_counter_are_skipped(clean_graph: Graph) -> None:
    # seeded, restored or imported with their own ids: the counter never knew them
    await upsert_nodes(clean_graph, [CustomerNode(id=f"C{n:06d}", name="已有") for n in (1, 2, 7)])
    assert await allocate_customer_ids(clean_graph, 2) == ["C000008", "C000009"]
