"""GraphQL API latency and throughput: the 360° view, a three-tag filter and keyword search.

    .venv/bin/python benchmarks/api.py                      # 100k customers (setup takes a while)
    .venv/bin/python benchmarks/api.py --customers 10000 --requests 200

Builds a fresh embedded graph in a temporary directory, writes ``--customers`` synthetic customers into it
directly with UNWIND batches (tags, owners, companies, channels, interactions, orders, a source record
and mobile identifier each), indexes them for search with the service's own ``index_customers``,
starts ``custgraph serve --workers 2 --no-access-log`` on a loopback port and, per scenario after a
warm-up, loads it with ``--concurrency`` clients (``wrk`` for ``--seconds`` when it is installed, which
leaves the two cores to the server; else ``--requests`` requests through httpx), then sends
``--requests`` requests one at a time. Prints one JSON document: per scenario the loaded run's p50 /
p95 / p99 latency in milliseconds and requests per second, and the one-at-a-time latencies
(``one_at_a_time``), plus the setup timings. Everything it started (server, workers, graph,
directory) is stopped and removed at the end. ``benchmarks/api_profile.py`` PROFILEs the statements
behind these scenarios on the graph that ``--keep`` leaves.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):  # run as a script: the repository root makes `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_data.vocab_business import BRANDS, SECTORS  # noqa: E402
from benchmarks.demo_data.vocab_names import GIVEN_GROUPS, SURNAMES  # noqa: E402
from custgraph.graph import embedded  # noqa: E402
from custgraph.graph.connection import Graph, GraphConfig  # noqa: E402
from custgraph.graph.embedded import free_port  # noqa: E402
from custgraph.graph.repositories.search_index import index_customers  # noqa: E402
from custgraph.graph.schema import ensure_schema  # noqa: E402

BATCH = 5000
INDEX_BATCH = 2000
THREE_TAGS = ["value:high", "custom:流失风险", "custom:VIP"]
INDUSTRIES = ("制造业", "信息技术", "互联网", "零售", "教育", "医疗", "金融", "物流")
REGIONS = ("北京市", "上海市", "广东省", "浙江省", "江苏省", "四川省", "湖北省", "山东省", "福建省", "陕西省")
LIFECYCLES = ("prospect", "customer", "dormant", "churned")
CHANNELS = ("官网", "展会", "电话营销", "线上广告", "转介绍", "门店")
OWNERS = [f"销售{n:02d}" for n in range(50)]
START_TIMEOUT_S = 120.0

# --- the synthetic world ----------------------------------------------------------------------

CUSTOMERS = """
UNWIND $rows AS row
CREATE (c:Customer) SET c = row.props
"""
TAGS = "UNWIND $rows AS row CREATE (:Tag {key: row.key, name: row.name, dimension: row.dimension})"
NAMED = {
    "Owner": "UNWIND $rows AS name CREATE (:Owner {name: name})",
    "Channel": "UNWIND $rows AS name CREATE (:Channel {name: name})",
    "Company": "UNWIND $rows AS row CREATE (:Company {key: row.key, name: row.name})",
}
EDGES = """
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})
MATCH (o:Owner {name: row.owner})
MATCH (ch:Channel {name: row.channel})
MATCH (co:Company {key: row.company})
CREATE (c)-[:OWNED_BY {derived: true}]->(o), (c)-[:CAME_FROM {derived: true}]->(ch),
       (c)-[:WORKS_AT {derived: true}]->(co)
WITH c, row
UNWIND row.tags AS key
MATCH (t:Tag {key: key})
CREATE (c)-[:TAGGED {derived: true}]->(t)
"""
ACTIVITY = """
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})
CREATE (s:SourceRecord {uid: 'crm|' + row.id, source: 'crm', source_key: row.id, kind: 'customers',
                        customer_id: row.id, outcome: 'new', fields_json: row.fields, raw_json: row.fields,
                        extra_json: '{}'})
CREATE (s)-[:RESOLVED_TO {score: 1.0, rule: 'new', outcome: 'new', evidence_json: '[]'}]->(c)
MERGE (m:Mobile {value: row.mobile})
CREATE (s)-[:HAS_MOBILE]->(m)
WITH c, row
UNWIND row.interactions AS i
CREATE (c)-[:HAD {derived: true}]->(:Interaction {uid: i.uid, interaction_type: i.type,
                                                  interaction_date: i.date, satisfaction: i.satisfaction})
WITH DISTINCT c, row
UNWIND row.orders AS o
CREATE (c)-[:PLACED {derived: true}]->(:Order {uid: o.uid, order_id: o.uid, order_date: o.date,
                                                amount: o.amount})
"""


@dataclass
class World:
    ids: list[str]
    names: list[str]
    mobiles: list[str]
    companies: list[str]


def _date(rng: random.Random, start_year: int = 2021) -> str:
    return f"{rng.randint(start_year, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _companies(count: int) -> list[tuple[str, str]]:
    """(matching key, display name), unique: brand + sector, numbered once the pairs run out."""
    pairs = [(b, s) for b, _ in BRANDS for s, _, _ in SECTORS]
    found = []
    for n in range(count):
        brand, sector = pairs[n % len(pairs)]
        suffix = "" if n < len(pairs) else str(n // len(pairs))
        found.append((f"{brand}{sector}{suffix}", f"{brand}{sector}{suffix}有限公司"))
    return found


def people(count: int, seed: int = 42) -> Iterator[dict[str, Any]]:
    """Deterministic customers: common Chinese names (so names repeat, as they do), unique mobiles."""
    rng = random.Random(seed)
    surnames = [s for s, _, _ in SURNAMES]
    weights = [w for _, _, w in SURNAMES]
    given = [group.split("|")[0][0] for group, _, _ in GIVEN_GROUPS]
    companies = _companies(max(count // 50, 10))
    mobiles = rng.sample(range(10**8), count)
    for n in range(count):
        cid = f"C{n + 1:06d}"
        given_name = "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
        name = rng.choices(surnames, weights)[0] + given_name
        mobile = f"+861{rng.choice('3456789')}{rng.randint(0, 9)}{mobiles[n]:08d}"
        key, company = rng.choice(companies)
        first = _date(rng)
        last = max(first, _date(rng, 2023))
        orders = [
            {"uid": f"SO{cid}{k}", "date": _date(rng, 2022), "amount": float(rng.randint(1, 200) * 100)}
            for k in range(rng.randint(0, 2))
        ]
        value = rng.choices(("high", "medium", "low"), (1, 1, 1))[0]
        tags = [f"value:{value}"]
        if rng.random() < 0.2:
            tags.append("custom:流失风险")
        if rng.random() < 0.1:
            tags.append("custom:VIP")
        yield {
            "id": cid,
            "props": {
                "id": cid,
                "name": name,
                "customer_type": "person",
                "lifecycle": rng.choice(LIFECYCLES),
                "industry": rng.choice(INDUSTRIES),
                "region": rng.choice(REGIONS),
                "mobile": mobile,
                "email": f"user{n + 1}@example.com",
                "company": company,
                "first_contact": first,
                "last_contact": last,
                "total_amount": sum(o["amount"] for o in orders),
                "order_count": len(orders),
            },
            "company": key,
            "company_name": company,
            "owner": rng.choice(OWNERS),
            "channel": rng.choice(CHANNELS),
            "tags": tags,
            "mobile": mobile,
            "orders": orders,
            "interactions": [
                {
                    "uid": f"HD{cid}{k}",
                    "type": rng.choice(("电话回访", "拜访", "投诉")),
                    "date": _date(rng, 2023),
                    "satisfaction": float(rng.randint(1, 5)),
                }
                for k in range(rng.randint(1, 3))
            ],
        }


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


async def build(graph: Graph, count: int) -> tuple[World, dict[str, float]]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    await ensure_schema(graph)
    rows = list(people(count))
    companies = {(r["company"], r["company_name"]) for r in rows}
    await graph.write(
        TAGS,
        rows=[
            {"key": f"{d}:{n}", "name": n, "dimension": d}
            for d, n in (
                ("value", "high"),
                ("value", "medium"),
                ("value", "low"),
                ("custom", "流失风险"),
                ("custom", "VIP"),
            )
        ],
    )
    await graph.write(NAMED["Owner"], rows=OWNERS)
    await graph.write(NAMED["Channel"], rows=list(CHANNELS))
    for chunk in _chunks(sorted(companies), BATCH):
        await graph.write(NAMED["Company"], rows=[{"key": k, "name": n} for k, n in chunk])
    for chunk in _chunks(rows, BATCH):
        await graph.write(CUSTOMERS, rows=[{"props": r["props"]} for r in chunk])
    timings["customers_s"] = time.perf_counter() - started
    for chunk in _chunks(rows, BATCH):
        await graph.write(EDGES, rows=[{k: r[k] for k in ("id", "owner", "channel", "company", "tags")} for r in chunk])
    for chunk in _chunks(rows, BATCH // 2):
        await graph.write(
            ACTIVITY,
            rows=[
                {
                    "id": r["id"],
                    "mobile": r["mobile"],
                    "interactions": r["interactions"],
                    "orders": r["orders"],
                    "fields": json.dumps({"name": r["props"]["name"], "mobile": r["mobile"]}, ensure_ascii=False),
                }
                for r in chunk
            ],
        )
    timings["edges_s"] = time.perf_counter() - started - timings["customers_s"]
    index_started = time.perf_counter()
    for chunk in _chunks([r["id"] for r in rows], INDEX_BATCH):
        await index_customers(graph, chunk)
    timings["search_index_s"] = time.perf_counter() - index_started
    return world_of(rows), {k: round(v, 1) for k, v in timings.items()}


def world_of(rows: list[dict[str, Any]]) -> World:
    return World(
        ids=[r["id"] for r in rows],
        names=[r["props"]["name"] for r in rows],
        mobiles=[r["mobile"] for r in rows],
        companies=[r["company_name"] for r in rows],
    )


# --- the scenarios ----------------------------------------------------------------------------

VIEW = """
query View($id: ID!) {
  customer(id: $id) {
    id name customerType lifecycle industry region mobile email firstContact lastContact
    totalAmount orderCount
    company { name } owners { name } channels { name } tags { key }
    interactions(first: 5) { totalCount edges { node { date interactionType satisfaction } } }
    orders(first: 5) { totalCount edges { node { orderId date amount } } }
    sourceRecords { uid source resolution { score rule outcome } }
  }
}
"""
FILTER = """
query ThreeTags($tags: [String!]!) {
  customers(filter: {tags: {all: $tags}}, orderBy: {field: TOTAL_AMOUNT, direction: DESC}, first: 20) {
    totalCount
    edges { node { id name totalAmount tags { key } owners { name } company { name } } }
  }
}
"""
SEARCH = """
query Search($q: String!) {
  search(query: $q, first: 10) { score matchedOn customer { id name mobile } }
}
"""


def scenarios(world: World, seed: int = 7) -> dict[str, Callable[[], dict[str, Any]]]:
    rng = random.Random(seed)

    def view() -> dict[str, Any]:
        return {"query": VIEW, "variables": {"id": rng.choice(world.ids)}}

    def three_tags() -> dict[str, Any]:
        return {"query": FILTER, "variables": {"tags": rng.sample(THREE_TAGS, 3)}}

    def search() -> dict[str, Any]:
        n = rng.randrange(len(world.ids))
        kind = rng.randrange(4)
        if kind == 0:
            query = world.names[n]  # exact name (common names: many hits)
        elif kind == 1:
            query = world.mobiles[n][-4:]  # last four digits of a mobile
        elif kind == 2:
            query = world.mobiles[n][5:12]  # a middle fragment
        else:
            query = world.companies[n][:4]  # part of a company name
        return {"query": SEARCH, "variables": {"q": query}}

    return {"customer_360": view, "three_tag_filter": three_tags, "keyword_search": search}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def load(base: str, make: Callable[[], dict[str, Any]], requests: int, concurrency: int) -> dict[str, Any]:
    headers: dict[str, str] = {}  # development mode: a loopback request acts as the local admin
    latencies: list[float] = []
    errors = 0
    samples: set[str] = set()
    bodies = [make() for _ in range(requests)]  # bounded: exactly `requests` requests
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty():
            body = queue.get_nowait()
            started = time.perf_counter()
            response = await client.post(f"{base}/graphql", json=body, headers=headers)
            latencies.append(time.perf_counter() - started)
            failed = response.status_code != 200 or "errors" in response.json()
            if failed:
                errors += 1
                if len(samples) < 3:
                    samples.add(response.text[:300])

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60.0, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    ms = [1000 * v for v in latencies]
    return {
        "requests": len(ms),
        "errors": errors,
        "rps": round(len(ms) / elapsed, 1),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        **({"error_samples": sorted(samples)} if samples else {}),
    }


# --- the server -------------------------------------------------------------------------------


def start_service(data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CUSTGRAPH_DATA_DIR": str(data_dir), "CUSTGRAPH_ENV": "development"}
    env["CUSTGRAPH_RATE_LIMIT"] = "0"  # measuring the service, not the per-credential limiter (all one client)
    env.pop("NEO4J_URI", None)
    command = [
        sys.executable,
        "-m",
        "custgraph.service.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
    ]
    with open(data_dir / "uvicorn.log", "wb") as log:  # the child keeps its own copy of the handle
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_healthy(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"custgraph serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("custgraph serve did not become healthy")


def stop_service(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


WRK_SCRIPT = """
local bodies = {%s}
local headers = {["Content-Type"] = "application/json"}
local n = 0
request = function()
  n = n %% #bodies + 1
  return wrk.format("POST", "/graphql", headers, bodies[n])
end
done = function(summary, latency, requests)
  io.write(string.format('WRK {"requests": %%d, "errors": %%d, "duration_us": %%d, "p50": %%d, "p95": %%d, '
    .. '"p99": %%d, "mean": %%f}\\n', summary.requests, summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
"""


def wrk_load(
    base: str, make: Callable[[], dict[str, Any]], seconds: float, concurrency: int, work: Path
) -> dict[str, Any]:
    """Throughput with wrk (C, one thread: it leaves the two cores to the server), cycling through 2,000 bodies."""
    bodies = ", ".join(f"[==[{json.dumps(make(), ensure_ascii=False)}]==]" for _ in range(2000))
    script = work / "wrk-bodies.lua"
    script.write_text(WRK_SCRIPT % bodies, encoding="utf-8")
    command = [
        "wrk",
        "-t1",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        base,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 120).stdout
    found = json.loads(out[out.index("WRK ") + 4 :].splitlines()[0])
    return {
        "requests": found["requests"],
        "errors": found["errors"],
        "rps": round(found["requests"] / (found["duration_us"] / 1e6), 1),
        "p50_ms": round(found["p50"] / 1000, 1),
        "p95_ms": round(found["p95"] / 1000, 1),
        "p99_ms": round(found["p99"] / 1000, 1),
        "mean_ms": round(found["mean"] / 1000, 1),
    }


async def measure(
    base: str, world: World, requests: int, concurrency: int, seconds: float, work: Path
) -> dict[str, Any]:
    """Per scenario: under load (``concurrency`` clients, wrk when installed), then one client at a time.

    The top-level p50/p95/p99 and rps are the loaded run; ``one_at_a_time`` is the latency a lone client
    sees (no queueing), every response checked for GraphQL errors.
    """
    results = {}
    client = "wrk" if shutil.which("wrk") else "httpx"
    for name, make in scenarios(world).items():
        await load(base, make, min(50, requests), concurrency)  # warm-up: connections, caches, JIT
        if client == "wrk":
            loaded = await asyncio.to_thread(wrk_load, base, make, seconds, concurrency, work)
        else:
            loaded = await load(base, make, requests, concurrency)
        alone = await load(base, make, requests, 1)
        results[name] = {**loaded, "client": client, "concurrency": concurrency, "one_at_a_time": alone}
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=500, help="measured requests per scenario")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each loaded run (wrk)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--heap", default="4g", help="embedded graph server heap")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="build the graph in this directory and keep it; a later run with the same --customers reuses it",
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="with --keep: build the graph (or find it built) and stop, measuring nothing",
    )
    args = parser.parse_args(argv)
    if args.build_only and args.keep is None:
        parser.error("--build-only needs --keep (a built graph nobody keeps is of no use)")

    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="custgraph-bench-api-"))
    built = data_dir / "bench-api.json"
    reuse = built.exists() and json.loads(built.read_text())["customers"] == args.customers
    if (data_dir / "arcadedb").exists() and not reuse:
        raise SystemExit(f"{data_dir} holds another or an unfinished benchmark graph: remove it first")
    proc: subprocess.Popen[bytes] | None = None
    try:
        embedded.ensure_running(data_dir, heap=args.heap)

        async def setup() -> tuple[World, dict[str, float]]:
            graph = Graph.connect(GraphConfig(uri=None, data_dir=data_dir))
            try:
                return await build(graph, args.customers)
            finally:
                await graph.close()

        if reuse:
            # The build's own timings travel with the graph, so a reused graph still reports them.
            timings = {**json.loads(built.read_text()).get("setup_seconds", {}), "reused": 1.0}
            world = world_of(list(people(args.customers)))
        else:
            world, timings = asyncio.run(setup())
            built.write_text(json.dumps({"customers": args.customers, "setup_seconds": timings}))
        if args.build_only:
            report = {
                "benchmark": "graphql_api",
                "customers": args.customers,
                "built": str(data_dir),
                "setup_seconds": timings,
            }
            print(json.dumps(report, ensure_ascii=False, indent=2))
            return report
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_service(data_dir, port, args.workers)
        wait_healthy(base, proc)
        results = asyncio.run(measure(base, world, args.requests, args.concurrency, args.seconds, data_dir))
        report = {
            "benchmark": "graphql_api",
            "customers": args.customers,
            "workers": args.workers,
            "concurrency": args.concurrency,
            "server": "arcadedb (embedded)",
            "cpus": os.cpu_count(),
            "setup_seconds": timings,
            "scenarios": results,
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return report
    finally:
        if proc is not None:
            stop_service(proc)
        embedded.stop(data_dir)
        if args.keep is None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
