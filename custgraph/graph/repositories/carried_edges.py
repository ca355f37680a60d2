"""The edges people made on a customer, which follow it through a merge and come back when the merge
is undone (the decisions are custgraph/pipeline/carry.py's; this module reads and writes the edges).

A person's edge has neither ``derived = true`` (the customer's records: rebuilt on re-resolution)
nor ``computed = true`` (the classification rules: recomputed): an order or interaction added over
the API, a tag a person added, a tag a person removed (``UNTAGGED``), an owner a person assigned, a
channel named in ``createCustomer``. A customer has at most one edge of a type to a node (the
writes MERGE them), so (customer, type, node key) names an edge: a *slot*.

A moved edge keeps its properties and pushes the customer it left onto ``moved_path``, as a merge
does for records; ``displaced_json`` keeps, per element of ``moved_path``, the survivor's edges that
the move outranked (JSON), so undoing that merge can put them back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from custgraph.graph.connection import Graph, Transaction

# UNTAGGED edges carry neither flag; an edge written before ``derived`` existed counts as a person's
PERSON = "coalesce(r.derived, false) = false AND coalesce(r.computed, false) = false"


@dataclass(frozen=True)
class Kind:
    rel: str
    label: str
    key: str  # the node's key property


KINDS = {
    kind.rel: kind
    for kind in (
        Kind("PLACED", "Order", "uid"),
        Kind("HAD", "Interaction", "uid"),
        Kind("TAGGED", "Tag", "key"),
        Kind("UNTAGGED", "Tag", "key"),
        Kind("OWNED_BY", "Owner", "name"),
        Kind("CAME_FROM", "Channel", "name"),
    )
}


class PersonEdge(BaseModel):
    """One person-made edge: from ``customer``, of type ``rel``, to the node whose key is ``target``."""

    customer: str
    rel: str
    target: str
    props: dict[str, Any]


def _read(kind: Kind) -> str:
    # rel, label and key are constants of this module
    return (
        f"UNWIND $ids AS id MATCH (:Customer {{id: id}})-[r:{kind.rel}]->(x:{kind.label}) WHERE {PERSON} "
        f"RETURN id, x.{kind.key} AS target, properties(r) AS props"
    )


def _drop(kind: Kind) -> str:
    # every edge of the slot, whoever made it: a slot a person's edge is put into loses the rules' or
    # the records' edge there (the classification and the next profile refresh rebuild what still holds)
    return (
        f"UNWIND $rows AS row MATCH (:Customer {{id: row.id}})-[r:{kind.rel}]->"
        f"(:{kind.label} {{{kind.key}: row.target}}) DELETE r RETURN count(*) AS n"
    )


def _put(kind: Kind) -> str:
    return (
        f"UNWIND $rows AS row MATCH (c:Customer {{id: row.id}}) MATCH (x:{kind.label} {{{kind.key}: row.target}}) "
        f"CREATE (c)-[r:{kind.rel}]->(x) SET r = row.props RETURN count(r) AS n"
    )


READS = {rel: _read(kind) for rel, kind in KINDS.items()}
DROPS = {rel: _drop(kind) for rel, kind in KINDS.items()}
PUTS = {rel: _put(kind) for rel, kind in KINDS.items()}


async def person_edges(graph: Graph, customer_ids: Iterable[str]) -> list[PersonEdge]:
    """Every person-made edge of these customers."""
    ids = sorted(set(customer_ids))
    if not ids:
        return []
    return [
        PersonEdge(customer=row["id"], rel=rel, target=str(row["target"]), props=dict(row["props"]))
        for rel, query in READS.items()
        for row in await graph.read_values(query, ids=ids)
    ]


def _by_rel(rows: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel, row in rows:
        grouped[rel].append(row)
    return grouped


async def rewrite(graph: Graph, drop: Sequence[tuple[str, str, str]], put: Sequence[PersonEdge]) -> None:
    """Delete the edges of the slots in ``drop`` (customer, rel, target) and of the slots ``put`` fills,
    then create the ``put`` edges: one transaction, so an edge is never lost half-way through a move."""
    if not drop and not put:
        return
    slots = {(c, rel, target) for c, rel, target in drop} | {(e.customer, e.rel, e.target) for e in put}
    drops = _by_rel((rel, {"id": c, "target": target}) for c, rel, target in sorted(slots))
    puts = _by_rel((e.rel, {"id": e.customer, "target": e.target, "props": e.props}) for e in put)

    async def work(tx: Transaction) -> None:
        for rel, rows in drops.items():
            await tx.run(DROPS[rel], rows=rows)
        for rel, rows in puts.items():
            await tx.run(PUTS[rel], rows=rows)

    await graph.transaction(work)
