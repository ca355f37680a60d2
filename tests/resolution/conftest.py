"""Fixtures for the steward features: tiny CSV imports into an empty real graph, GraphQL calls.

Records are imported the way users import them (``run_import`` over a CSV with Chinese or English
headers), so every test exercises the real ingest -> resolve -> persist path before the feature
under test.
"""

from __future__ import annotations

import asyncio
import csv
import itertools
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from custgraph.graph.connection import Graph
from custgraph.graph.models import OwnerNode
from custgraph.graph.repositories.nodes import link, upsert_nodes
from custgraph.matching.rules import Rules, load_rules
from custgraph.pipeline.run import ImportOptions, ImportSummary, run_import
from custgraph.resolvers.context import Context
from custgraph.schema import schema
from custgraph.service.settings import Settings

Importer = Callable[..., Awaitable[ImportSummary]]
Gql = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


@pytest.fixture
def importer(clean_graph: Graph, tmp_path: Path, rules: Rules) -> Importer:
    """``await importer(rows, source=...)``: write rows (dicts keyed by header) to a CSV and import it."""
    numbers = itertools.count()

    async def run(
        rows: Sequence[dict[str, str]], *, source: str = "crm", rule_set: Rules | None = None
    ) -> ImportSummary:
        headers = list(dict.fromkeys(h for row in rows for h in row))
        path = tmp_path / f"{source}-{next(numbers)}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=headers)
            writer.writeheader()
            writer.writerows(rows)
        options, reports = ImportOptions(source=source), tmp_path / "reports"
        return await run_import(clean_graph, [path], options, rule_set or rules, reports_dir=reports)

    return run


async def placement(graph: Graph) -> dict[str, str | None]:
    rows = await graph.read("MATCH (s:SourceRecord) RETURN s.uid AS uid, s.customer_id AS customer_id")
    return {r["uid"]: r["customer_id"] for r in rows}


@pytest.fixture
def customer_of(clean_graph: Graph) -> Callable[[], Awaitable[dict[str, str | None]]]:
    """``await customer_of()``: record uid -> customer id, for every record."""
    return lambda: placement(clean_graph)


@pytest.fixture
def partition(clean_graph: Graph) -> Callable[[], Awaitable[set[frozenset[str]]]]:
    """``await partition()``: the records grouped by customer (ids ignored); unmatched records alone."""

    async def run() -> set[frozenset[str]]:
        groups: dict[str, set[str]] = defaultdict(set)
        for uid, cid in (await placement(clean_graph)).items():
            groups[cid or f"unmatched:{uid}"].add(uid)
        return {frozenset(g) for g in groups.values()}

    return run


@pytest.fixture
def own_all(graph: Graph) -> Callable[[str], Awaitable[None]]:
    """``await own_all(user)``: every customer owned by ``user``, so a rep or manager of that name has them
    all in scope (imports here carry no owner column)."""

    async def run(user: str) -> None:
        ids = [row["id"] for row in await graph.read("MATCH (c:Customer) RETURN c.id AS id")]
        await upsert_nodes(graph, [OwnerNode(name=user)])
        await link(graph, "Customer", "OWNED_BY", "Owner", [(cid, user, {}) for cid in ids])

    return run


@pytest.fixture
def gql(graph: Graph) -> Gql:
    """``await gql(query, user=..., role=..., **variables)``: data, asserting there were no errors."""

    async def run(
        query: str, *, user: str = "alice", role: str = "admin", errors: bool = False, **variables: Any
    ) -> dict[str, Any]:
        context = Context(graph=graph, settings=Settings.from_env(), user=user, role=role, ip="10.0.0.7")
        result = await schema.execute(query, variable_values=variables, context_value=context)
        if errors:
            assert result.errors, "expected errors"
            return {"errors": [e.message for e in result.errors], "data": result.data}
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data

    return run


@pytest.fixture
def run_cli(graph_data_dir: Path) -> Callable[..., Awaitable[str]]:
    """``await run_cli(*args, code=0)``: the real ``custgraph`` CLI against the session graph.

    Run in a thread: the CLI calls ``asyncio.run`` itself, which a running loop would refuse."""
    from typer.testing import CliRunner

    from custgraph.service.cli import app

    async def run(*args: str, code: int = 0) -> str:
        result = await asyncio.to_thread(CliRunner().invoke, app, list(args))
        assert result.exit_code == code, (result.exit_code, result.output, result.exception)
        return result.stdout

    return run
