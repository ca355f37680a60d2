"""The reads behind the data-quality report: aggregates in Cypher, details only where needed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.repositories.review import in_scope as review_scope
from custgraph.graph.repositories.scope import Scope
from custgraph.graph.schema import IDENTIFIER

# Each statement reads what the caller's scope sees: ``{records}`` / ``{customers}`` are empty for
# an admin (the whole graph) and otherwise restrict records to those whose customer is in scope,
# customers to those in scope (graph/repositories/scope.py). A manager's report covers their teams.
SCOPED_RECORD = "MATCH (s)-[:RESOLVED_TO]->(sc:Customer) WHERE {pred} "

OUTCOMES_BY_SOURCE = """
MATCH (s:SourceRecord) {records}
RETURN s.source AS source, s.outcome AS outcome, count(s) AS n
"""

# Only records flagged 待补充 are read one by one; everything else is counted by the server.
RECORDS_MISSING = """
MATCH (s:SourceRecord) WHERE size(coalesce(s.missing, [])) > 0 {records}
RETURN s.uid AS uid, s.source AS source, s.missing AS missing
"""

RUN_ISSUES = """
MATCH (r:ImportRun) WHERE r.issues_json IS NOT NULL AND r.issues_json <> '[]'
RETURN r.id AS id, r.source AS source, r.issues_json AS issues_json
"""

RECORD_RUNS = "UNWIND $uids AS u MATCH (s:SourceRecord {{uid: u}}) {records} RETURN s.uid AS uid, s.run_id AS run_id"

MERGES_INTO = """
MATCH (a:Customer)-[:MERGED_INTO]->(c:Customer) {customers}
RETURN c.id AS id, count(a) AS n
"""

UNMERGES = """
MATCH (e:MergeEvent {{kind: 'unmerge'}}) {survivors}
RETURN e.survivor AS id, e.absorbed AS absorbed
"""

REFLAGGED_REVIEWS = """
MATCH (r:ReviewItem)
WHERE (coalesce(r.times_flagged, 1) > 1 OR coalesce(r.history_json, '[]') <> '[]') {items}
RETURN r.key AS key, r.status AS status, coalesce(r.times_flagged, 1) AS times_flagged,
       r.history_json AS history_json
ORDER BY times_flagged DESC, r.key
"""

CHANGED_RECORDS_COUNT = """
MATCH (s:SourceRecord) WHERE coalesce(s.history_json, '[]') <> '[]' {records}
RETURN s.source AS source, count(s) AS n
"""

# The longest histories first: JSON length is a cheap, portable proxy for the number of versions.
CHANGED_RECORDS_TOP = """
MATCH (s:SourceRecord) WHERE coalesce(s.history_json, '[]') <> '[]' {records}
RETURN s.uid AS uid, s.customer_id AS customer_id, s.history_json AS history_json
ORDER BY size(s.history_json) DESC, s.uid LIMIT $limit
"""


def _in(query: str, scope: Scope) -> str:
    """One of the statements above for ``scope``."""
    if scope.everything:
        return query.format(records="", customers="", survivors="", items="")
    return query.format(
        # WITH s: a MATCH after a WHERE; the record is kept when its customer is in scope
        records="WITH s " + SCOPED_RECORD.format(pred=scope.predicate("sc")) + "WITH s",
        customers=f"WHERE {scope.predicate('c')}",
        survivors=f"MATCH (c:Customer {{id: e.survivor}}) WHERE {scope.predicate('c')}",
        items="AND " + " AND ".join(review_scope(scope)),
    )


def _quoted(name: str) -> str:
    if not IDENTIFIER.match(name):
        raise ValueError(f"not a safe property name: {name!r}")
    return f"`{name}`"


def completeness_query(fields: Sequence[str], scope: Scope) -> str:
    """count(c.f) counts the customers where f is set; property names can't be parameters."""
    counts = ", ".join(f"count(c.{_quoted(f)}) AS {_quoted(f)}" for f in fields)
    within = "" if scope.everything else f" AND {scope.predicate('c')}"
    return (
        f"MATCH (:SourceRecord)-[:RESOLVED_TO]->(c:Customer) WHERE c.merged_into IS NULL{within} "
        f"WITH DISTINCT c RETURN count(c) AS active, {counts}"
    )


async def outcomes_by_source(graph: Graph, scope: Scope) -> list[dict[str, Any]]:
    return await graph.read(_in(OUTCOMES_BY_SOURCE, scope), **scope.params())


async def records_missing(graph: Graph, scope: Scope) -> list[dict[str, Any]]:
    return await graph.read(_in(RECORDS_MISSING, scope), **scope.params())


async def run_issues(graph: Graph) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(run id, source, issues) of every import run that reported issues."""
    return [(r["id"], r["source"], json.loads(r["issues_json"])) for r in await graph.read(RUN_ISSUES)]


async def record_runs(graph: Graph, uids: Sequence[str], scope: Scope) -> dict[str, str | None]:
    """The run that wrote each record's current version (records outside ``scope`` left out)."""
    rows = await graph.read(_in(RECORD_RUNS, scope), uids=sorted(set(uids)), **scope.params())
    return {r["uid"]: r["run_id"] for r in rows}


async def completeness(graph: Graph, fields: Sequence[str], scope: Scope) -> dict[str, int]:
    rows = await graph.read(completeness_query(fields, scope), **scope.params())
    return {k: int(v) for k, v in rows[0].items()} if rows else {"active": 0}


async def merges_into(graph: Graph, scope: Scope) -> dict[str, int]:
    return {r["id"]: int(r["n"]) for r in await graph.read(_in(MERGES_INTO, scope), **scope.params())}


async def unmerges(graph: Graph, scope: Scope) -> list[tuple[str, list[str]]]:
    rows = await graph.read(_in(UNMERGES, scope), **scope.params())
    return [(r["id"], list(r["absorbed"] or [])) for r in rows]


async def reflagged_reviews(graph: Graph, scope: Scope) -> list[dict[str, Any]]:
    return await graph.read(_in(REFLAGGED_REVIEWS, scope), **scope.params())


async def changed_records(graph: Graph, limit: int, scope: Scope) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """(changed-record count per source, the ``limit`` records with the longest histories)."""
    rows = await graph.read(_in(CHANGED_RECORDS_COUNT, scope), **scope.params())
    counts = {r["source"]: int(r["n"]) for r in rows}
    top = await graph.read(_in(CHANGED_RECORDS_TOP, scope), limit=limit, **scope.params())
    return counts, top
