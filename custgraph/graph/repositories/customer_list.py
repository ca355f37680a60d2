"""Filtered, sorted, keyset-paginated customer lists (the ``customers`` query, saved searches, exports).

Pages are keyset pages: the cursor carries the sort value and id of the last row, so page n costs the
same as page 1 and rows inserted meanwhile never shift a page. Missing sort values are coalesced to
a constant (see customer_filter.SORT_KEYS) so the comparison is total on Neo4j and ArcadeDB alike.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories.customer_filter import (
    ANCHOR_ALL,
    LIVE,
    SORT_KEYS,
    Clause,
    CustomerFilter,
    CustomerOrder,
    build,
)
from custgraph.graph.repositories.scope import REP, Scope

TAG_DEGREES = "UNWIND $keys AS k MATCH (t:Tag {key: k}) RETURN k AS key, COUNT { (t)<-[:TAGGED]-() } AS n"
EXPORT_PAGE = 500


@dataclass(frozen=True)
class Position:
    """Where a keyset page starts: after the row with this sort value and id."""

    value: Any
    id: str


@dataclass
class CustomerPage:
    customers: list[CustomerNode]
    positions: list[Position]  # one per customer, for its cursor
    has_next: bool
    total: int | None = None  # set by page_with_total


# Tag key -> (customers tagged, when counted). Only the choice of the anchor reads it, never a result: a
# stale degree can make a filter slower, never wrong. Counting a tag's edges walks them all on ArcadeDB
# (50 ms for three tags at 100k customers), so each process counts a tag at most once a minute. Only
# tags found are kept: a tag created since is looked up, not taken as missing.
DEGREE_TTL_S = 60.0
_DEGREES: dict[str, tuple[int, float]] = {}


def forget_tag_degrees() -> None:
    """Count every tag afresh at its next use."""
    _DEGREES.clear()


async def _tag_degrees(graph: Graph, keys: list[str]) -> dict[str, int]:
    now = time.monotonic()
    known = {k: _DEGREES[k][0] for k in keys if k in _DEGREES and now - _DEGREES[k][1] < DEGREE_TTL_S}
    missing = [k for k in keys if k not in known]
    if missing:
        for row in await graph.read(TAG_DEGREES, keys=missing):
            known[row["key"]] = int(row["n"])
            _DEGREES[row["key"]] = (int(row["n"]), now)
    return known


async def prepare(graph: Graph, flt: CustomerFilter, *, scope: Scope) -> Clause | None:
    """The filter as Cypher over the customers ``scope`` sees, or None when nothing can match (a
    required tag does not exist, or the scope sees no customer).

    A filter on required tags starts from the rarest of them, so the MATCH walks the fewest edges, and
    checks the others rarest first. A rep's list always starts at their own Owner node.
    """
    if scope.nothing:
        return None
    if scope.role == REP:
        return build(flt, scope=scope)
    keys = sorted(set(flt.tags.all)) if flt.tags else []
    if not keys:
        return build(flt, scope=scope)
    sizes = await _tag_degrees(graph, keys)
    if len(sizes) < len(keys):
        return None
    return build(flt, scope=scope, anchor_tag=min(keys, key=lambda k: (sizes[k], k)), tag_sizes=sizes)


# Counting every live customer scanned the label reading merged_into (0.3-0.6 s at 100k customers);
# both servers count a whole label from their counts store instead, and the merged-away ones through the
# merged_into range index (ArcadeDB serves ``>= ''`` from it, not ``IS NOT NULL``; ids are strings).
# Two statements: combined in one, ArcadeDB gives up the count push-down and scans twice.
COUNT_ALL = "MATCH (c:Customer) RETURN count(c) AS n"
COUNT_MERGED = "MATCH (c:Customer) WHERE c.merged_into >= '' RETURN count(c) AS n"


async def count_customers(graph: Graph, clause: Clause | None) -> int:
    if clause is None:
        return 0
    if clause.match == ANCHOR_ALL and clause.where == [LIVE] and not clause.params:
        everyone, merged = await asyncio.gather(graph.read(COUNT_ALL), graph.read(COUNT_MERGED))
        return int(everyone[0]["n"]) - int(merged[0]["n"])
    rows = await graph.read(f"{clause.cypher()} RETURN count(c) AS n", **clause.params)
    return int(rows[0]["n"]) if rows else 0


async def page_customers(
    graph: Graph, clause: Clause | None, order: CustomerOrder, *, first: int, after: Position | None = None
) -> CustomerPage:
    """Up to ``first`` customers after ``after`` in ``order`` (ties broken by id, same direction)."""
    if clause is None:
        return CustomerPage([], [], False)
    query, params = _sorted(clause, order, first)
    compare = "<" if order.descending else ">"
    if after is not None:
        query += f"WHERE sk {compare} $after_value OR (sk = $after_value AND c.id {compare} $after_id) "
        params.update(after_value=after.value, after_id=after.id)
    # one row holding the page: ArcadeDB's Bolt server spends about 0.1 ms per streamed record
    query += (
        f"WITH c, sk ORDER BY {_order_by(order)} LIMIT $limit RETURN collect({{props: properties(c), sk: sk}}) AS page"
    )
    rows = await graph.read_values(query, **params)
    return _page(rows[0]["page"] if rows else [], first)


async def page_with_total(
    graph: Graph, clause: Clause | None, order: CustomerOrder, *, first: int, after: Position | None = None
) -> CustomerPage:
    """A page and the total of the whole list, in as few graph passes as the filter allows.

    An anchored filter (an owner, a tag, a channel) matches few enough customers to evaluate it once,
    sort the matches and slice the page out in the same statement (half the work of counting and
    paging separately). An unanchored one may match every customer: collecting them all costs more
    than two separate passes, which then run concurrently.
    """
    if clause is None:
        return CustomerPage([], [], False, 0)
    if clause.match == ANCHOR_ALL:
        total, page = await asyncio.gather(
            count_customers(graph, clause), page_customers(graph, clause, order, first=first, after=after)
        )
        page.total = total
        return page
    query, params = _sorted(clause, order, first)
    compare = "<" if order.descending else ">"
    # the keyset condition is applied to the sorted list, so the total still counts every match
    query += (
        f"WITH c, sk ORDER BY {_order_by(order)} WITH collect({{c: c, sk: sk}}) AS rows "
        "RETURN size(rows) AS total, [r IN [r IN rows WHERE $after_id IS NULL "
        f"OR r.sk {compare} $after_value OR (r.sk = $after_value AND r.c.id {compare} $after_id)][0..$limit] "
        "| {props: properties(r.c), sk: r.sk}] AS page"
    )
    params.update(after_value=after.value if after else None, after_id=after.id if after else None)
    rows = await graph.read_values(query, **params)
    page = _page(rows[0]["page"] if rows else [], first)
    page.total = int(rows[0]["total"]) if rows else 0
    return page


def _sorted(clause: Clause, order: CustomerOrder, first: int) -> tuple[str, dict[str, Any]]:
    prop, missing = SORT_KEYS[order.field]
    # prop comes from SORT_KEYS; everything else is a parameter
    query = f"{clause.cypher()} WITH c, coalesce(c.`{prop}`, $missing) AS sk "
    return query, {**clause.params, "missing": missing, "limit": first + 1}


def _order_by(order: CustomerOrder) -> str:
    direction = "DESC" if order.descending else "ASC"  # one of two literals
    return f"sk {direction}, c.id {direction}"


def _page(rows: list[dict[str, Any]], first: int) -> CustomerPage:
    kept = rows[:first]
    return CustomerPage(
        customers=[CustomerNode.model_validate(row["props"]) for row in kept],
        positions=[Position(row["sk"], row["props"]["id"]) for row in kept],
        has_next=len(rows) > first,
    )


async def iter_customers(
    graph: Graph, clause: Clause | None, order: CustomerOrder, *, page_size: int = EXPORT_PAGE
) -> AsyncIterator[list[CustomerNode]]:
    """Every matching customer, a page at a time (exports stream these)."""
    after: Position | None = None
    while True:
        page = await page_customers(graph, clause, order, first=page_size, after=after)
        if page.customers:
            yield page.customers
        if not page.has_next:
            return
        after = page.positions[-1]
