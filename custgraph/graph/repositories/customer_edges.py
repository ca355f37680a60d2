"""Batched reads of what hangs off many customers at once: one UNWIND query per kind of edge.

These back the per-request DataLoaders (resolvers/loaders.py): a page of 50 customers asking for
their tags, owners and company costs three queries, not 150. Every function answers for all the
ids it is given, as a dict keyed by customer id; ids without edges are simply absent.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from custgraph.graph.connection import Graph
from custgraph.graph.models import (
    ChannelNode,
    CompanyNode,
    CustomerNode,
    OwnerNode,
    SourceRecordNode,
    TagNode,
)
from custgraph.vocabulary import IDENTIFIERS

IDENTIFIER_RELS = tuple(identifier.rel for identifier in IDENTIFIERS)
CONTACT_RELS = {identifier.rel: identifier.field for identifier in IDENTIFIERS if identifier.contact}
# relationship-type alternations for the patterns below (the registry names them; no value is spliced)
_ANY_IDENTIFIER = "|".join(IDENTIFIER_RELS)
_ANY_CONTACT = "|".join(CONTACT_RELS)
RELATED_CAP = 50  # related customers listed per reason
HUB_SIZE = 10  # an identifier shared by more customers than this is a switchboard or placeholder

CUSTOMERS = """
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN id, properties(c) AS props
"""

OWNED_CUSTOMERS = """
UNWIND $ids AS id
MATCH (c:Customer {id: id})-[:OWNED_BY]->(:Owner {name: $owner})
RETURN DISTINCT id, properties(c) AS props
"""


def _neighbours(rel: str, label: str, order: str) -> str:
    # rel, label and order are constants of this module
    return (
        f"UNWIND $ids AS id MATCH (:Customer {{id: id}})-[:{rel}]->(n:{label}) "
        f"RETURN id, properties(n) AS props ORDER BY id, n.{order}"
    )


COMPANIES = _neighbours("WORKS_AT", "Company", "key")
TAGS = _neighbours("TAGGED", "Tag", "key")
OWNERS = _neighbours("OWNED_BY", "Owner", "name")
CHANNELS = _neighbours("CAME_FROM", "Channel", "name")

# Every pattern here starts at the Customer id index: written the other way round, ArcadeDB's planner
# starts from all SourceRecords (700 ms instead of 2 ms at 100k customers, benchmarks/api.py).
RECORDS = """
UNWIND $ids AS id
MATCH (:Customer {id: id})<-[r:RESOLVED_TO]-(s:SourceRecord)
RETURN id, properties(s) AS props, properties(r) AS rel
ORDER BY id, s.source, s.source_key
"""

CONTACTS = f"""
UNWIND $ids AS id
MATCH (:Customer {{id: id}})<-[:RESOLVED_TO]-(s:SourceRecord)-[h:{_ANY_CONTACT}]->(i)
RETURN id, type(h) AS rel, i.value AS value, collect(DISTINCT s.source) AS sources
ORDER BY id, rel, value
"""

RELATED_BY_COMPANY = """
UNWIND $ids AS id
MATCH (:Customer {id: id})-[:WORKS_AT]->(co:Company)<-[:WORKS_AT]-(o:Customer)
WHERE o.id <> id AND o.merged_into IS NULL
WITH id, co, o ORDER BY o.id
WITH id, co, collect(o.id) AS others
RETURN id, co.key AS key, co.name AS name, others[0..$cap] AS others
"""

RELATED_BY_IDENTIFIER = f"""
UNWIND $ids AS id
MATCH (:Customer {{id: id}})<-[:RESOLVED_TO]-(s:SourceRecord)
      -[h:{_ANY_IDENTIFIER}]->(i)
MATCH (i)<-[h2]-(s2:SourceRecord)
WHERE type(h2) = type(h) AND s2.customer_id IS NOT NULL AND s2.customer_id <> id
WITH id, type(h) AS rel, i.value AS value, collect(DISTINCT s2.customer_id) AS others
WHERE size(others) <= $hub
RETURN id, rel, value, others
ORDER BY id, rel, value
"""


def _page_query(rel: str, label: str, date_prop: str) -> str:
    """Per key {idx, id, limit, after_date, after_uid}: the newest-first page and the total.

    rel, label and date_prop are constants of this module. The keyset condition runs inside the
    list comprehension so that one statement serves keys with different cursors.
    """
    return (
        f"UNWIND $keys AS k MATCH (:Customer {{id: k.id}})-[:{rel}]->(x:{label}) "
        f"WITH k, x, coalesce(x.{date_prop}, '') AS d ORDER BY d DESC, x.uid DESC "
        "WITH k, collect({d: d, uid: x.uid, props: properties(x)}) AS items "
        "RETURN k.idx AS idx, size(items) AS total, "
        "[i IN items WHERE k.after_uid IS NULL OR i.d < k.after_date "
        "OR (i.d = k.after_date AND i.uid < k.after_uid)][0..k.limit + 1] AS page"
    )


INTERACTIONS = _page_query("HAD", "Interaction", "interaction_date")
ORDERS = _page_query("PLACED", "Order", "order_date")


class Resolution(BaseModel):
    """How a source record was resolved: the RESOLVED_TO edge, falling back to the record's copy."""

    score: float | None = None
    rule: str | None = None
    outcome: str | None = None
    evidence: Any = None
    matched_uid: str | None = None
    at: str | None = None
    moved_from: str | None = None


class ResolvedRecord(BaseModel):
    record: SourceRecordNode
    resolution: Resolution


class Contact(BaseModel):
    kind: str  # mobile | phone | email
    value: str
    sources: list[str]


class Relation(BaseModel):
    customer_id: str
    kind: str  # company | mobile | phone | email | national_id | credit_code
    value: str  # the shared company name or identifier value


class PageKey(BaseModel, frozen=True):
    """One customer's page request: ``after`` is the (date, uid) of the last row already seen."""

    customer_id: str
    limit: int
    after_date: str | None = None
    after_uid: str | None = None


class EdgePage(BaseModel):
    items: list[dict[str, Any]]  # node properties, newest first
    positions: list[tuple[str, str]]  # (date, uid) per item, for cursors
    total: int
    has_next: bool


async def customers(graph: Graph, ids: Sequence[str], owner: str | None = None) -> dict[str, CustomerNode]:
    """Customers by id; with ``owner``, only those that owner owns (a rep's view)."""
    if owner is None:
        rows = await graph.read(CUSTOMERS, ids=list(ids))
    else:
        rows = await graph.read(OWNED_CUSTOMERS, ids=list(ids), owner=owner)
    return {row["id"]: CustomerNode.model_validate(row["props"]) for row in rows}


async def _grouped(graph: Graph, query: str, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in await graph.read(query, ids=list(ids)):
        grouped[row["id"]].append(row["props"])
    return grouped


async def companies(graph: Graph, ids: Sequence[str]) -> dict[str, CompanyNode]:
    grouped = await _grouped(graph, COMPANIES, ids)
    return {cid: CompanyNode.model_validate(props[0]) for cid, props in grouped.items()}


async def tags(graph: Graph, ids: Sequence[str]) -> dict[str, list[TagNode]]:
    grouped = await _grouped(graph, TAGS, ids)
    return {cid: [TagNode.model_validate(p) for p in props] for cid, props in grouped.items()}


async def owners(graph: Graph, ids: Sequence[str]) -> dict[str, list[OwnerNode]]:
    grouped = await _grouped(graph, OWNERS, ids)
    return {cid: [OwnerNode.model_validate(p) for p in props] for cid, props in grouped.items()}


async def channels(graph: Graph, ids: Sequence[str]) -> dict[str, list[ChannelNode]]:
    grouped = await _grouped(graph, CHANNELS, ids)
    return {cid: [ChannelNode.model_validate(p) for p in props] for cid, props in grouped.items()}


def _evidence(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _resolution(record: dict[str, Any], edge: dict[str, Any]) -> Resolution:
    """The RESOLVED_TO edge's values, falling back to the copies kept on the record itself."""

    def pick(name: str, record_name: str | None = None) -> Any:
        value = edge.get(name)
        return value if value is not None else record.get(record_name or name)

    return Resolution(
        score=pick("score"),
        rule=pick("rule"),
        outcome=pick("outcome"),
        evidence=_evidence(pick("evidence_json")),
        matched_uid=pick("matched_uid"),
        at=pick("at", "resolved_at"),
        moved_from=pick("moved_from"),
    )


async def records(graph: Graph, ids: Sequence[str]) -> dict[str, list[ResolvedRecord]]:
    grouped: dict[str, list[ResolvedRecord]] = defaultdict(list)
    for row in await graph.read(RECORDS, ids=list(ids)):
        record = SourceRecordNode.model_validate(row["props"])
        resolution = _resolution(row["props"], row["rel"] or {})
        grouped[row["id"]].append(ResolvedRecord(record=record, resolution=resolution))
    return grouped


async def contacts(graph: Graph, ids: Sequence[str]) -> dict[str, list[Contact]]:
    grouped: dict[str, list[Contact]] = defaultdict(list)
    for row in await graph.read(CONTACTS, ids=list(ids)):
        grouped[row["id"]].append(
            Contact(kind=CONTACT_RELS[row["rel"]], value=row["value"], sources=sorted(row["sources"]))
        )
    return grouped


def _kind(rel: str) -> str:
    return rel.removeprefix("HAS_").lower()


async def related(graph: Graph, ids: Sequence[str]) -> dict[str, list[Relation]]:
    """Other customers at the same company or sharing an identifier (hubs left out), per customer."""
    grouped: dict[str, list[Relation]] = defaultdict(list)
    for row in await graph.read(RELATED_BY_COMPANY, ids=list(ids), cap=RELATED_CAP):
        value = row["name"] or row["key"]
        grouped[row["id"]] += [Relation(customer_id=o, kind="company", value=value) for o in row["others"]]
    for row in await graph.read(RELATED_BY_IDENTIFIER, ids=list(ids), hub=HUB_SIZE):
        grouped[row["id"]] += [
            Relation(customer_id=o, kind=_kind(row["rel"]), value=row["value"]) for o in row["others"]
        ]
    return grouped


def _page_keys(keys: Sequence[PageKey]) -> list[dict[str, Any]]:
    rows = []
    for idx, key in enumerate(keys):
        rows.append({"idx": idx, "id": key.customer_id, **key.model_dump(exclude={"customer_id"})})
    return rows


async def _pages(graph: Graph, query: str, keys: Sequence[PageKey]) -> list[EdgePage]:
    found = {row["idx"]: row for row in await graph.read(query, keys=_page_keys(keys))}
    pages = []
    for i, key in enumerate(keys):
        row = found.get(i)
        if row is None:
            pages.append(EdgePage(items=[], positions=[], total=0, has_next=False))
            continue
        page = row["page"][: key.limit]
        pages.append(
            EdgePage(
                items=[item["props"] for item in page],
                positions=[(item["d"], item["uid"]) for item in page],
                total=int(row["total"]),
                has_next=len(row["page"]) > key.limit,
            )
        )
    return pages


async def interaction_pages(graph: Graph, keys: Sequence[PageKey]) -> list[EdgePage]:
    """One page of interactions per key, in key order (newest first)."""
    return await _pages(graph, INTERACTIONS, keys)


async def order_pages(graph: Graph, keys: Sequence[PageKey]) -> list[EdgePage]:
    """One page of orders per key, in key order (newest first)."""
    return await _pages(graph, ORDERS, keys)
