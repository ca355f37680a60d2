"""The import-run ledger: one ImportRun node per `custgraph import`, with its counts and report."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from custgraph import crypto
from custgraph.graph.connection import Graph

MAX_ISSUES_IN_GRAPH = 5000  # the full list is in the report files


class ImportRunNode(BaseModel):
    id: str
    source: str
    kind: str
    files: list[str]
    file_hashes: list[str] = Field(default_factory=list)
    status: str = "running"  # running | completed | failed | interrupted
    started_at: str
    finished_at: str | None = None
    rows_done: int = 0
    counts: dict[str, int] = Field(default_factory=dict)
    report_json: str | None = None
    report_csv: str | None = None
    issues: list[dict[str, Any]] = Field(default_factory=list)
    resumed_from: str | None = None
    error: str | None = None
    # customers the batch in flight is creating, cleared once its records point at them: a run
    # killed in between leaves exactly these to check for orphans (drop_orphans_of_unfinished_runs)
    customers_in_flight: list[str] = Field(default_factory=list)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _props(run: ImportRunNode) -> dict[str, Any]:
    data = run.model_dump(exclude={"files", "file_hashes", "counts", "issues"})
    data["files_json"] = json.dumps(run.files, ensure_ascii=False)
    data["file_hashes"] = list(run.file_hashes)
    data["customers_in_flight"] = list(run.customers_in_flight)
    data["counts_json"] = json.dumps(run.counts, sort_keys=True)
    # a rejected national ID or bank card is kept encrypted, like the stored ones
    issues = crypto.current().seal_issues(run.issues[:MAX_ISSUES_IN_GRAPH])
    data["issues_json"] = json.dumps(issues, ensure_ascii=False)
    return {k: v for k, v in data.items() if v is not None}


ENCODED = ("files_json", "counts_json", "issues_json")


def _from_props(props: dict[str, Any]) -> ImportRunNode:
    return ImportRunNode(
        # report_json is a path, not JSON: only the three encoded properties are decoded here
        **{k: v for k, v in props.items() if k in ImportRunNode.model_fields and k not in ENCODED},
        files=json.loads(props.get("files_json") or "[]"),
        counts=json.loads(props.get("counts_json") or "{}"),
        issues=json.loads(crypto.current().reveal_json(props.get("issues_json")) or "[]"),
    )


async def save_run(graph: Graph, run: ImportRunNode) -> None:
    await graph.write("MERGE (r:ImportRun {id: $id}) SET r += $props", id=run.id, props=_props(run))


async def get_run(graph: Graph, run_id: str) -> ImportRunNode | None:
    rows = await graph.read("MATCH (r:ImportRun {id: $id}) RETURN properties(r) AS props", id=run_id)
    return _from_props(rows[0]["props"]) if rows else None


async def interrupted_runs(graph: Graph, source: str, file_hashes: list[str]) -> list[str]:
    """Runs of the same files from the same source that never finished (killed or crashed)."""
    rows = await graph.read(
        "MATCH (r:ImportRun {status: 'running'}) WHERE r.source = $source RETURN r.id AS id, r.file_hashes AS hashes",
        source=source,
    )
    return [r["id"] for r in rows if sorted(r["hashes"] or []) == sorted(file_hashes)]


async def mark_interrupted(graph: Graph, run_ids: list[str]) -> None:
    if run_ids:
        await graph.write(
            "UNWIND $ids AS id MATCH (r:ImportRun {id: id}) SET r.status = 'interrupted', r.finished_at = $now",
            ids=run_ids,
            now=now(),
        )


async def mark_in_flight(graph: Graph, run_id: str, customer_ids: list[str]) -> None:
    """Note the customers a batch is about to create, before it creates them."""
    await graph.write(
        "MATCH (r:ImportRun {id: $id}) SET r.customers_in_flight = $ids", id=run_id, ids=list(customer_ids)
    )


UNFINISHED = ("running", "failed", "interrupted")

UNFINISHED_IN_FLIGHT = """
UNWIND $statuses AS status
MATCH (r:ImportRun {status: status})
WHERE size(coalesce(r.customers_in_flight, [])) > 0
RETURN r.id AS id, r.customers_in_flight AS ids
"""


async def unfinished_in_flight(graph: Graph) -> dict[str, list[str]]:
    """Run id -> the customers its last batch was creating, for runs that never completed.

    Through the ImportRun status index: the runs that did not complete, not every run.
    """
    rows = await graph.read(UNFINISHED_IN_FLIGHT, statuses=list(UNFINISHED))
    return {row["id"]: list(row["ids"]) for row in rows}


async def clear_in_flight(graph: Graph, run_ids: list[str]) -> None:
    if run_ids:
        await graph.write(
            "UNWIND $ids AS id MATCH (r:ImportRun {id: id}) SET r.customers_in_flight = []", ids=list(run_ids)
        )
