"""Write golden customers: their properties and the edges derived from their records.

Derived edges carry ``derived = true`` and are rebuilt on every re-resolution; edges added by
people through the API (a tag, an owner) carry ``derived = false`` and are left alone, even when the
records would imply the same edge (ON CREATE: a person's edge never turns into a derived one).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from custgraph.classification import config as classification_config
from custgraph.graph.connection import Graph
from custgraph.graph.repositories.search_index import MergedKeys, merge_keys
from custgraph.search.keys import customer_keys

DROP_DERIVED = """
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})-[r]->()
WHERE r.derived = true
DELETE r
"""

# Once recompute has classified a customer (lifecycle_as_of set), the lifecycle is the classifier's: a
# profile rebuilt from the records keeps it rather than the source's stage (or none), until it runs again.
SET_PROPS = """
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})
WITH c, row, c.lifecycle AS computed
SET c += row.props
SET c.lifecycle = CASE WHEN c.lifecycle_as_of IS NULL THEN c.lifecycle ELSE computed END
RETURN count(c) AS n
"""

LINK_COMPANY = """
UNWIND $rows AS row
MERGE (co:Company {key: row.key})
SET co.name = coalesce(co.name, row.name), co.credit_code = coalesce(row.credit_code, co.credit_code),
    co.industry = coalesce(row.industry, co.industry)
WITH co, row MATCH (c:Customer {id: row.id})
MERGE (c)-[r:WORKS_AT]->(co) ON CREATE SET r.derived = true
RETURN count(r) AS n
"""


def _link_named(label: str, key: str, rel: str) -> str:
    # label/key/rel are constants of this module
    return (
        f"UNWIND $rows AS row MERGE (x:{label} {{{key}: row.key}}) SET x += row.props "
        f"WITH x, row MATCH (c:Customer {{id: row.id}}) MERGE (c)-[r:{rel}]->(x) ON CREATE SET r.derived = true "
        "RETURN count(r) AS n"
    )


LINK_OWNER = _link_named("Owner", "name", "OWNED_BY")
LINK_CHANNEL = _link_named("Channel", "name", "CAME_FROM")
LINK_TAG = _link_named("Tag", "key", "TAGGED")
LINK_ORDER = _link_named("Order", "uid", "PLACED")
LINK_INTERACTION = _link_named("Interaction", "uid", "HAD")
LINK_CONTACT = _link_named("Contact", "id", "HAS_CONTACT")


def _create_linked(label: str, key: str, rel: str) -> str:
    # a customer created in the same batch has no edges yet: CREATE, where MERGE would check every
    # edge of a shared node (an owner of thousands of customers)
    return (
        f"UNWIND $rows AS row MERGE (x:{label} {{{key}: row.key}}) SET x += row.props "
        f"WITH x, row MATCH (c:Customer {{id: row.id}}) CREATE (c)-[r:{rel} {{derived: true}}]->(x) "
        "RETURN count(r) AS n"
    )


CREATE_OWNER = _create_linked("Owner", "name", "OWNED_BY")
CREATE_CHANNEL = _create_linked("Channel", "name", "CAME_FROM")
CREATE_TAG = _create_linked("Tag", "key", "TAGGED")
CREATE_ORDER = _create_linked("Order", "uid", "PLACED")
CREATE_INTERACTION = _create_linked("Interaction", "uid", "HAD")
CREATE_CONTACT = _create_linked("Contact", "id", "HAS_CONTACT")

CREATE_COMPANY_LINK = """
UNWIND $rows AS row
MERGE (co:Company {key: row.key})
SET co.name = coalesce(co.name, row.name), co.credit_code = coalesce(row.credit_code, co.credit_code),
    co.industry = coalesce(row.industry, co.industry)
WITH co, row MATCH (c:Customer {id: row.id})
CREATE (c)-[r:WORKS_AT {derived: true}]->(co)
RETURN count(r) AS n
"""

# A new customer with its search keys, in one statement: it is never findable without them.
CREATE_CUSTOMERS = """
UNWIND $rows AS row
CREATE (c:Customer)
SET c = row.props
WITH c, row
UNWIND row.keys AS key
MATCH (k:SearchKey {key: key})
CREATE (c)-[:HAS_KEY]->(k)
RETURN count(*) AS n
"""
CUSTOMER_BATCH = 250  # customers per CREATE_CUSTOMERS statement: ~25 keys each, ~6k edges


@dataclass
class CustomerProfile:
    id: str
    props: dict[str, Any]
    company: dict[str, Any] | None  # {key, name, credit_code, industry}
    owners: Sequence[str] = ()
    channels: Sequence[str] = ()
    tags: Sequence[str] = ()
    orders: Sequence[dict[str, Any]] = ()
    interactions: Sequence[dict[str, Any]] = ()
    contacts: Sequence[dict[str, Any]] = ()  # contact people {id, name, title, mobile, email}


def _contact_rows(profiles: Sequence[CustomerProfile]) -> list[dict[str, Any]]:
    return [
        {"id": p.id, "key": c["id"], "props": {k: v for k, v in c.items() if k != "id" and v is not None}}
        for p in profiles
        for c in p.contacts
    ]


def _tag_rows(profiles: Sequence[CustomerProfile]) -> list[dict[str, Any]]:
    """The records' tag texts as tags of the library where they name one (高价值 -> value:high), else
    custom:<text>; one edge per tag even when two texts name it."""
    library = classification_config.current().library
    rows = []
    for p in profiles:
        keys: dict[str, tuple[str, str]] = {}
        for text in sorted(p.tags):
            dimension, name = library.tag_for_text(text)
            keys.setdefault(f"{dimension}:{name}", (dimension, name))
        rows += [{"id": p.id, "key": k, "props": {"name": n, "dimension": d}} for k, (d, n) in keys.items()]
    return rows


async def write_profiles(graph: Graph, profiles: Sequence[CustomerProfile]) -> None:
    if not profiles:
        return
    ids = [{"id": p.id} for p in profiles]
    await graph.write_batches(DROP_DERIVED, ids)
    await graph.write_batches(SET_PROPS, [{"id": p.id, "props": p.props} for p in profiles])
    companies = [{"id": p.id, **p.company} for p in profiles if p.company and p.company.get("key")]
    await graph.write_batches(LINK_COMPANY, companies)
    await graph.write_batches(
        LINK_OWNER, [{"id": p.id, "key": o, "props": {}} for p in profiles for o in sorted(p.owners)]
    )
    await graph.write_batches(
        LINK_CHANNEL, [{"id": p.id, "key": ch, "props": {}} for p in profiles for ch in sorted(p.channels)]
    )
    await graph.write_batches(LINK_TAG, _tag_rows(profiles))
    await graph.write_batches(
        LINK_ORDER,
        [
            {"id": p.id, "key": o["uid"], "props": {k: v for k, v in o.items() if v is not None}}
            for p in profiles
            for o in p.orders
        ],
    )
    await graph.write_batches(
        LINK_INTERACTION,
        [
            {"id": p.id, "key": i["uid"], "props": {k: v for k, v in i.items() if v is not None}}
            for p in profiles
            for i in p.interactions
        ],
    )
    await graph.write_batches(LINK_CONTACT, _contact_rows(profiles))


MANUAL_OVERRIDES = """
UNWIND $ids AS id
MATCH (c:Customer {id: id})
OPTIONAL MATCH (a:Customer {merged_into: id})
WITH id, c, a ORDER BY a.id
WITH id, c.manual_json AS own, collect(a.manual_json) AS absorbed
WHERE own IS NOT NULL OR size(absorbed) > 0
RETURN id, own, absorbed
"""


async def manual_overrides(graph: Graph, customer_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per customer, the profile values people set through the API (they win over computed ones).

    Edits made on customers merged into it count too, its own winning: a merge keeps what people
    said about both, and since the absorbed customer keeps its own edits, a split loses nothing.
    """
    rows = await graph.read(MANUAL_OVERRIDES, ids=sorted(set(customer_ids)))
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        combined: dict[str, Any] = {}
        for text in [*row["absorbed"], row["own"]]:
            if text:
                combined.update(json.loads(text))
        if combined:
            out[row["id"]] = combined
    return out


async def drop_derived(graph: Graph, customer_ids: Sequence[str]) -> None:
    """Remove the derived edges of customers merged away (their survivor gets them instead)."""
    if customer_ids:
        await graph.write_batches(DROP_DERIVED, [{"id": cid} for cid in customer_ids])


async def create_customers(
    graph: Graph, profiles: Sequence[CustomerProfile], *, origin: str, merged_keys: MergedKeys | None = None
) -> None:
    """Customers that do not exist yet, with their golden profile, search keys and derived edges.

    Nothing is read back: the caller computed the profiles from records it holds. Search-key nodes are
    merged once per call, then each customer is created with its key edges in one statement.
    """
    if not profiles:
        return
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = []
    for p in profiles:
        props = {"id": p.id, **{k: v for k, v in p.props.items() if v is not None}, "origin": origin, "created_at": now}
        rows.append({"props": props, "keys": sorted(customer_keys(props))})
    await merge_keys(graph, (key for row in rows for key in row["keys"]), merged_keys)
    await graph.write_batches(CREATE_CUSTOMERS, rows, batch_size=CUSTOMER_BATCH)
    companies = [{"id": p.id, **p.company} for p in profiles if p.company and p.company.get("key")]
    await graph.write_batches(CREATE_COMPANY_LINK, companies)
    await graph.write_batches(CREATE_OWNER, [{"id": p.id, "key": o, "props": {}} for p in profiles for o in p.owners])
    await graph.write_batches(
        CREATE_CHANNEL, [{"id": p.id, "key": ch, "props": {}} for p in profiles for ch in p.channels]
    )
    await graph.write_batches(CREATE_TAG, _tag_rows(profiles))
    await graph.write_batches(
        CREATE_ORDER,
        [
            {"id": p.id, "key": o["uid"], "props": {k: v for k, v in o.items() if v is not None}}
            for p in profiles
            for o in p.orders
        ],
    )
    await graph.write_batches(
        CREATE_INTERACTION,
        [
            {"id": p.id, "key": i["uid"], "props": {k: v for k, v in i.items() if v is not None}}
            for p in profiles
            for i in p.interactions
        ],
    )
    await graph.write_batches(CREATE_CONTACT, _contact_rows(profiles))
