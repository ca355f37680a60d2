"""Single-record writes on a large graph: ``ingestRecords`` (one record a call) and ``createCustomer``.

    .venv/bin/python benchmarks/single_record.py --data-dir DIR --records FILE.csv [--requests 100]

``DIR`` holds a graph built by ``custgraph import`` (e.g. of benchmarks/generate.py's files); ``FILE.csv``
gives the records to post (rows of a CRM export: its headers are mapped like any posted record), each
under a fresh source key; half are rows of FILE (duplicates of imported people when FILE was imported),
half the same rows with another name and mobile (new people). The mutations run in process through the
service's schema, one at a time, so that every graph statement can be timed: prints one JSON document
with p50 / p95 / p99 per mutation and, per mutation, the statements that took the most time (their
share of the total, calls per request, mean ms). Posted records and created customers stay in the graph.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from custgraph.graph import embedded
from custgraph.graph.connection import Graph
from custgraph.resolvers.context import Context
from custgraph.schema import build_schema
from custgraph.service.settings import Settings

INGEST = """
mutation Post($records: [JSON!]!) {
  ingestRecords(source: "api_single", records: $records) {
    __typename
    ... on IngestPayload { records { outcome customerId } }
    ... on ValidationError { message }
  }
}
"""
CREATE = """
mutation Create($input: CreateCustomerInput!) {
  createCustomer(input: $input) { __typename ... on CustomerPayload { customer { id } } }
}
"""


class Timer:
    """Times every statement a Graph sends, by statement."""

    def __init__(self, graph: Graph) -> None:
        self.spent: dict[str, list[float]] = defaultdict(list)
        for name in ("read", "read_values", "write"):
            setattr(graph, name, self._wrap(getattr(graph, name)))

    def _wrap(self, method: Callable[..., Any]) -> Callable[..., Any]:
        async def timed(query: str, **params: Any) -> Any:
            started = time.perf_counter()
            try:
                return await method(query, **params)
            finally:
                self.spent[" ".join(query.split())[:110]].append(time.perf_counter() - started)

        return timed

    def report(self, requests: int, total_s: float, top: int = 8) -> list[dict[str, Any]]:
        ranked = sorted(self.spent.items(), key=lambda item: -sum(item[1]))[:top]
        return [
            {
                "statement": statement,
                "share": round(sum(times) / total_s, 3),
                "calls_per_request": round(len(times) / requests, 2),
                "mean_ms": round(1000 * statistics.fmean(times), 2),
            }
            for statement, times in ranked
        ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def records(path: Path, count: int, seed: int) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = [dict(r) for r in csv.DictReader(handle)]
    rng = random.Random(seed)
    picked = []
    for i in range(count):
        row = {k: v for k, v in rng.choice(rows).items() if v}
        if i % 2:  # a new person: another name and mobile
            for key in row:
                if "姓名" in key or key.lower() == "name":
                    row[key] = "测" + row[key][1:]
                if "手机" in key or "mobile" in key.lower():
                    row[key] = f"1{rng.randint(3, 9)}{rng.randint(0, 10**9 - 1):09d}"
        first_key = next(iter(row))
        row[first_key] = f"SR{seed}{i:06d}"  # the source key: a fresh one each time
        picked.append(row)
    return picked


async def run_mutation(
    schema: Any, graph: Graph, settings: Settings, query: str, variables: list[dict[str, Any]], check: str
) -> tuple[list[float], Timer, float]:
    timer = Timer(graph)
    latencies = []
    started = time.perf_counter()
    for i, values in enumerate(variables):
        context = Context(graph=graph, settings=settings, user="bench", role="admin")
        t = time.perf_counter()
        result = await schema.execute(query, variable_values=values, context_value=context)
        elapsed = time.perf_counter() - t
        if result.errors or check not in json.dumps(result.data):
            raise RuntimeError(f"{query.split()[1]} failed: {result.errors or result.data}")
        if i >= 3:  # the first calls warm caches, the model and connections
            latencies.append(1000 * elapsed)
    return latencies, timer, time.perf_counter() - started


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings.from_env({"CUSTGRAPH_DATA_DIR": str(args.data_dir)})
    schema = build_schema(settings)
    report: dict[str, Any] = {"benchmark": "single_record", "data_dir": str(args.data_dir)}
    graph = Graph.connect(settings.graph)
    try:
        counted = await graph.read("MATCH (c:Customer) RETURN count(c) AS n")
        report["customers_in_graph"] = counted[0]["n"]
        posted = [{"records": [r]} for r in records(args.records, args.requests, args.seed)]
        created = [
            {"input": {"name": f"单测{i}", "mobile": f"139{args.seed:02d}{i:06d}"[:11], "owners": ["bench"]}}
            for i in range(args.requests)
        ]
        for name, query, variables, check in (
            ("ingest_records", INGEST, posted, "IngestPayload"),
            ("create_customer", CREATE, created, "CustomerPayload"),
        ):
            graph = Graph.connect(settings.graph)  # a fresh timer per mutation
            latencies, timer, total = await run_mutation(schema, graph, settings, query, variables, check)
            await graph.close()
            report[name] = {
                "requests": len(latencies),
                "p50_ms": round(percentile(latencies, 50), 1),
                "p95_ms": round(percentile(latencies, 95), 1),
                "p99_ms": round(percentile(latencies, 99), 1),
                "graph_statements_per_request": round(sum(len(v) for v in timer.spent.values()) / len(variables), 1),
                "graph_share": round(sum(sum(v) for v in timer.spent.values()) / total, 3),
                "top_statements": timer.report(len(variables), total),
            }
    finally:
        await graph.close()
    return report


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--records", type=Path, required=True, help="a CRM export CSV to draw records from")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    _, was_running = embedded.status(args.data_dir)
    try:
        report = asyncio.run(main_async(args))
    finally:
        if not was_running:
            embedded.stop(args.data_dir)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return report


if __name__ == "__main__":
    main()
