"""Steward merges and splits: moving records between customers, with provenance.

Every change a person makes is one ``(:MergeEvent {id})`` node (who, when, why, what moved),
linked ``-[:INVOLVES]->`` to each customer it touched; the edges it changes carry its ``event_id``
and ``by``. The matcher's own merges (graph/repositories/resolution.py) leave ``MERGED_INTO`` edges
with ``reason`` but no event: they were decided by the rules, which ``explain`` shows instead.

A record's ``RESOLVED_TO.moved_path`` is a stack of the customers it was merged away from (the last
element is the most recent); a split pops one element, so merges are undone one at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from custgraph.graph.connection import Graph
from custgraph.graph.repositories.records import allocate

EventKind = Literal["merge", "unmerge", "split"]
EVENT_PREFIX = "ME"


class MergeEventNode(BaseModel):
    """One steward action on customers; never deleted (an unmerge is a new event)."""

    id: str
    kind: EventKind
    at: str
    by: str
    ip: str | None = None  # where the request came from, when it came over HTTP
    reason: str  # review | split | ...
    note: str | None = None
    survivor: str | None = None  # merge: the customer kept; unmerge / split: the customer split
    absorbed: list[str] = Field(default_factory=list)  # merge: merged away; unmerge: revived
    created: list[str] = Field(default_factory=list)  # split: the new customers
    record_uids: list[str] = Field(default_factory=list)  # the records moved
    review_key: str | None = None
    # split: the moved records' merge history (uid -> moved_path) before the split, JSON, so undoing
    # the review decision that made the split can put it back
    prior_paths_json: str | None = None
    undone_at: str | None = None
    undone_by: str | None = None
    undone_event: str | None = None

    @property
    def customer_ids(self) -> list[str]:
        ids = [self.survivor, *self.absorbed, *self.created]
        return sorted({cid for cid in ids if cid})


class Placement(BaseModel):
    uid: str
    customer_id: str | None
    seq: int = 0


class Attached(BaseModel):
    """A record attached to a customer, with what its RESOLVED_TO edge says about moves."""

    uid: str
    seq: int = 0
    moved_path: list[str] = Field(default_factory=list)


class Absorbed(BaseModel):
    id: str
    at: str | None = None
    reason: str | None = None
    by: str | None = None
    event_id: str | None = None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


async def new_event_id(graph: Graph) -> str:
    return f"{EVENT_PREFIX}{await allocate(graph, 'merge_event', 1):06d}"


PLACEMENT = """
UNWIND $uids AS u
MATCH (s:SourceRecord {uid: u})
RETURN s.uid AS uid, s.customer_id AS customer_id, s.seq AS seq
"""

ATTACHED = """
MATCH (s:SourceRecord)-[r:RESOLVED_TO]->(:Customer {id: $id})
RETURN s.uid AS uid, s.seq AS seq, r.moved_from AS moved_from, r.moved_path AS moved_path
ORDER BY s.seq, s.uid
"""

ABSORBED = """
MATCH (a:Customer)-[m:MERGED_INTO]->(:Customer {id: $id})
WHERE a.merged_into = $id
RETURN a.id AS id, m.at AS at, m.reason AS reason, m.by AS by, m.event_id AS event_id
ORDER BY a.id
"""

CUSTOMER_STATE = """
UNWIND $ids AS id MATCH (c:Customer {id: id})
RETURN c.id AS id, c.merged_into AS merged_into
"""

MARK_MERGED = """
MATCH (a:Customer {id: $absorbed})
MATCH (b:Customer {id: $survivor})
SET a.merged_into = $survivor, a.merged_at = $at
MERGE (a)-[m:MERGED_INTO]->(b)
SET m.at = $at, m.reason = $reason, m.by = $by, m.event_id = $event_id
RETURN count(m) AS n
"""

REVIVE = """
UNWIND $ids AS id
MATCH (a:Customer {id: id})-[m:MERGED_INTO]->(:Customer {id: $survivor})
SET a.merged_into = null, a.merged_at = null, a.unmerged_at = $at, a.unmerged_by = $by
DELETE m
RETURN count(a) AS n
"""

CREATE_CUSTOMER = """
MERGE (c:Customer {id: $id})
ON CREATE SET c.created_at = $at, c.created_by = $by, c.split_from = $split_from
RETURN c.id AS id
"""

# Matching the old customer too makes a retried move a no-op for records already moved.
MOVE = """
UNWIND $rows AS row
MATCH (s:SourceRecord {uid: row.uid})-[r:RESOLVED_TO]->(:Customer {id: row.from})
MATCH (c:Customer {id: row.to})
CREATE (s)-[r2:RESOLVED_TO]->(c)
SET r2 = properties(r)
SET r2 += row.props
SET s.customer_id = row.to, s.moved_from = row.props.moved_from
DELETE r
RETURN count(r2) AS n
"""

SAVE_EVENT = "MERGE (e:MergeEvent {id: $id}) SET e += $props RETURN e.id AS id"

LINK_EVENT = """
UNWIND $ids AS cid
MATCH (e:MergeEvent {id: $id})
MATCH (c:Customer {id: cid})
MERGE (e)-[r:INVOLVES]->(c)
RETURN count(r) AS n
"""

MARK_UNDONE = """
UNWIND $ids AS id
MATCH (e:MergeEvent {id: id})
SET e.undone_at = $at, e.undone_by = $by, e.undone_event = $event
RETURN count(e) AS n
"""

EVENT = "MATCH (e:MergeEvent {id: $id}) RETURN properties(e) AS props"

EVENTS_OF = """
MATCH (e:MergeEvent)-[:INVOLVES]->(:Customer {id: $id})
RETURN properties(e) AS props ORDER BY e.id
"""

OPEN_MERGES = """
UNWIND $absorbed AS a
MATCH (e:MergeEvent {kind: 'merge', survivor: $survivor})
WHERE a IN e.absorbed AND e.undone_at IS NULL
RETURN DISTINCT e.id AS id
"""


INDUSTRY = "MATCH (c:Customer {id: $id}) RETURN c.industry AS industry"


async def industry_of(graph: Graph, customer_id: str) -> str | None:
    """The customer's industry (a split's new customer takes it for its id, in a format that spells it)."""
    rows = await graph.read(INDUSTRY, id=customer_id)
    return rows[0]["industry"] if rows else None


async def placement(graph: Graph, uids: Sequence[str]) -> dict[str, Placement]:
    rows = await graph.read(PLACEMENT, uids=list(uids))
    placed = [Placement(uid=r["uid"], customer_id=r["customer_id"], seq=int(r["seq"] or 0)) for r in rows]
    return {p.uid: p for p in placed}


async def attached(graph: Graph, customer_id: str) -> list[Attached]:
    out = []
    for row in await graph.read(ATTACHED, id=customer_id):
        path = list(row["moved_path"] or [])
        if not path and row["moved_from"]:
            path = [row["moved_from"]]  # moved before moved_path existed: one known step
        out.append(Attached(uid=row["uid"], seq=int(row["seq"] or 0), moved_path=path))
    return out


async def absorbed_into(graph: Graph, customer_id: str) -> list[Absorbed]:
    return [Absorbed.model_validate(row) for row in await graph.read(ABSORBED, id=customer_id)]


async def merged_into(graph: Graph, customer_ids: Sequence[str]) -> dict[str, str | None]:
    """id -> the customer it was merged into (None when live); unknown ids are left out."""
    rows = await graph.read(CUSTOMER_STATE, ids=list(customer_ids))
    return {r["id"]: r["merged_into"] for r in rows}


async def mark_merged(
    graph: Graph, *, survivor: str, absorbed: str, at: str, by: str, reason: str, event_id: str
) -> None:
    await graph.write(MARK_MERGED, survivor=survivor, absorbed=absorbed, at=at, by=by, reason=reason, event_id=event_id)


async def revive(graph: Graph, *, survivor: str, absorbed: Sequence[str], at: str, by: str) -> None:
    if absorbed:
        await graph.write(REVIVE, ids=list(absorbed), survivor=survivor, at=at, by=by)


async def create_customer(graph: Graph, customer_id: str, *, at: str, by: str, split_from: str) -> None:
    await graph.write(CREATE_CUSTOMER, id=customer_id, at=at, by=by, split_from=split_from)


async def move_records(graph: Graph, rows: Sequence[dict[str, Any]]) -> int:
    """Rows: {uid, from, to, props}; props are set on the new RESOLVED_TO edge (None removes one)."""
    if not rows:
        return 0
    return await graph.write_batches(MOVE, rows)


async def save_event(graph: Graph, event: MergeEventNode) -> None:
    props = event.model_dump(exclude={"id"}, exclude_none=True)
    await graph.write(SAVE_EVENT, id=event.id, props=props)
    await graph.write(LINK_EVENT, id=event.id, ids=event.customer_ids)


async def open_merge_events(graph: Graph, survivor: str, absorbed: Sequence[str]) -> list[str]:
    """Steward merge events into ``survivor`` of these customers that no split has undone yet."""
    if not absorbed:
        return []
    rows = await graph.read(OPEN_MERGES, survivor=survivor, absorbed=list(absorbed))
    return sorted(r["id"] for r in rows)


async def mark_undone(graph: Graph, event_ids: Sequence[str], *, at: str, by: str, undone_by_event: str) -> None:
    if event_ids:
        await graph.write(MARK_UNDONE, ids=list(event_ids), at=at, by=by, event=undone_by_event)


async def get_event(graph: Graph, event_id: str) -> MergeEventNode | None:
    rows = await graph.read(EVENT, id=event_id)
    return MergeEventNode.model_validate(rows[0]["props"]) if rows else None


async def events_of(graph: Graph, customer_id: str) -> list[MergeEventNode]:
    return [MergeEventNode.model_validate(r["props"]) for r in await graph.read(EVENTS_OF, id=customer_id)]


async def clear_profiles(graph: Graph, customer_ids: Sequence[str], fields: Sequence[str]) -> None:
    """Remove golden fields (set to null) before a customer that lost records is recomputed."""
    if customer_ids:
        await graph.write(
            "UNWIND $ids AS id MATCH (c:Customer {id: id}) SET c += $nulls RETURN count(c) AS n",
            ids=list(customer_ids),
            nulls=dict.fromkeys(fields),
        )
