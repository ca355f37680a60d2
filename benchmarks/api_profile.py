"""PROFILE every statement the API's hot queries send, on a benchmark graph: plans, server time, label scans.

    .venv/bin/python benchmarks/api.py --customers 100000 --keep /tmp/api-100k   # builds the graph once
    .venv/bin/python benchmarks/api_profile.py --data-dir /tmp/api-100k [--plans plans.txt]

Runs the GraphQL scenarios of benchmarks/api.py (the 360° view, the three-tag filter, keyword search of
each kind) and a few other common reads (an unfiltered page, a page by industry, related customers)
through the service's own schema and resolvers, records every statement they send, then runs each
distinct one again prefixed with ``PROFILE`` (reads) or ``EXPLAIN`` (writes) and prints one JSON line
per statement: the scenario, the server's execution time, whether the plan scans a whole label
(``NodeByLabelScan``) and the plan's operators. ``--plans`` writes the full plans as the server
returned them. ArcadeDB answers PROFILE/EXPLAIN over Bolt with its own plan text in the summary
(``summary.profile`` / ``summary.plan``, ``args["string-representation"]``); Neo4j with an operator tree,
which is printed the same way. The graph server is left as it was found (started if it was not, then
stopped again).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from neo4j import AsyncGraphDatabase

from custgraph.graph import embedded
from custgraph.graph.connection import Graph, GraphConfig
from custgraph.resolvers.context import Context
from custgraph.schema import build_schema
from custgraph.service.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api  # noqa: E402 - benchmarks/api.py: the same world and scenarios

EXTRA = {
    "list_unfiltered": (
        "{ customers(orderBy: {field: TOTAL_AMOUNT, direction: DESC}, first: 20) { totalCount "
        "edges { node { id name tags { key } owners { name } } } } }"
    ),
    "list_by_industry": (
        '{ customers(filter: {industry: ["制造业"], region: ["上海市"]}, first: 20) { totalCount '
        "edges { node { id name company { name } } } } }"
    ),
    "related_customers": (
        '{ customer(id: "C000042") { id relatedCustomers { customer { id name } reasons { kind value } } } }'
    ),
}
EXECUTION_TIME = re.compile(r"Execution Time: ([0-9.]+) ms")
LABEL_SCAN = "NodeByLabelScan"


class Recorder:
    """Wraps a Graph's read/write methods: every statement sent, with the scenario that sent it."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.scenario = ""
        self.seen: dict[str, dict[str, Any]] = {}
        for name in ("read", "read_values", "write"):
            setattr(graph, name, self._wrap(getattr(graph, name), write=name == "write"))

    def _wrap(self, method: Callable[..., Any], *, write: bool) -> Callable[..., Any]:
        async def recorded(query: str, **params: Any) -> Any:
            entry = self.seen.setdefault(query, {"scenarios": [], "params": params, "write": write})
            if self.scenario not in entry["scenarios"]:
                entry["scenarios"].append(self.scenario)
            return await method(query, **params)

        return recorded


SUPERSEDED = "superseded by"  # ArcadeDB prints the plan a count push-down replaced after the one it ran


def _operators(plan: dict[str, Any]) -> list[str]:
    """The operators of the plan the server ran."""
    text = plan.get("args", {}).get("string-representation")
    if text:
        ran = text.split("Execution Plan (Cost-Based Optimizer, " + SUPERSEDED)[0]
        return [line.strip() for line in ran.splitlines() if line.strip().startswith("+")]
    found = [str(plan.get("operatorType"))]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


async def profile(
    info: embedded.ServerInfo | None, config: GraphConfig, query: str, entry: dict[str, Any]
) -> dict[str, Any]:
    uri, user, password = (
        (info.uri, embedded.USER, info.password) if info else (config.uri, config.user, config.password)
    )
    prefix = "EXPLAIN" if entry["write"] else "PROFILE"
    async with AsyncGraphDatabase.driver(uri, auth=(user, password)) as driver:
        for _ in range(2):  # the second run is measured: plans and pages are cached by then
            async with driver.session(database=config.database) as session:
                result = await session.run(f"{prefix} {query}", entry["params"])
                summary = await result.consume()
    plan = summary.profile or summary.plan or {}
    text = plan.get("args", {}).get("string-representation") or json.dumps(plan, ensure_ascii=False, default=str)
    timed = EXECUTION_TIME.search(text)
    operators = _operators(plan)
    return {
        "scenarios": entry["scenarios"],
        "statement": " ".join(query.split())[:160],
        "mode": prefix,
        "server_ms": float(timed.group(1)) if timed else None,
        "label_scan": any(LABEL_SCAN in op for op in operators),
        "operators": operators,
        "plan": text,
    }


async def run(data_dir: Path, customers: int, repeats: int) -> list[dict[str, Any]]:
    settings = Settings.from_env({"CUSTGRAPH_DATA_DIR": str(data_dir)})
    graph = Graph.connect(settings.graph)
    recorder = Recorder(graph)
    schema = build_schema(settings)
    world = api.world_of(list(api.people(customers)))
    try:
        bodies: list[tuple[str, dict[str, Any]]] = []
        for name, make in api.scenarios(world).items():
            bodies += [(name, make()) for _ in range(repeats)]
        bodies += [(name, {"query": query, "variables": {}}) for name, query in EXTRA.items()]
        for name, body in bodies:
            recorder.scenario = name
            context = Context(graph=graph, settings=settings, user="bench", role="admin")
            result = await schema.execute(body["query"], variable_values=body["variables"], context_value=context)
            if result.errors:
                raise RuntimeError(f"{name}: {result.errors}")
    finally:
        await graph.close()
    info = embedded.read_state(data_dir) if settings.graph.embedded else None
    return [await profile(info, settings.graph, query, entry) for query, entry in recorder.seen.items()]


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a graph kept by benchmarks/api.py --keep")
    parser.add_argument("--customers", type=int, default=0, help="as built (default: read from bench-api.json)")
    parser.add_argument("--repeats", type=int, default=4, help="requests per scenario (search kinds vary)")
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--plans", type=Path, default=None, help="write the full plans here")
    args = parser.parse_args(argv)
    built = args.data_dir / "bench-api.json"
    customers = args.customers or json.loads(built.read_text())["customers"]
    _, was_running = embedded.status(args.data_dir)
    embedded.ensure_running(args.data_dir, heap=args.heap)
    try:
        rows = asyncio.run(run(args.data_dir, customers, args.repeats))
    finally:
        if not was_running:
            embedded.stop(args.data_dir)
    for row in rows:
        print(json.dumps({k: v for k, v in row.items() if k != "plan"}, ensure_ascii=False))
    if args.plans:
        args.plans.write_text(
            "\n\n".join(f"## {', '.join(r['scenarios'])}\n{r['statement']}\n{r['plan']}" for r in rows),
            encoding="utf-8",
        )
    return rows


if __name__ == "__main__":
    main()
