"""Filtered, sorted, keyset-paginated customer lists (the ``customers`` query, saved searches, exports).

Pages are keyset pages: the cursor carries the sort value and id of the last row, so page n costs the
same as page 1 and rows inserted meanwhile never shift a page. Missing sort values are coalesced to
a constant (see customer_filter.SORT_KEYS) so the comparison is total on Neo4j and ArcadeDB alike.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories.customer_filter import (
    SORT_KEYS,
    Clause,
    CustomerFilter,
    CustomerOrder,
    TagCondition,
    build,
)

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


async def _anchor_tag(graph: Graph, tags: TagCondition) -> tuple[bool, str | None]:
    """Whether every required tag exists, and the rarest of them, so the MATCH walks the fewest edges."""
    if not tags.all:
        return True, None
    keys = sorted(set(tags.all))
    degrees = {row["key"]: int(row["n"]) for row in await graph.read(TAG_DEGREES, keys=keys)}
    if len(degrees) < len(keys):
        return False, None
    return True, min(keys, key=lambda k: (degrees[k], k))


async def prepare(graph: Graph, flt: CustomerFilter, *, scope_owner: str | None = None) -> Clause | None:
    """The filter as Cypher, or None when nothing can match (a required tag does not exist)."""
    if scope_owner is not None:
        return build(flt, scope_owner=scope_owner)
    possible, anchor = await _anchor_tag(graph, flt.tags or TagCondition())
    return build(flt, anchor_tag=anchor) if possible else None


async def count_customers(graph: Graph, clause: Clause | None) -> int:
    if clause is None:
        return 0
    rows = await graph.read(f"{clause.cypher()} RETURN count(c) AS n", **clause.params)
    return int(rows[0]["n"]) if rows else 0


async def page_customers(
    graph: Graph, clause: Clause | None, order: CustomerOrder, *, first: int, after: Position | None = None
) -> CustomerPage:
    """Up to ``first`` customers after ``after`` in ``order`` (ties broken by id, same direction)."""
    if clause is None:
        return CustomerPage([], [], False)
    prop, missing = SORT_KEYS[order.field]
    direction, compare = ("DESC", "<") if order.descending else ("ASC", ">")
    # prop comes from SORT_KEYS, direction/compare are the two literals above
    query = f"{clause.cypher()} WITH c, coalesce(c.`{prop}`, $missing) AS sk "
    params = {**clause.params, "missing": missing, "limit": first + 1}
    if after is not None:
        query += f"WHERE sk {compare} $after_value OR (sk = $after_value AND c.id {compare} $after_id) "
        params.update(after_value=after.value, after_id=after.id)
    query += f"RETURN properties(c) AS props, sk ORDER BY sk {direction}, c.id {direction} LIMIT $limit"
    rows = await graph.read(query, **params)
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
