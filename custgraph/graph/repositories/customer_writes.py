"""Changes people make to customers through the API (the GraphQL mutations).

Edges made here carry ``derived = false`` plus who made them and when: re-resolution rebuilds only
``derived = true`` edges (profiles.py), so a tag or owner a person added survives it. Adding an
edge that re-resolution had derived turns it into a person's edge for the same reason.

Each mutation is one transaction (``Graph.transaction``): a customer is never left half-created nor
half-edited, and an edit that reads before it writes (``manual_json``) locks the customer first.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from custgraph.graph.connection import Graph, Transaction
from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories.audit_log import Audited

ACCESS = """
MATCH (c:Customer {id: $id})
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN c.merged_into AS merged_into, collect(o.name) AS owners
"""

STAMP_CREATED = "MATCH (c:Customer {id: $id}) SET c.created_by = $by, c.updated_at = $now RETURN c.id AS id"
# Writing a property first takes the customer's write lock (Neo4j) or makes a concurrent edit of it
# fail at commit and run again (ArcadeDB, TransientError): either way two edits that each read
# manual_json, add to it and write it back cannot both start from the same value and lose one.
LOCK_MANUAL = "MATCH (c:Customer {id: $id}) SET c._lock = $token RETURN c.manual_json AS manual"
UPDATE_CUSTOMER = """
MATCH (c:Customer {id: $id})
SET c += $props, c.manual_json = $manual
REMOVE c._lock
RETURN properties(c) AS props
"""

DROP_COMPANY = "MATCH (:Customer {id: $id})-[r:WORKS_AT]->(:Company) DELETE r"
LINK_COMPANY = """
MERGE (co:Company {key: $key})
ON CREATE SET co.name = $name
WITH co
MATCH (c:Customer {id: $id})
MERGE (c)-[r:WORKS_AT]->(co)
SET r.derived = false, r.by = $by, r.at = $now
RETURN count(r) AS n
"""


def _link_manual(label: str, key: str, rel: str) -> str:
    # label, key and rel are constants of this module; an edge the classification rules had made
    # (computed, custgraph/pipeline/recompute.py) becomes the person's, which recompute leaves alone
    return (
        f"UNWIND $rows AS row MERGE (x:{label} {{{key}: row.key}}) ON CREATE SET x += row.props "
        f"WITH x, row MATCH (c:Customer {{id: $id}}) MERGE (c)-[r:{rel}]->(x) "
        "SET r.derived = false, r.computed = null, r.by = $by, r.at = $now RETURN count(r) AS n"
    )


LINK_OWNERS = _link_manual("Owner", "name", "OWNED_BY")
LINK_CHANNELS = _link_manual("Channel", "name", "CAME_FROM")
# A person adding a tag also takes back an earlier removal of it (the UNTAGGED edge below).
LINK_TAGS = """
UNWIND $rows AS row
MERGE (x:Tag {key: row.key}) ON CREATE SET x += row.props
WITH x, row
MATCH (c:Customer {id: $id})
MERGE (c)-[r:TAGGED]->(x)
SET r.derived = false, r.computed = null, r.by = $by, r.at = $now
WITH c, x, r
OPTIONAL MATCH (c)-[u:UNTAGGED]->(x)
DELETE u
RETURN count(DISTINCT r) AS n
"""
# Removing a tag is a fact with who and when: the TAGGED edge (whoever made it) gives way to an
# UNTAGGED edge {by, at}. Every reader of tags sees TAGGED only, so the tag is absent everywhere;
# recompute reads UNTAGGED and does not put the tag back, and a source record naming it again is
# outranked (classification/evaluate.py, settle) until a person adds it.
UNTAG = """
MATCH (c:Customer {id: $id})-[r:TAGGED]->(t:Tag)
WHERE t.key IN $keys
DELETE r
WITH c, t
MERGE (c)-[u:UNTAGGED]->(t)
SET u.by = $by, u.at = $now
RETURN count(u) AS n
"""
DROP_OTHER_OWNERS = """
MATCH (:Customer {id: $id})-[r:OWNED_BY]->(o:Owner)
WHERE NOT o.name IN $keep
DELETE r
RETURN count(*) AS n
"""

# Contact dates widen to include the new date; none of these rebuild the customer from its records.
TOUCH_DATES = """
c.last_contact = CASE WHEN c.last_contact IS NULL OR c.last_contact < $date
                      THEN $date ELSE c.last_contact END,
c.first_contact = CASE WHEN c.first_contact IS NULL OR c.first_contact > $date
                       THEN $date ELSE c.first_contact END
"""

ADD_INTERACTION = f"""
MATCH (c:Customer {{id: $id}})
CREATE (i:Interaction {{uid: $uid}})
SET i += $props
CREATE (c)-[r:HAD]->(i)
SET r.derived = false, r.by = $by, r.at = $now, {TOUCH_DATES}
RETURN properties(i) AS props
"""

ORDER_PLACED_BY = """
MATCH (o:Order {uid: $uid})
OPTIONAL MATCH (c:Customer)-[:PLACED]->(o)
RETURN collect(c.id) AS ids
"""

# The token tells a new order from a repeated request for the same order id: only a new one adds to
# the customer's total and count, so retrying addOrder is harmless.
ADD_ORDER = f"""
MATCH (c:Customer {{id: $id}})
MERGE (o:Order {{uid: $uid}})
ON CREATE SET o += $props, o.api_token = $token
WITH c, o, coalesce(o.api_token = $token, false) AS fresh
MERGE (c)-[r:PLACED]->(o)
ON CREATE SET r.derived = false, r.by = $by, r.at = $now
SET c.total_amount = coalesce(c.total_amount, 0.0) + CASE WHEN fresh THEN $amount ELSE 0.0 END,
    c.order_count = coalesce(c.order_count, 0) + CASE WHEN fresh THEN 1 ELSE 0 END, {TOUCH_DATES}
REMOVE o.api_token
RETURN properties(o) AS props, fresh
"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Access:
    """What a permission check needs to know about a customer."""

    merged_into: str | None
    owners: tuple[str, ...]


async def access(graph: Graph, customer_id: str) -> Access | None:
    rows = await graph.read(ACCESS, id=customer_id)
    if not rows:
        return None
    return Access(merged_into=rows[0]["merged_into"], owners=tuple(sorted(rows[0]["owners"])))


async def link_created(
    graph: Graph,
    customer_id: str,
    *,
    by: str,
    company: tuple[str, str] | None = None,
    owners: Sequence[str] = (),
    channels: Sequence[str] = (),
    tags: Sequence[tuple[str, str, str]] = (),
    audit: Audited | None = None,
    audit_extra: dict[str, Any] | None = None,
    created: bool = True,
) -> None:
    """What ``createCustomer`` names besides the record's values, on the customer the record resolved
    to: its company (key, name), owners, channels and tags as a person's edges, with the audit entry
    (``audit_extra`` added to its ``after``), in one transaction. ``created``: the record made a new
    customer (stamped ``created_by``), rather than matching one that existed."""
    stamp = now()

    async def work(tx: Transaction) -> None:
        if created:
            await tx.run(STAMP_CREATED, id=customer_id, by=by, now=stamp)
        if company is not None:
            await _link_company(tx, customer_id, company[0], company[1], by, stamp)
        await _link(tx, LINK_OWNERS, customer_id, [{"key": name, "props": {}} for name in owners], by, stamp)
        await _link(tx, LINK_CHANNELS, customer_id, [{"key": name, "props": {}} for name in channels], by, stamp)
        await _link(tx, LINK_TAGS, customer_id, _tag_rows(tags), by, stamp)
        if audit is not None:
            await audit.write(tx, customer_id, None, extra=audit_extra)

    await graph.transaction(work)


async def update_customer(
    graph: Graph,
    customer_id: str,
    props: dict[str, Any],
    *,
    by: str,
    company: tuple[str | None, str | None] | None = None,
    audit: Audited | None = None,
) -> CustomerNode:
    """Set the given properties (a None value removes the property) and, when ``company`` is given,
    point the customer at that company (key, name; no company when the key is None). One transaction.

    The values are also kept as the customer's manual overrides (``manual_json``): a person's edit
    wins over what the golden record computes from the source records, so re-resolving the
    customer later (a new record joins it) does not undo it.
    """
    stamp = now()

    async def work(tx: Transaction) -> CustomerNode:
        rows = await tx.run(LOCK_MANUAL, id=customer_id, token=uuid.uuid4().hex)
        before = await audit.before(tx, customer_id) if audit is not None else None
        manual = json.loads(rows[0]["manual"] or "{}") if rows else {}
        manual.update(props)
        rows = await tx.run(
            UPDATE_CUSTOMER,
            id=customer_id,
            props={**props, "updated_at": stamp},
            manual=json.dumps(manual, ensure_ascii=False, sort_keys=True),
        )
        if company is not None:
            await tx.run(DROP_COMPANY, id=customer_id)
            if company[0]:
                await _link_company(tx, customer_id, company[0], company[1], by, stamp)
        if audit is not None:
            await audit.write(tx, customer_id, before)
        return CustomerNode.model_validate(rows[0]["props"])

    return await graph.transaction(work)


async def _link_company(tx: Transaction, customer_id: str, key: str, name: str | None, by: str, stamp: str) -> None:
    await tx.run(LINK_COMPANY, id=customer_id, key=key, name=name, by=by, now=stamp)


async def _link(tx: Transaction, query: str, customer_id: str, rows: list[dict[str, Any]], by: str, stamp: str) -> None:
    if rows:
        await tx.run(query, rows=rows, id=customer_id, by=by, now=stamp)


def _tag_rows(tags: Sequence[tuple[str, str, str]]) -> list[dict[str, Any]]:
    return [{"key": key, "props": {"name": name, "dimension": dim}} for key, name, dim in tags]


async def _audited(graph: Graph, customer_id: str, audit: Audited | None, query: str, **params: Any) -> list[Any]:
    """One statement; with ``audit``, in one transaction with its audit entry (else auto-committed)."""
    if audit is None:
        return await graph.write(query, id=customer_id, **params)

    async def work(tx: Transaction) -> list[Any]:
        before = await audit.before(tx, customer_id)
        rows = await tx.run(query, id=customer_id, **params)
        await audit.write(tx, customer_id, before)
        return rows

    return await graph.transaction(work)


async def add_tags(
    graph: Graph, customer_id: str, tags: Sequence[tuple[str, str, str]], by: str, *, audit: Audited | None = None
) -> None:
    """Tags as (key, name, dimension), in one statement (so one transaction)."""
    rows = _tag_rows(tags)
    if rows:
        await _audited(graph, customer_id, audit, LINK_TAGS, rows=rows, by=by, now=now())


async def remove_tags(
    graph: Graph, customer_id: str, keys: Sequence[str], by: str, *, audit: Audited | None = None
) -> int:
    """Remove the customer's tags of these keys (whoever added them), recording who and when; the
    number removed. A key the customer does not have is not recorded."""
    rows = await _audited(graph, customer_id, audit, UNTAG, keys=list(keys), by=by, now=now())
    return int(rows[0]["n"]) if rows else 0


async def assign_owners(
    graph: Graph, customer_id: str, owners: Sequence[str], by: str, *, replace: bool, audit: Audited | None = None
) -> None:
    """Add ``owners`` (and with ``replace`` drop every other owner) in one transaction."""
    stamp = now()

    async def work(tx: Transaction) -> None:
        before = await audit.before(tx, customer_id) if audit is not None else None
        if replace:
            await tx.run(DROP_OTHER_OWNERS, id=customer_id, keep=list(owners))
        await _link(tx, LINK_OWNERS, customer_id, [{"key": name, "props": {}} for name in owners], by, stamp)
        if audit is not None:
            await audit.write(tx, customer_id, before)

    await graph.transaction(work)


@dataclass(frozen=True)
class Event:
    """An interaction or order to attach to a customer: its node key and properties, and its date."""

    uid: str
    props: dict[str, Any]
    date: str


async def add_interaction(
    graph: Graph, customer_id: str, event: Event, by: str, *, audit: Audited | None = None
) -> dict[str, Any]:
    rows = await _audited(
        graph, customer_id, audit, ADD_INTERACTION, uid=event.uid, props=event.props, date=event.date, by=by, now=now()
    )
    return dict(rows[0]["props"])


async def add_order(
    graph: Graph, customer_id: str, event: Event, amount: float, by: str, *, audit: Audited | None = None
) -> tuple[dict[str, Any], bool] | None:
    """The order's properties and whether it was new (and so counted); None, with nothing changed, when
    another customer placed an order with this id. The check and the write are one transaction."""
    token = uuid.uuid4().hex
    stamp = now()

    async def work(tx: Transaction) -> tuple[dict[str, Any], bool] | None:
        placed = await tx.run(ORDER_PLACED_BY, uid=event.uid)
        placed_by = list(placed[0]["ids"]) if placed else []
        if placed_by and placed_by != [customer_id]:
            return None
        before = await audit.before(tx, customer_id) if audit is not None else None
        rows = await tx.run(
            ADD_ORDER,
            id=customer_id,
            uid=event.uid,
            props=event.props,
            date=event.date,
            amount=amount,
            by=by,
            now=stamp,
            token=token,
        )
        if audit is not None:
            await audit.write(tx, customer_id, before)
        return dict(rows[0]["props"]), bool(rows[0]["fresh"])

    return await graph.transaction(work)
