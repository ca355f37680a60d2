"""Classification in the graph: read the facts of a batch of customers, write only what changed.

Rule-made edges carry ``computed = true`` (and ``derived = false``, so re-resolution, which rebuilds
``derived = true`` edges, leaves them alone); a person's edges have neither flag; the customer's
records' edges have ``derived = true``. Recompute adds and removes ``computed`` edges, and removes
the others only where ``evaluate.settle`` says so: a tag a person removed (an ``UNTAGGED`` edge, with
``by`` and ``at``, that customer_writes.py leaves in place of the ``TAGGED`` one) that the source records
named again, or a tag outranked in its exclusive dimension.

A recompute over every customer is logged on a ``RecomputeRun`` node: the last customer id done,
so a run that was stopped continues after it (custgraph/classification/recompute.py).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from custgraph.classification.evaluate import Change
from custgraph.classification.facts import (
    CustomerFacts,
    EdgeKind,
    InteractionFact,
    OrderFact,
    OwnerFact,
    TagFact,
    parse_date,
)
from custgraph.graph.connection import Graph
from custgraph.vocabulary import interaction_type

FACTS = """
UNWIND $ids AS id
MATCH (c:Customer {id: id})
WHERE c.merged_into IS NULL
RETURN c.id AS id, c.industry AS industry, c.region AS region, c.city AS city, c.country AS country,
       c.first_contact AS first_contact, c.created_at AS created_at, c.lifecycle AS lifecycle,
       c.manual_json AS manual,
       [(c)-[:PLACED]->(o:Order) | {on: o.order_date, amount: o.amount}] AS orders,
       [(c)-[:HAD]->(i:Interaction) | {on: i.interaction_date, type: i.interaction_type}] AS interactions,
       [(c)-[r:TAGGED]->(t:Tag) | {key: t.key, derived: r.derived, computed: r.computed, at: r.at}] AS tags,
       [(c)-[r:OWNED_BY]->(o:Owner) | {name: o.name, derived: r.derived, computed: r.computed,
                                       role: r.role, rule: r.rule}] AS owners,
       [(c)-[:UNTAGGED]->(t:Tag) | t.key] AS removed
"""

# One row holding every id: paging with ``c.id > $after ORDER BY c.id LIMIT n`` sorted the rest of the
# customers again for each page on ArcadeDB (quadratic over a full recompute).
LIVE_IDS = "MATCH (c:Customer) WHERE c.merged_into IS NULL RETURN collect(c.id) AS ids"

# The few tags a batch uses are merged once; then each edge is CREATEd (the diff read just now that it
# is missing), where MERGE would walk the edges of a tag shared by thousands of customers.
MERGE_TAGS = """
UNWIND $rows AS row
MERGE (t:Tag {key: row.key})
ON CREATE SET t.name = row.name, t.dimension = row.dimension
RETURN count(t) AS n
"""
ADD_TAGS = """
UNWIND $rows AS row
MATCH (t:Tag {key: row.key})
MATCH (c:Customer {id: row.id})
CREATE (c)-[r:TAGGED]->(t)
SET r.derived = false, r.computed = true, r.as_of = $as_of, r.at = $now
RETURN count(r) AS n
"""
DROP_TAGS = """
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})-[r:TAGGED]->(t:Tag)
WHERE (t.key IN row.keys AND r.computed = true)
   OR (t.key IN row.others AND (r.computed IS NULL OR r.computed = false))
DELETE r
RETURN count(*) AS n
"""
SET_LIFECYCLE = """
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})
SET c.lifecycle = row.stage, c.lifecycle_as_of = $as_of
RETURN count(c) AS n
"""
CREATE_OWNERS = """
UNWIND $rows AS row
MERGE (o:Owner {name: row.name})
WITH o, row
MATCH (c:Customer {id: row.id})
CREATE (c)-[r:OWNED_BY]->(o)
SET r.derived = false, r.computed = true, r.role = row.role, r.rule = row.rule, r.at = $now
RETURN count(r) AS n
"""
UPDATE_OWNERS = """
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})-[r:OWNED_BY]->(o:Owner {name: row.name})
WHERE r.computed = true
SET r.role = row.role, r.rule = row.rule, r.at = $now
RETURN count(r) AS n
"""
DROP_OWNERS = """
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})-[r:OWNED_BY]->(o:Owner)
WHERE o.name IN row.names AND r.computed = true
DELETE r
RETURN count(*) AS n
"""
# A person's tag in an exclusive dimension replaces the dimension's other tags (theirs or the rules').
DROP_DIMENSION_PEERS = """
MATCH (c:Customer {id: $id})-[r:TAGGED]->(t:Tag)
WHERE t.dimension = $dimension AND NOT t.key IN $keep AND (r.derived IS NULL OR r.derived = false)
DELETE r
RETURN count(*) AS n
"""


def _kind(derived: Any, computed: Any) -> EdgeKind:
    if derived is True:
        return "source"
    return "rule" if computed is True else "manual"


def _amount(value: Any) -> float:
    try:
        return float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def _facts(row: dict[str, Any]) -> CustomerFacts:
    manual = json.loads(row["manual"]) if row.get("manual") else {}
    return CustomerFacts(
        id=row["id"],
        industry=row.get("industry"),
        region=row.get("region"),
        city=row.get("city"),
        country=row.get("country"),
        first_contact=parse_date(row.get("first_contact")),
        created=parse_date(row.get("created_at")),
        lifecycle=row.get("lifecycle"),
        marked_lost=manual.get("lifecycle") == "churned",
        orders=[OrderFact(parse_date(o["on"]), _amount(o["amount"])) for o in row["orders"]],
        interactions=[InteractionFact(parse_date(i["on"]), interaction_type(i["type"])) for i in row["interactions"]],
        tags=[TagFact(t["key"], _kind(t["derived"], t["computed"]), t["at"]) for t in row["tags"]],
        owners=[OwnerFact(o["name"], _kind(o["derived"], o["computed"]), o["role"], o["rule"]) for o in row["owners"]],
        removed=frozenset(row.get("removed") or ()),
    )


async def read_facts(graph: Graph, customer_ids: Sequence[str]) -> list[CustomerFacts]:
    """The facts of these customers (merged-away and missing ids are left out), in one statement."""
    if not customer_ids:
        return []
    rows = await graph.read_values(FACTS, ids=list(customer_ids))
    return [_facts(row) for row in rows]


async def live_ids(graph: Graph) -> list[str]:
    """Every live customer id, in id order."""
    rows = await graph.read_values(LIVE_IDS)
    return sorted(rows[0]["ids"]) if rows else []


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


async def write_changes(graph: Graph, changes: Sequence[Change], *, as_of: str) -> None:
    """Apply the diffs: one UNWIND statement per kind of change, for the whole batch."""
    stamp = now()
    add = [
        {"id": c.id, "key": key, "dimension": key.split(":", 1)[0], "name": key.split(":", 1)[1]}
        for c in changes
        for key in c.add_tags
    ]
    drop = [
        {"id": c.id, "keys": c.drop_tags, "others": c.drop_other_tags}
        for c in changes
        if c.drop_tags or c.drop_other_tags
    ]
    stages = [{"id": c.id, "stage": c.lifecycle} for c in changes if c.lifecycle]
    drop_owners = [{"id": c.id, "names": c.drop_owners} for c in changes if c.drop_owners]
    added = [{"id": c.id, "name": o.name, "role": o.role, "rule": o.rule} for c in changes for o in c.add_owners]
    updated = [{"id": c.id, "name": o.name, "role": o.role, "rule": o.rule} for c in changes for o in c.update_owners]
    await graph.write_batches(DROP_TAGS, drop, as_of=as_of)
    tags = {row["key"]: {k: row[k] for k in ("key", "dimension", "name")} for row in add}
    await graph.write_batches(MERGE_TAGS, list(tags.values()))
    await graph.write_batches(ADD_TAGS, add, as_of=as_of, now=stamp)
    await graph.write_batches(SET_LIFECYCLE, stages, as_of=as_of)
    await graph.write_batches(DROP_OWNERS, drop_owners)
    await graph.write_batches(CREATE_OWNERS, added, now=stamp)
    await graph.write_batches(UPDATE_OWNERS, updated, now=stamp)


async def drop_dimension_peers(graph: Graph, customer_id: str, dimension: str, keep: Sequence[str]) -> int:
    """Remove the customer's other tags in ``dimension`` (not those its records name)."""
    rows = await graph.write(DROP_DIMENSION_PEERS, id=customer_id, dimension=dimension, keep=list(keep))
    return int(rows[0]["n"]) if rows else 0


# --- the ledger of a full recompute ---------------------------------------------------------------

CREATE_RUN = "CREATE (r:RecomputeRun {id: $id}) SET r += $props RETURN r.id AS id"
SAVE_RUN = "MATCH (r:RecomputeRun {id: $id}) SET r += $props RETURN r.id AS id"
UNFINISHED_RUN = """
MATCH (r:RecomputeRun)
WHERE r.status = 'running' AND r.as_of = $as_of AND r.config = $config
RETURN properties(r) AS props ORDER BY r.started_at DESC LIMIT 1
"""
LATEST_RUNS = "MATCH (r:RecomputeRun) RETURN properties(r) AS props ORDER BY r.started_at DESC LIMIT $limit"


class RecomputeRunNode(BaseModel):
    id: str = Field(default_factory=lambda: "RC" + uuid.uuid4().hex[:12])
    as_of: str
    config: str  # digest of the tag library and the assignment rules
    status: str = "running"
    after: str = ""  # the last customer id done
    started_at: str = Field(default_factory=now)
    finished_at: str | None = None
    by: str | None = None
    customers: int = 0
    changed: int = 0
    tags_added: int = 0
    tags_removed: int = 0
    lifecycle_changed: int = 0
    owners_set: int = 0
    owners_removed: int = 0


async def save_run(graph: Graph, run: RecomputeRunNode, *, new: bool = False) -> None:
    props = {k: v for k, v in run.model_dump(exclude={"id"}).items() if v is not None}
    await graph.write(CREATE_RUN if new else SAVE_RUN, id=run.id, props=props)


async def unfinished_run(graph: Graph, as_of: str, config: str) -> RecomputeRunNode | None:
    rows = await graph.read_values(UNFINISHED_RUN, as_of=as_of, config=config)
    return RecomputeRunNode.model_validate(rows[0]["props"]) if rows else None


async def latest_runs(graph: Graph, limit: int = 10) -> list[RecomputeRunNode]:
    return [RecomputeRunNode.model_validate(r["props"]) for r in await graph.read_values(LATEST_RUNS, limit=limit)]
