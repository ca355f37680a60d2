"""CUSTGRAPH_CYPHER_LOG: every distinct statement sent to the graph, one JSON line each, for the lint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from custgraph.graph import cypher_log
from custgraph.graph.connection import Graph
from custgraph.graph.cypher_log import CypherLog
from custgraph.graph.models import TagNode
from custgraph.graph.repositories.nodes import get_node, upsert_nodes


def _lines(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _recording(graph: Graph, path: Path) -> Graph:
    """The session graph's driver, recording into its own file."""
    return Graph(driver=graph.driver, database=graph.database, flavour=graph.flavour, cypher_log=CypherLog(path))


async def _store_items(graph: Graph, rows: list[dict[str, str]]) -> int:
    """Stands in for a repository function: the log names it, not the graph layer."""
    return await graph.write_batches(
        "UNWIND $rows AS row MERGE (t:Tag {key: row.key}) SET t.name = row.name", rows, batch_size=2
    )


async def test_each_distinct_statement_is_recorded_once_with_its_caller(clean_graph: Graph, tmp_path: Path) -> None:
    path = tmp_path / "cypher.jsonl"
    graph = _recording(clean_graph, path)
    rows = [{"key": f"k{n}", "name": f"标签{n}"} for n in range(5)]

    assert await _store_items(graph, rows) == 5  # three batches, one statement
    count = "MATCH (t:Tag) RETURN count(t) AS n"
    assert await graph.read(count) == [{"n": 5}]
    assert await graph.read(count) == [{"n": 5}]
    await graph.write("MATCH (t:Tag {key: $key}) DETACH DELETE t", key="k0")
    assert await graph.read(count) == [{"n": 4}]

    here = f"{__name__}.test_each_distinct_statement_is_recorded_once_with_its_caller"
    assert _lines(path) == [
        {
            "query": "UNWIND $rows AS row MERGE (t:Tag {key: row.key}) SET t.name = row.name",
            "where": f"{__name__}._store_items",
        },
        {"query": count, "where": here},
        {"query": "MATCH (t:Tag {key: $key}) DETACH DELETE t", "where": here},
    ]


async def test_repository_functions_are_named(clean_graph: Graph, tmp_path: Path) -> None:
    path = tmp_path / "cypher.jsonl"
    graph = _recording(clean_graph, path)
    await upsert_nodes(graph, [TagNode(key="value:high", name="high", dimension="value")])
    assert await get_node(graph, TagNode, "value:high") is not None
    assert [line["where"] for line in _lines(path)] == [
        "custgraph.graph.repositories.nodes.upsert_nodes",
        "custgraph.graph.repositories.nodes.get_node",
    ]


async def test_unset_records_nothing(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cypher_log.ENV, raising=False)
    assert CypherLog.from_env() is None
    quiet = Graph(driver=graph.driver, database=graph.database, flavour=graph.flavour)
    assert quiet.cypher_log is None
    assert await quiet.read("RETURN 3 AS three") == [{"three": 3}]


def test_the_variable_names_one_recorder_per_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "shared.jsonl"
    monkeypatch.setenv(cypher_log.ENV, str(path))
    first = CypherLog.from_env()
    assert first is not None and first is CypherLog.from_env()  # one dedupe set per process
    cypher_log.record("RETURN 2 AS two")
    cypher_log.record("RETURN 2 AS two")
    where = f"{__name__}.test_the_variable_names_one_recorder_per_file"
    assert _lines(path) == [{"query": "RETURN 2 AS two", "where": where}]


WRITER = """
import sys
from custgraph.graph.cypher_log import CypherLog
from custgraph.graph.models import TagNode
from custgraph.graph.repositories.nodes import get_node, upsert_nodes
log = CypherLog(sys.argv[1])
for n in range(300):
    log.record("RETURN " + repr("x" * 500) + " AS p" + sys.argv[2] + "_" + str(n), where="w" + sys.argv[2])
"""


def test_several_processes_append_whole_lines_to_one_file(tmp_path: Path) -> None:
    path = tmp_path / "cypher.jsonl"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(p)]) for p in range(4)]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0]
    lines = _lines(path)  # every line parses: none was torn or interleaved
    assert len(lines) == 1200
    assert {line["query"].rsplit(" AS ", 1)[1] for line in lines} == {f"p{p}_{n}" for p in range(4) for n in range(300)}


def test_a_cli_subprocess_records_into_the_same_file(graph_data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "cypher.jsonl"
    path.write_text('{"query": "RETURN 0 AS zero", "where": "earlier"}\n', encoding="utf-8")
    env = {**os.environ, "CUSTGRAPH_DATA_DIR": str(graph_data_dir), cypher_log.ENV: str(path)}
    env.pop("NEO4J_URI", None)
    shown = subprocess.run(
        [sys.executable, "-m", "custgraph.service.cli", "db", "status"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert _lines(path) == [
        {"query": "RETURN 0 AS zero", "where": "earlier"},  # appended, never truncated
        {"query": "RETURN 1 AS one", "where": "custgraph.graph.embedded.answers"},
    ]
