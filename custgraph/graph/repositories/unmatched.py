"""The unmatched pool: source records with no identifier and no name, which resolution left without a
customer (``outcome = 'unmatched'``, indexed). Read a page at a time, in uid order, by keyset."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.models import SourceRecordNode
from custgraph.graph.repositories.keyset import by_unique_key

UNMATCHED = "unmatched"
EXPORT_PAGE = 1000


def _where(source: str | None) -> tuple[str, dict[str, Any]]:
    clauses, params = ["s.outcome = $outcome"], {"outcome": UNMATCHED}
    if source is not None:
        clauses.append("s.source = $source")
        params["source"] = source
    return "WHERE " + " AND ".join(clauses) + " ", params


async def list_unmatched(
    graph: Graph, *, source: str | None = None, first: int, after: str | None = None
) -> tuple[list[SourceRecordNode], bool]:
    """Up to ``first`` records of the pool (of one source, when given) after the uid ``after``, and
    whether more follow. No SKIP: a deep page costs what the first does."""
    where, params = _where(source)
    query, params = by_unique_key("s", "uid", "MATCH (s:SourceRecord)", where, params, after, first)
    rows = await graph.read(query, **params)
    nodes = [SourceRecordNode.model_validate(r["props"]) for r in rows]
    return nodes[:first], len(nodes) > first


async def count_unmatched(graph: Graph, *, source: str | None = None) -> int:
    where, params = _where(source)
    rows = await graph.read(f"MATCH (s:SourceRecord) {where}RETURN count(s) AS n", **params)
    return int(rows[0]["n"]) if rows else 0


async def get_unmatched(graph: Graph, uid: str) -> SourceRecordNode | None:
    """The record ``uid`` if it is in the pool (a matched record, or none at all: None)."""
    rows = await graph.read(
        "MATCH (s:SourceRecord {uid: $uid}) WHERE s.outcome = $outcome RETURN properties(s) AS props",
        uid=uid,
        outcome=UNMATCHED,
    )
    return SourceRecordNode.model_validate(rows[0]["props"]) if rows else None


async def iter_unmatched(graph: Graph, *, source: str | None = None) -> AsyncIterator[SourceRecordNode]:
    """The whole pool, page by page (the export): memory holds one page."""
    after: str | None = None
    while True:
        page, more = await list_unmatched(graph, source=source, first=EXPORT_PAGE, after=after)
        for node in page:
            yield node
        if not more or not page:
            return
        after = page[-1].uid
