"""`custgraph backup` / `restore` round trip and `custgraph audit export`, through the real CLI against the
session graph."""

from __future__ import annotations

import asyncio
import csv
import gzip
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import api_keys, audit_log, users
from custgraph.graph.repositories.backup import FORMAT, BackupError, restore
from tests.wipe import wipe

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [
    ("crm_export.xlsx", "crm_2024", "customers"),
    ("webform.jsonl", "website_form", "customers"),
    ("orders.csv", "shop_orders", "orders"),
]

Cli = Callable[..., Awaitable[str]]


@pytest.fixture
def run_cli(graph_data_dir: Path) -> Cli:
    """``await run_cli(*args, code=0)``, in a thread: the CLI calls ``asyncio.run`` itself."""
    from typer.testing import CliRunner

    from custgraph.service.cli import app

    async def run(*args: str, code: int = 0) -> str:
        result = await asyncio.to_thread(CliRunner().invoke, app, list(args))
        assert result.exit_code == code, (result.exit_code, result.output, result.exception)
        return result.output

    return run


async def shape(graph: Graph) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Nodes per label and edges per type, counted by plain Cypher (independently of the backup code)."""
    nodes = await graph.read("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n")
    edges = await graph.read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")
    return sorted((r["label"], r["n"]) for r in nodes), sorted((r["type"], r["n"]) for r in edges)


def body(path: Path) -> list[str]:
    """A backup's node and edge lines, sorted (the server's storage order is not part of the contract)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    return sorted(lines[1:])


async def test_restore_gives_the_same_graph_and_exports(clean_graph: Graph, run_cli: Cli, tmp_path: Path) -> None:
    for name, source, kind in EXAMPLES:
        await run_cli("import", str(ROOT / "examples" / name), "--source", source, "--kind", kind)
    await users.add_user(clean_graph, users.UserIn(name="审计员", role="auditor"))
    _, key = await api_keys.create_key(clean_graph, api_keys.ApiKeyIn(name="portal", role="admin", gateway=True))
    before = tmp_path / "links-before.csv"
    await run_cli("export", "links", "--out", str(before))
    counted = await shape(clean_graph)
    assert dict(counted[0])["Customer"] > 40 and dict(counted[0])["AuditEvent"] >= 3  # the imports are audited
    backup = tmp_path / "graph.jsonl.gz"
    out = await run_cli("backup", str(backup))
    assert "nodes" in out and backup.stat().st_mode & 0o077 == 0

    with gzip.open(backup, "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
    assert header["format"] == FORMAT and header["counts"]["nodes"]["Customer"] == dict(counted[0])["Customer"]

    refused = await run_cli("restore", str(backup), code=2)
    assert "not empty" in refused
    await wipe(clean_graph)  # a fresh, empty graph
    assert await shape(clean_graph) == ([], [])
    await run_cli("restore", str(backup))

    assert await shape(clean_graph) == counted
    again = tmp_path / "graph-again.jsonl.gz"
    await run_cli("backup", str(again))
    assert body(again) == body(backup)  # every node and edge with every property
    after = tmp_path / "links-after.csv"
    await run_cli("export", "links", "--out", str(after))
    assert after.read_text(encoding="utf-8") == before.read_text(encoding="utf-8")
    assert len(before.read_text(encoding="utf-8").splitlines()) > 100

    credential = await api_keys.credential_for(clean_graph, key)  # the key hash came back: the key still works
    assert credential is not None and credential.key.name == "portal"
    assert (await users.get_user(clean_graph, "审计员")).role == "auditor"  # type: ignore[union-attr]

    await run_cli("restore", str(backup), "--force")  # replaces what is there
    assert await shape(clean_graph) == counted


async def test_a_truncated_or_foreign_file_is_refused(clean_graph: Graph, run_cli: Cli, tmp_path: Path) -> None:
    await clean_graph.write("CREATE (:Owner {name: '甲'})-[:MEMBER_OF]->(:Tag {key: 'x:y', name: 'y'})")
    backup = tmp_path / "small.jsonl.gz"
    await run_cli("backup", str(backup))
    with gzip.open(backup, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert len(lines) == 5 and json.loads(lines[-1]) == {"end": True, "nodes": 2, "edges": 1}
    truncated = tmp_path / "truncated.jsonl.gz"
    with gzip.open(truncated, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines[:-1]) + "\n")
    await wipe(clean_graph)
    assert "truncated" in await run_cli("restore", str(truncated), code=2)
    plain = tmp_path / "plain.txt"
    plain.write_text("hello\n", encoding="utf-8")
    assert "not a gzipped custgraph backup" in await run_cli("restore", str(plain), "--force", code=2)
    with gzip.open(backup, "rb") as handle, pytest.raises(BackupError, match="not empty"):
        await restore(clean_graph, handle)  # the truncated restore left its nodes: not empty any more


async def test_audit_export_writes_the_whole_log_in_order(clean_graph: Graph, run_cli: Cli, tmp_path: Path) -> None:
    written = [audit_log.event("view", user=f"u{i}", ip="10.0.0.1", target=f"C{i:06d}") for i in range(7)]
    written.append(audit_log.event("edit", user="u0", target="C000001", before={"name": "张伟"}, after={"name": "张"}))
    await audit_log.record(clean_graph, written)
    jsonl = tmp_path / "audit.jsonl"
    assert "wrote 8 audit events" in await run_cli("audit", "export", "--out", str(jsonl))
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [e.id for e in written]
    assert json.loads(rows[-1]["before"]) == {"name": "张伟"} and rows[0]["ip"] == "10.0.0.1"
    as_csv = tmp_path / "audit.csv"
    await run_cli("audit", "export", "--out", str(as_csv))
    with as_csv.open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [r["id"] for r in table[:8]] == [e.id for e in written]
    assert table[8]["action"] == "export" and table[8]["target"] == "audit-log"  # the first export, audited
    await run_cli("audit", "export", "--out", str(jsonl), "--format", "xml", code=2)
