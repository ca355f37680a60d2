"""Recompute throughput: customers per second for a full recompute, and for one where 1% changed.

    .venv/bin/python benchmarks/recompute.py [--n 100000] [--seed 7] [--batch 1000]

Seeds ``--n`` customers into a fresh embedded graph through the graph repositories (profile fields,
0-6 orders and 0-4 interactions each, dated over the three years before D = 2024-06-30), then measures:
- `first`: the first full recompute, which writes every customer (tags, stage; nothing was classified);
- `unchanged`: a full recompute again, which must write nobody (reads and evaluation only);
- `one_percent`: 1% of the customers get a new order, then a full recompute (writes about 1%);
- `incremental`: the same 1% reclassified by id, as an order or import batch does
  (``classify_customers``), after another 1% changed.
Prints one JSON object. Times vary run to run on a shared machine: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from custgraph.classification import config
from custgraph.graph import embedded
from custgraph.graph.connection import Graph, GraphConfig
from custgraph.graph.models import CustomerNode, InteractionNode, OrderNode
from custgraph.graph.repositories.nodes import link, upsert_nodes
from custgraph.graph.schema import ensure_schema
from custgraph.pipeline.recompute import classify_customers, recompute_all

D = date(2024, 6, 30)
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "苏州", "成都", "武汉", "西安", "沈阳", "香港", "Singapore"]
INDUSTRIES = ["制造业", "教育", "金融", "零售", "互联网", "医疗"]
TYPES = ["拜访", "电话回访", "邮件", "投诉", "满意度回访", "展会", "会议"]
SEED_BATCH = 2000


def _day(rng: random.Random, days_back: int) -> str:
    return (D - timedelta(days=rng.randint(0, days_back))).isoformat()


def customers(n: int, seed: int) -> tuple[list[CustomerNode], list[OrderNode], list[InteractionNode], list[Any]]:
    rng = random.Random(seed)
    people, orders, interactions, edges = [], [], [], []
    for i in range(n):
        cid = f"B{i:07d}"
        people.append(
            CustomerNode(
                id=cid,
                name=f"客户{i}",
                city=rng.choice(CITIES),
                industry=rng.choice(INDUSTRIES),
                first_contact=_day(rng, 5 * 365),
            )
        )
        for k in range(rng.choice((0, 0, 1, 2, 3, 4, 6))):
            uid = f"{cid}|o{k}"
            orders.append(OrderNode(uid=uid, order_date=_day(rng, 3 * 365), amount=float(rng.randint(100, 80_000))))
            edges.append(("PLACED", "Order", cid, uid))
        for k in range(rng.choice((0, 1, 2, 4))):
            uid = f"{cid}|i{k}"
            interactions.append(
                InteractionNode(uid=uid, interaction_date=_day(rng, 365), interaction_type=rng.choice(TYPES))
            )
            edges.append(("HAD", "Interaction", cid, uid))
    return people, orders, interactions, edges


async def seed(graph: Graph, n: int, seed_value: int) -> None:
    people, orders, interactions, edges = customers(n, seed_value)
    for nodes in (people, orders, interactions):
        for start in range(0, len(nodes), SEED_BATCH):
            await upsert_nodes(graph, nodes[start : start + SEED_BATCH])
    for rel, label in (("PLACED", "Order"), ("HAD", "Interaction")):
        pairs = [(cid, uid, {"derived": True}) for r, _, cid, uid in edges if r == rel]
        for start in range(0, len(pairs), SEED_BATCH):
            await link(graph, "Customer", rel, label, pairs[start : start + SEED_BATCH])


async def change_one_percent(graph: Graph, n: int, rng: random.Random, tag: str) -> list[str]:
    """A new order dated D for 1% of the customers (at least one)."""
    chosen = sorted(rng.sample(range(n), max(1, n // 100)))
    ids = [f"B{i:07d}" for i in chosen]
    await upsert_nodes(graph, [OrderNode(uid=f"{cid}|{tag}", order_date=D.isoformat(), amount=50_000.0) for cid in ids])
    await link(graph, "Customer", "PLACED", "Order", [(cid, f"{cid}|{tag}", {"derived": True}) for cid in ids])
    return ids


async def measure(data_dir: Path, n: int, seed_value: int, batch: int) -> dict[str, Any]:
    graph = Graph.connect(GraphConfig(uri=None, data_dir=data_dir))
    classifier = config.load()
    rng = random.Random(seed_value + 1)
    result: dict[str, Any] = {"benchmark": "recompute", "customers": n, "as_of": D.isoformat(), "batch": batch}
    try:
        await ensure_schema(graph)
        started = time.perf_counter()
        await seed(graph, n, seed_value)
        result["seed_seconds"] = round(time.perf_counter() - started, 1)

        async def full(name: str) -> None:
            began = time.perf_counter()
            summary = await recompute_all(graph, as_of=D, classifier=classifier, batch_size=batch, resume=False)
            seconds = time.perf_counter() - began
            result[name] = {
                "seconds": round(seconds, 2),
                "customers_per_s": round(summary.customers / seconds, 1),
                "changed": summary.changed,
            }

        await full("first")
        await full("unchanged")
        await change_one_percent(graph, n, rng, "new1")
        await full("one_percent")
        ids = await change_one_percent(graph, n, rng, "new2")
        began = time.perf_counter()
        changed = await classify_customers(graph, ids, as_of=D, classifier=classifier)
        seconds = time.perf_counter() - began
        result["incremental"] = {
            "seconds": round(seconds, 2),
            "customers_per_s": round(len(ids) / seconds, 1),
            "customers": len(ids),
            "changed": len(changed),
        }
    finally:
        await graph.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="customers")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch", type=int, default=1000, help="customers per recompute batch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="custgraph-recompute-") as tmp:
        data_dir = Path(tmp) / "data"
        embedded.ensure_running(data_dir)  # server start-up is not part of any measurement
        try:
            result = asyncio.run(measure(data_dir, args.n, args.seed, args.batch))
        finally:
            embedded.stop(data_dir)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
