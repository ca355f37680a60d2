"""Orders and interactions people added through the API (``addOrder`` / ``addInteraction``).

They hang off the customer by an edge with ``derived = false`` (customer_writes.py) and belong to no
source record. So that re-resolution loses neither them nor what they add up to:

- the golden profile reads them back and adds them to the record-based sums and dates
  (``added_events``; pipeline/golden.py);
- a merge moves them to the surviving customer, pushing the absorbed id on the edge's
  ``moved_path`` as a merge does for records (``move_to_survivors``);
- undoing that merge (a split) pops the id and moves them back (``return_to_revived``).

Taking single records out of a customer (``splitRecords``) leaves them where they are: they were
added to the customer, not to one of its records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from custgraph.graph.connection import Graph

ADDED = (("PLACED", "Order", "order_date", "amount"), ("HAD", "Interaction", "interaction_date", "null"))


def _read(rel: str, label: str, date: str, amount: str) -> str:
    # rel, label and the property names are constants of this module
    return (
        f"UNWIND $ids AS id MATCH (:Customer {{id: id}})-[r:{rel}]->(x:{label}) WHERE r.derived = false "
        f"RETURN id, '{label.lower()}' AS kind, x.{date} AS date, "
        f"{'x.' + amount if amount != 'null' else 'null'} AS amount"
    )


def _move(rel: str) -> str:
    return (
        f"UNWIND $rows AS row MATCH (a:Customer {{id: row.from}})-[r:{rel}]->(x) "
        "WHERE r.derived = false AND x.uid IN row.uids "
        f"MATCH (b:Customer {{id: row.to}}) CREATE (b)-[r2:{rel}]->(x) "
        "SET r2 = properties(r), r2.moved_path = row.path DELETE r RETURN count(r2) AS n"
    )


def _edges(rel: str) -> str:
    return (
        f"UNWIND $ids AS id MATCH (:Customer {{id: id}})-[r:{rel}]->(x) WHERE r.derived = false "
        "RETURN id, x.uid AS uid, r.moved_path AS moved_path"
    )


READS = [_read(*spec) for spec in ADDED]
MOVES = {rel: _move(rel) for rel, *_ in ADDED}
EDGES = {rel: _edges(rel) for rel, *_ in ADDED}


async def added_events(graph: Graph, customer_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Rows {id, kind (order | interaction), date, amount} of what people added to these customers."""
    ids = sorted(set(customer_ids))
    if not ids:
        return []
    return [row for query in READS for row in await graph.read(query, ids=ids)]


async def _edges_of(graph: Graph, rel: str, customer_ids: Sequence[str]) -> list[dict[str, Any]]:
    return await graph.read(EDGES[rel], ids=sorted(set(customer_ids)))


async def move_to_survivors(graph: Graph, merges: Sequence[tuple[str, str]]) -> None:
    """(survivor, absorbed): the absorbed customer's added orders and interactions go to the survivor."""
    if not merges:
        return
    survivor_of = dict((absorbed, survivor) for survivor, absorbed in merges)
    for rel in MOVES:
        rows = []
        for edge in await _edges_of(graph, rel, sorted(survivor_of)):
            path = [*(edge["moved_path"] or []), edge["id"]]
            rows.append({"from": edge["id"], "to": survivor_of[edge["id"]], "uids": [edge["uid"]], "path": path})
        if rows:
            await graph.write_batches(MOVES[rel], rows)


async def return_to_revived(graph: Graph, survivor: str, revived: Sequence[str]) -> None:
    """A split undid merges into ``survivor``: what was added to each revived customer goes back to it
    (the edges whose last move came from it), and anything added to the survivor stays there."""
    back = set(revived)
    if not back:
        return
    for rel in MOVES:
        rows = []
        for edge in await _edges_of(graph, rel, [survivor]):
            path = list(edge["moved_path"] or [])
            if path and path[-1] in back:
                rows.append({"from": survivor, "to": path[-1], "uids": [edge["uid"]], "path": path[:-1] or None})
        if rows:
            await graph.write_batches(MOVES[rel], rows)
