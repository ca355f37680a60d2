"""Keyword-search blocking keys in the graph: ``(:Customer)-[:HAS_KEY]->(:SearchKey {key})``.

``index_customers`` (re)builds the keys of some customers from their current properties; call it after
anything that changes a customer's name, mobile, phone, email or company (profiles.write_profiles,
the API mutations). ``candidates`` looks the keys of a query up: it touches only customers sharing a
key with it, through the SearchKey uniqueness index, never every customer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from custgraph import crypto
from custgraph.graph.connection import Graph
from custgraph.graph.repositories.scope import Scope
from custgraph.search.keys import customer_keys
from custgraph.vocabulary import IDENTIFIER_BY_FIELD

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

# Candidates come back as one row holding a list: ArcadeDB's Bolt server spends about 0.1 ms per record
# it streams (200 rows: 30-40 ms; the same 200 maps collected into one row: 4-10 ms). A key shared by
# more than KEY_CAP customers (a common bigram such as 软件, a sector word) contributes its first
# KEY_CAP of them: without the cap a company fragment walked every customer of its sector (9,000 rows
# at 100k customers, ten times as many at 1M). Rare keys (an exact name, mobile, company) are never cut.
# Candidates are ordered by the keys they share only: breaking the ties by id read the id of every
# candidate inside the sort (60-80 ms for 4,000 candidates on ArcadeDB). Which of the candidates sharing
# equally few keys make the cut is then the engine's order; the scorer ranks the ones that do. Merged-away
# customers lose their keys (index_customers); the check that none slipped through reads the chosen
# candidates only (reading merged_into of all 4,000 took 10-20 ms).
KEY_CAP = 2000

CANDIDATES = """
UNWIND $keys AS key
WITH key, COLLECT { MATCH (:SearchKey {key: key})<-[:HAS_KEY]-(c:Customer) RETURN c LIMIT $cap } AS found
UNWIND found AS c
WITH c, count(*) AS hits ORDER BY hits DESC LIMIT $limit
WITH c WHERE c.merged_into IS NULL
RETURN collect(properties(c)) AS candidates
"""

# Within a caller's scope (``{scope}``: graph/repositories/scope.py), checked before the cap, so a
# common key still yields the caller's own customers.
SCOPED_CANDIDATES = """
UNWIND $keys AS key
WITH key, COLLECT {{
  MATCH (:SearchKey {{key: key}})<-[:HAS_KEY]-(c:Customer)
  WHERE {scope}
  RETURN c LIMIT $cap
}} AS found
UNWIND found AS c
WITH c, count(*) AS hits ORDER BY hits DESC LIMIT $limit
WITH c WHERE c.merged_into IS NULL
RETURN collect(properties(c)) AS candidates
"""


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


KEY_BATCH = 5000  # distinct keys per MERGE statement


class MergedKeys:
    """SearchKey nodes an import has merged already, so later batches do not merge them again.

    Common keys (a phone's four-digit windows, name bigrams, email trigrams) recur in every batch;
    SearchKey nodes are never deleted, so a key merged once stays. Bounded: past ``limit`` keys
    nothing more is remembered (those keys are merged again, which is correct, only slower).
    """

    def __init__(self, limit: int = 300_000) -> None:
        self.limit = limit
        self._keys: set[str] = set()

    def unknown(self, keys: Iterable[str]) -> list[str]:
        return sorted(set(keys) - self._keys)

    def add(self, keys: Sequence[str]) -> None:
        room = self.limit - len(self._keys)
        if room > 0:
            self._keys.update(keys[:room])


async def merge_keys(graph: Graph, keys: Iterable[str], merged: MergedKeys | None = None) -> None:
    """Make sure these SearchKey nodes exist: each distinct key merged once (and once per run)."""
    distinct = merged.unknown(keys) if merged is not None else sorted(set(keys))
    for chunk in _chunks(distinct, KEY_BATCH):
        await graph.write(MERGE_KEYS, keys=list(chunk))
    if merged is not None:
        merged.add(distinct)


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


async def candidates(graph: Graph, keys: Iterable[str], *, limit: int, scope: Scope) -> list[dict[str, Any]]:
    """Customers (properties) sharing the most keys with a query, at most ``limit``, within ``scope``."""
    wanted = sorted(set(keys))
    if not wanted or scope.nothing:
        return []
    if scope.everything:
        rows = await graph.read_values(CANDIDATES, keys=wanted, limit=limit, cap=KEY_CAP)
    else:
        query = SCOPED_CANDIDATES.format(scope=scope.predicate("c"))
        rows = await graph.read_values(query, keys=wanted, limit=limit, cap=KEY_CAP, **scope.params())
    return list(rows[0]["candidates"]) if rows else []


# A national ID or bank card is found through its identifier node, keyed by the value's HMAC digest
# (custgraph/crypto.py): the query is hashed the way the import hashed the stored value.
IDENTIFIER_HITS = """
UNWIND $values AS v
MATCH (:{label} {{value: v}})<-[:{rel}]-(s:SourceRecord)
WITH DISTINCT s.customer_id AS id
MATCH (c:Customer {{id: id}})
WHERE c.merged_into IS NULL AND {scope}
WITH c ORDER BY c.id LIMIT $limit
RETURN collect(properties(c)) AS found
"""


async def identifier_hits(
    graph: Graph, values: dict[str, str], *, limit: int, scope: Scope
) -> list[tuple[str, dict[str, Any]]]:
    """(field, customer properties) of the customers holding one of ``values`` (field -> standardized
    national ID or bank card), within ``scope``."""
    if scope.nothing:
        return []
    ring = crypto.current()
    out: list[tuple[str, dict[str, Any]]] = []
    for name, value in sorted(values.items()):
        identifier = IDENTIFIER_BY_FIELD[name]
        query = IDENTIFIER_HITS.format(label=identifier.label, rel=identifier.rel, scope=scope.predicate("c"))
        params = {} if scope.everything else scope.params()
        rows = await graph.read_values(query, values=[ring.digest(name, value)], limit=limit, **params)
        out += [(name, dict(props)) for props in (rows[0]["found"] if rows else [])]
    return out
