"""Fixtures of the classification tests: an import of CSV rows through the real pipeline."""

from __future__ import annotations

import csv
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from custgraph.graph.connection import Graph
from custgraph.matching.rules import load_rules
from custgraph.pipeline.run import ImportOptions, ImportSummary, run_import

Import = Callable[[str, str, list[dict[str, str]]], Awaitable[ImportSummary]]


@pytest.fixture
def do_import(clean_graph: Graph, tmp_path: Path) -> Import:
    rules = load_rules()

    async def run(source: str, kind: str, rows: list[dict[str, str]]) -> ImportSummary:
        path = tmp_path / f"{source}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(dict.fromkeys(h for row in rows for h in row)))
            writer.writeheader()
            writer.writerows(rows)
        options = ImportOptions(source=source, kind=kind)
        return await run_import(clean_graph, [path], options, rules, reports_dir=tmp_path / "reports")

    return run
