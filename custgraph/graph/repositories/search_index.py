"""Keyword-search blocking keys in the graph: ``(:Customer)-[:HAS_KEY]->(:SearchKey {key})``.

``index_customers`` (re)builds the keys of some customers from their current properties; call it after
anything that changes a customer's name, mobile, phone, email or company (profiles.write_profiles,
the API mutations). ``candidates`` looks the keys of a query up: it touches only customers sharing a
key with it, through the SearchKey uniqueness index, never every customer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.search.keys import customer_keys

INDEX_BATCH = 500  # customers per write: ~25 keys each keeps a transaction near 10k MERGEs

FIELDS_OF = """
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN c.id AS id, c.name AS name, c.mobile AS mobile, c.phone AS phone, c.email AS email,
       c.company AS company, c.merged_into AS merged_into
"""

DROP_KEYS = """
UNWIND $rows AS row
MATCH (:Customer {id: row.id})-[r:HAS_KEY]->(:SearchKey)
DELETE r
"""

MERGE_KEYS = """
UNWIND $keys AS key
MERGE (:SearchKey {key: key})
"""

# The customers' old edges were just dropped, so CREATE, not MERGE: merging an edge checks every
# edge of a common key (a surname's has thousands), which made indexing the slowest step of an import.
LINK_KEYS = """
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})
UNWIND row.keys AS key
MATCH (k:SearchKey {key: key})
CREATE (c)-[:HAS_KEY]->(k)
RETURN count(k) AS n
"""

CANDIDATES = """
UNWIND $keys AS key
MATCH (:SearchKey {key: key})<-[:HAS_KEY]-(c:Customer)
WHERE c.merged_into IS NULL
WITH c, count(*) AS hits
ORDER BY hits DESC, c.id
LIMIT $limit
RETURN properties(c) AS props, hits
"""

OWNED_CANDIDATES = """
UNWIND $keys AS key
MATCH (:SearchKey {key: key})<-[:HAS_KEY]-(c:Customer)
WHERE c.merged_into IS NULL AND EXISTS { MATCH (c)-[:OWNED_BY]->(:Owner {name: $owner}) }
WITH c, count(*) AS hits
ORDER BY hits DESC, c.id
LIMIT $limit
RETURN properties(c) AS props, hits
"""


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def index_customers(graph: Graph, customer_ids: Iterable[str]) -> int:
    """Replace the search keys of these customers; merged-away customers lose theirs. Returns keys linked."""
    ids = sorted(set(customer_ids))
    linked = 0
    for chunk in _chunks(ids, INDEX_BATCH):
        rows = await graph.read(FIELDS_OF, ids=list(chunk))
        await graph.write(DROP_KEYS, rows=[{"id": cid} for cid in chunk])
        keyed = [{"id": row["id"], "keys": sorted(customer_keys(row))} for row in rows if not row["merged_into"]]
        if keyed:
            await graph.write(MERGE_KEYS, keys=sorted({key for row in keyed for key in row["keys"]}))
            await graph.write(LINK_KEYS, rows=keyed)
            linked += sum(len(row["keys"]) for row in keyed)
    return linked


async def candidates(
    graph: Graph, keys: Iterable[str], *, limit: int, owner: str | None = None
) -> list[dict[str, Any]]:
    """Customers (properties) sharing the most keys with a query, at most ``limit``.

    ``owner`` restricts the candidates to that owner's customers (a rep's scope).
    """
    wanted = sorted(set(keys))
    if not wanted:
        return []
    if owner is None:
        rows = await graph.read(CANDIDATES, keys=wanted, limit=limit)
    else:
        rows = await graph.read(OWNED_CANDIDATES, keys=wanted, limit=limit, owner=owner)
    return [row["props"] for row in rows]
