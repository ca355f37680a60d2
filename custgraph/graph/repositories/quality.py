"""The reads behind the data-quality report: aggregates in Cypher, details only where needed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.schema import IDENTIFIER

OUTCOMES_BY_SOURCE = """
MATCH (s:SourceRecord)
RETURN s.source AS source, s.outcome AS outcome, count(s) AS n
"""

# Only records flagged 待补充 are read one by one; everything else is counted by the server.
RECORDS_MISSING = """
MATCH (s:SourceRecord) WHERE size(coalesce(s.missing, [])) > 0
RETURN s.uid AS uid, s.source AS source, s.missing AS missing
"""

RUN_ISSUES = """
MATCH (r:ImportRun) WHERE r.issues_json IS NOT NULL AND r.issues_json <> '[]'
RETURN r.id AS id, r.source AS source, r.issues_json AS issues_json
"""

RECORD_RUNS = "UNWIND $uids AS u MATCH (s:SourceRecord {uid: u}) RETURN s.uid AS uid, s.run_id AS run_id"

MERGES_INTO = """
MATCH (a:Customer)-[:MERGED_INTO]->(c:Customer)
RETURN c.id AS id, count(a) AS n
"""

UNMERGES = """
MATCH (e:MergeEvent {kind: 'unmerge'})
RETURN e.survivor AS id, e.absorbed AS absorbed
"""

REFLAGGED_REVIEWS = """
MATCH (r:ReviewItem)
WHERE coalesce(r.times_flagged, 1) > 1 OR coalesce(r.history_json, '[]') <> '[]'
RETURN r.key AS key, r.status AS status, coalesce(r.times_flagged, 1) AS times_flagged,
       r.history_json AS history_json
ORDER BY times_flagged DESC, r.key
"""

CHANGED_RECORDS_COUNT = """
MATCH (s:SourceRecord) WHERE coalesce(s.history_json, '[]') <> '[]'
RETURN s.source AS source, count(s) AS n
"""

# The longest histories first: JSON length is a cheap, portable proxy for the number of versions.
CHANGED_RECORDS_TOP = """
MATCH (s:SourceRecord) WHERE coalesce(s.history_json, '[]') <> '[]'
RETURN s.uid AS uid, s.customer_id AS customer_id, s.history_json AS history_json
ORDER BY size(s.history_json) DESC, s.uid LIMIT $limit
"""


def _quoted(name: str) -> str:
    if not IDENTIFIER.match(name):
        raise ValueError(f"not a safe property name: {name!r}")
    return f"`{name}`"


def completeness_query(fields: Sequence[str]) -> str:
    """count(c.f) counts the customers where f is set; property names can't be parameters."""
    counts = ", ".join(f"count(c.{_quoted(f)}) AS {_quoted(f)}" for f in fields)
    return (
        "MATCH (:SourceRecord)-[:RESOLVED_TO]->(c:Customer) WHERE c.merged_into IS NULL "
        f"WITH DISTINCT c RETURN count(c) AS active, {counts}"
    )


async def outcomes_by_source(graph: Graph) -> list[dict[str, Any]]:
    return await graph.read(OUTCOMES_BY_SOURCE)


async def records_missing(graph: Graph) -> list[dict[str, Any]]:
    return await graph.read(RECORDS_MISSING)


async def run_issues(graph: Graph) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(run id, source, issues) of every import run that reported issues."""
    return [(r["id"], r["source"], json.loads(r["issues_json"])) for r in await graph.read(RUN_ISSUES)]


async def record_runs(graph: Graph, uids: Sequence[str]) -> dict[str, str | None]:
    """The run that wrote each record's current version."""
    rows = await graph.read(RECORD_RUNS, uids=sorted(set(uids)))
    return {r["uid"]: r["run_id"] for r in rows}


async def completeness(graph: Graph, fields: Sequence[str]) -> dict[str, int]:
    rows = await graph.read(completeness_query(fields))
    return {k: int(v) for k, v in rows[0].items()} if rows else {"active": 0}


async def merges_into(graph: Graph) -> dict[str, int]:
    return {r["id"]: int(r["n"]) for r in await graph.read(MERGES_INTO)}


async def unmerges(graph: Graph) -> list[tuple[str, list[str]]]:
    return [(r["id"], list(r["absorbed"] or [])) for r in await graph.read(UNMERGES)]


async def reflagged_reviews(graph: Graph) -> list[dict[str, Any]]:
    return await graph.read(REFLAGGED_REVIEWS)


async def changed_records(graph: Graph, limit: int) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """(changed-record count per source, the ``limit`` records with the longest histories)."""
    counts = {r["source"]: int(r["n"]) for r in await graph.read(CHANGED_RECORDS_COUNT)}
    top = await graph.read(CHANGED_RECORDS_TOP, limit=limit)
    return counts, top
