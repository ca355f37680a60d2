"""`custgraph demo load` (what `make run` loads) tells its one duplicate story, and the README's quick start
walks through it: every GraphQL block between the README's demo markers runs, in order, on the loaded demo."""

from __future__ import annotations

import asyncio
import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from custgraph.graph.connection import Graph
from custgraph.resolvers.context import Context
from custgraph.schema import schema
from custgraph.service.cli import app
from custgraph.service.cli_data import DEMO_DIR, DEMO_FILES
from custgraph.service.settings import Settings
from tests.wipe import wipe

README = Path(__file__).resolve().parents[2] / "README.md"
QUICK_START = re.compile(r"<!-- demo-queries:start -->(.*?)<!-- demo-queries:end -->", re.DOTALL)
GRAPHQL = re.compile(r"```graphql\n(.*?)```", re.DOTALL)
LIN_JING = {"crm_export|KH1001", "webform|wf-0002", "orders|SO2406001", "orders|SO2407003"}
PAIR = "crm_export|KH1002||webform|wf-0003"


async def gql(graph: Graph, query: str, **variables: Any) -> dict[str, Any]:
    context = Context(graph=graph, settings=Settings.from_env(), user="local-admin", role="admin", ip="127.0.0.1")
    result = await schema.execute(query, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


@pytest.fixture(scope="module")
async def demo(graph: Graph) -> Graph:
    """The session graph, emptied, with the demo loaded by the real command (twice: it is idempotent)."""
    await wipe(graph)
    for _ in range(2):
        result = await asyncio.to_thread(CliRunner().invoke, app, ["demo", "load"])
        assert result.exit_code == 0, (result.output, result.exception)
    return graph


def test_demo_files_are_listed_in_load_order_and_small() -> None:
    assert [(Path(p).name, s, k) for p, s, k in DEMO_FILES] == [
        ("crm_export.xlsx", "crm_export", "customers"),
        ("webform.jsonl", "webform", "customers"),
        ("orders.csv", "orders", "orders"),
        ("interactions.csv", "interactions", "interactions"),
    ]
    for path, _, _ in DEMO_FILES:
        assert Path(path).is_file() and Path(path).parent == DEMO_DIR
        assert Path(path).stat().st_size < 20_000
    with (DEMO_DIR / "truth.csv").open(encoding="utf-8", newline="") as handle:
        truth = list(csv.DictReader(handle))
    assert {f"{r['source']}|{r['source_key']}" for r in truth if r["entity"] == "lin_jing"} >= LIN_JING


async def test_the_same_person_from_three_systems_is_one_customer_with_an_explanation(demo: Graph) -> None:
    rows = await demo.read("MATCH (s:SourceRecord) RETURN s.uid AS uid, s.customer_id AS customer, s.outcome AS o")
    placed = {r["uid"]: r["customer"] for r in rows}
    [customer] = {placed[uid] for uid in LIN_JING}
    assert customer == "C000001"  # the README's quick start names it
    # nobody else was merged: every other customer holds the records of one person only
    truth = {f"{r['source']}|{r['source_key']}": r["entity"] for r in csv.DictReader((DEMO_DIR / "truth.csv").open())}
    people: dict[str, set[str]] = {}
    for uid, cid in placed.items():
        if cid:
            people.setdefault(cid, set()).add(truth[uid])
    assert all(len(entities) == 1 for entities in people.values()), people
    assert [r["uid"] for r in rows if r["o"] == "unmatched"] == ["webform|wf-0005"]

    explained = await gql(
        demo, '{ explainCustomer(id: "C000001") { records { uid rule score evidence { comparison weight } } } }'
    )
    records = {r["uid"]: r for r in explained["explainCustomer"]["records"]}
    assert set(records) >= LIN_JING
    web = records["webform|wf-0002"]
    assert web["rule"] and any(e["weight"] > 0 for e in web["evidence"]), web


async def test_exactly_one_pair_waits_for_review(demo: Graph) -> None:
    queue = (await gql(demo, "{ reviewQueue { totalCount nodes { key } } }"))["reviewQueue"]
    assert queue["totalCount"] == 1 and [n["key"] for n in queue["nodes"]] == [PAIR]


async def test_the_readme_quick_start_runs_on_the_demo(demo: Graph) -> None:
    section = QUICK_START.search(README.read_text(encoding="utf-8"))
    assert section, "README.md lost its <!-- demo-queries:start/end --> markers"
    blocks = GRAPHQL.findall(section.group(1))
    assert len(blocks) == 5
    answers = [await gql(demo, block) for block in blocks]
    found, view, why, queue, decided = answers
    assert any(hit["customer"]["id"] == "C000001" for hit in found["search"]), found
    assert view["customer"]["name"] == "林静"  # not 林女士 (the order) nor Lin Jing (the web form)
    sources = {r["source"] for r in view["customer"]["sourceRecords"]}
    assert {"crm_export", "webform", "orders"} <= sources
    assert any(r["rule"] for r in why["explainCustomer"]["records"])
    assert queue["reviewQueue"]["nodes"][0]["key"] == PAIR
    assert json.dumps(decided, ensure_ascii=False).count("DecideReviewPayload") == 1
    remaining = await gql(demo, "{ reviewQueue { totalCount } }")
    assert remaining["reviewQueue"]["totalCount"] == 0
