"""Batched reads of what hangs off many customers at once: one UNWIND query per kind of edge.

These back the per-request DataLoaders (resolvers/loaders.py): a page of 50 customers asking for
their tags, owners and company costs three queries, not 150. Every function answers for all the
ids it is given, as a dict keyed by customer id; ids without edges are simply absent.

Every statement starts at the customers by id and keeps only those the caller's ``Scope`` sees
(graph/repositories/scope.py): an id outside it answers exactly like a missing id, and a related
customer outside it is never listed, nor counted towards a shared identifier.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from custgraph import crypto
from custgraph.graph.connection import Graph
from custgraph.graph.models import (
    ChannelNode,
    CompanyNode,
    ContactNode,
    CustomerNode,
    OwnerNode,
    SourceRecordNode,
    TagNode,
)
from custgraph.graph.repositories.scope import Scope
from custgraph.vocabulary import IDENTIFIERS

IDENTIFIER_RELS = tuple(identifier.rel for identifier in IDENTIFIERS)
CONTACT_RELS = {identifier.rel: identifier.field for identifier in IDENTIFIERS if identifier.contact}
# relationship-type alternations for the patterns below (the registry names them; no value is spliced)
_ANY_IDENTIFIER = "|".join(IDENTIFIER_RELS)
_ANY_CONTACT = "|".join(CONTACT_RELS)
RELATED_CAP = 50  # related customers listed per reason
HUB_SIZE = 10  # an identifier shared by more customers than this is a switchboard or placeholder

# The customers asked for that the scope sees; ``{scope}`` is Scope.predicate over ``c``.
IN_SCOPE = "UNWIND $ids AS id MATCH (c:Customer {{id: id}}) WHERE {scope} "

CUSTOMERS = IN_SCOPE + "RETURN id, properties(c) AS props"


def _neighbours(rel: str, label: str, order: str) -> str:
    # rel, label and order are constants of this module
    return IN_SCOPE + f"MATCH (c)-[:{rel}]->(n:{label}) RETURN id, properties(n) AS props ORDER BY id, n.{order}"


COMPANIES = _neighbours("WORKS_AT", "Company", "key")
TAGS = _neighbours("TAGGED", "Tag", "key")
OWNERS = _neighbours("OWNED_BY", "Owner", "name")
CHANNELS = _neighbours("CAME_FROM", "Channel", "name")
PEOPLE = _neighbours("HAS_CONTACT", "Contact", "name")  # a company customer's contact people

# Every pattern here starts at the Customer id index: written the other way round, ArcadeDB's planner
# starts from all SourceRecords (700 ms instead of 2 ms at 100k customers, benchmarks/api.py).
RECORDS = (
    IN_SCOPE
    + """
MATCH (c)<-[r:RESOLVED_TO]-(s:SourceRecord)
RETURN id, properties(s) AS props, properties(r) AS rel
ORDER BY id, s.source, s.source_key
"""
)

CONTACTS = (
    IN_SCOPE
    + f"""
MATCH (c)<-[:RESOLVED_TO]-(s:SourceRecord)-[h:{_ANY_CONTACT}]->(i)
RETURN id, type(h) AS rel, i.value AS value, collect(DISTINCT s.source) AS sources
ORDER BY id, rel, value
"""
)

# The other customers are kept only when the scope sees them too (``{other}``: the predicate over
# ``o``), before they are counted: a rep learns nothing of a customer they may not see.
RELATED_BY_COMPANY = (
    IN_SCOPE
    + """
MATCH (c)-[:WORKS_AT]->(co:Company)<-[:WORKS_AT]-(o:Customer)
WHERE o.id <> id AND o.merged_into IS NULL AND {other}
WITH id, co, o ORDER BY o.id
WITH id, co, collect(o.id) AS others
RETURN id, co.key AS key, co.name AS name, others[0..$cap] AS others
"""
)

RELATED_BY_IDENTIFIER = (
    IN_SCOPE
    + f"""
MATCH (c)<-[:RESOLVED_TO]-(s:SourceRecord)-[h:{_ANY_IDENTIFIER}]->(i)
MATCH (i)<-[h2]-(s2:SourceRecord)
WHERE type(h2) = type(h) AND s2.customer_id IS NOT NULL AND s2.customer_id <> id
MATCH (o:Customer {{{{id: s2.customer_id}}}}) WHERE {{other}}
WITH id, type(h) AS rel, i.value AS value, collect(DISTINCT o.id) AS others, head(collect(h.sealed)) AS sealed
WHERE size(others) <= $hub
RETURN id, rel, value, others, sealed
ORDER BY id, rel, value
"""
)


async def _read(graph: Graph, query: str, scope: Scope, **params: Any) -> list[dict[str, Any]]:
    """Run one of the statements above with the caller's scope filled in."""
    text = query.format(scope=scope.predicate("c"), other=scope.predicate("o"))
    return await graph.read(text, **params, **scope.params())


def _page_query(rel: str, label: str, date_prop: str) -> str:
    """Per key {idx, id, limit, after_date, after_uid}: the newest-first page and the total.

    rel, label and date_prop are constants of this module. The keyset condition runs inside the
    list comprehension so that one statement serves keys with different cursors.
    """
    return (
        f"UNWIND $keys AS k MATCH (c:Customer {{{{id: k.id}}}}) WHERE {{scope}} MATCH (c)-[:{rel}]->(x:{label}) "
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


async def customers(graph: Graph, ids: Sequence[str], *, scope: Scope) -> dict[str, CustomerNode]:
    """The customers by id that ``scope`` sees."""
    rows = await _read(graph, CUSTOMERS, scope, ids=list(ids))
    return {row["id"]: CustomerNode.model_validate(row["props"]) for row in rows}


async def _grouped(graph: Graph, query: str, ids: Sequence[str], scope: Scope) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in await _read(graph, query, scope, ids=list(ids)):
        grouped[row["id"]].append(row["props"])
    return grouped


async def companies(graph: Graph, ids: Sequence[str], *, scope: Scope) -> dict[str, CompanyNode]:
    grouped = await _grouped(graph, COMPANIES, ids, scope)
    return {cid: CompanyNode.model_validate(props[0]) for cid, props in grouped.items()}


async def tags(graph: Graph, ids: Sequence[str], *, scope: Scope) -> dict[str, list[TagNode]]:
    grouped = await _grouped(graph, TAGS, ids, scope)
    return {cid: [TagNode.model_validate(p) for p in props] for cid, props in grouped.items()}


async def owners(graph: Graph, ids: Sequence[str], *, scope: Scope) -> dict[str, list[OwnerNode]]:
    grouped = await _grouped(graph, OWNERS, ids, scope)
    return {cid: [OwnerNode.model_validate(p) for p in props] for cid, props in grouped.items()}


async def channels(graph: Graph, ids: Sequence[str], *, scope: Scope) -> dict[str, list[ChannelNode]]:
    grouped = await _grouped(graph, CHANNELS, ids, scope)
    return {cid: [ChannelNode.model_validate(p) for p in props] for cid, props in grouped.items()}


async def people(graph: Graph, ids: Sequence[str], *, scope: Scope) -> dict[str, list[ContactNode]]:
    """The contact people (name, title, mobile, email) the customers' records name."""
    grouped = await _grouped(graph, PEOPLE, ids, scope)
    return {cid: [ContactNode.model_validate(p) for p in props] for cid, props in grouped.items()}


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
        evidence=_evidence(crypto.current().reveal_json(pick("evidence_json"))),
        matched_uid=pick("matched_uid"),
        at=pick("at", "resolved_at"),
        moved_from=pick("moved_from"),
    )


async def records(graph: Graph, ids: Sequence[str], *, scope: Scope) -> dict[str, list[ResolvedRecord]]:
    grouped: dict[str, list[ResolvedRecord]] = defaultdict(list)
    for row in await _read(graph, RECORDS, scope, ids=list(ids)):
        record = SourceRecordNode.model_validate(row["props"])
        resolution = _resolution(row["props"], row["rel"] or {})
        grouped[row["id"]].append(ResolvedRecord(record=record, resolution=resolution))
    return grouped


async def contacts(graph: Graph, ids: Sequence[str], *, scope: Scope) -> dict[str, list[Contact]]:
    grouped: dict[str, list[Contact]] = defaultdict(list)
    for row in await _read(graph, CONTACTS, scope, ids=list(ids)):
        grouped[row["id"]].append(
            Contact(kind=CONTACT_RELS[row["rel"]], value=row["value"], sources=sorted(row["sources"]))
        )
    return grouped


def _kind(rel: str) -> str:
    return rel.removeprefix("HAS_").lower()


async def related(graph: Graph, ids: Sequence[str], *, scope: Scope) -> dict[str, list[Relation]]:
    """Other customers at the same company or sharing an identifier (hubs left out), per customer;
    both ends within ``scope``."""
    grouped: dict[str, list[Relation]] = defaultdict(list)
    ring = crypto.current()
    for row in await _read(graph, RELATED_BY_COMPANY, scope, ids=list(ids), cap=RELATED_CAP):
        value = row["name"] or row["key"]
        grouped[row["id"]] += [Relation(customer_id=o, kind="company", value=value) for o in row["others"]]
    for row in await _read(graph, RELATED_BY_IDENTIFIER, scope, ids=list(ids), hub=HUB_SIZE):
        grouped[row["id"]] += [
            # a national ID or bank card node holds a digest: the value is the one sealed on the edge
            Relation(customer_id=o, kind=_kind(row["rel"]), value=ring.reveal(row["sealed"] or row["value"]))
            for o in row["others"]
        ]
    return grouped


def _page_keys(keys: Sequence[PageKey]) -> list[dict[str, Any]]:
    rows = []
    for idx, key in enumerate(keys):
        rows.append({"idx": idx, "id": key.customer_id, **key.model_dump(exclude={"customer_id"})})
    return rows


async def _pages(graph: Graph, query: str, keys: Sequence[PageKey], scope: Scope) -> list[EdgePage]:
    found = {row["idx"]: row for row in await _read(graph, query, scope, keys=_page_keys(keys))}
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


async def interaction_pages(graph: Graph, keys: Sequence[PageKey], *, scope: Scope) -> list[EdgePage]:
    """One page of interactions per key, in key order (newest first)."""
    return await _pages(graph, INTERACTIONS, keys, scope)


async def order_pages(graph: Graph, keys: Sequence[PageKey], *, scope: Scope) -> list[EdgePage]:
    """One page of orders per key, in key order (newest first)."""
    return await _pages(graph, ORDERS, keys, scope)


# --- the 360° view: a customer and every edge a request asks for, in one statement -------------------
#
# A view asking for company, owners, tags, channels, source records, interactions and orders cost
# eight round trips through the loaders (one per kind, plus the customer); ``views`` answers all of
# them in one. Lists are pattern comprehensions (sorted here, as the loaders' queries sort them);
# pages are COLLECT subqueries with their own ORDER BY, LIMIT and keyset condition, so a customer
# with thousands of interactions sends only its page. Both forms run unchanged on Neo4j 5 and ArcadeDB.

VIEW_LISTS: dict[str, str] = {  # part -> the expression of its list, over the bound customer c
    "company": "[(c)-[:WORKS_AT]->(n:Company) | properties(n)]",
    "tags": "[(c)-[:TAGGED]->(n:Tag) | properties(n)]",
    "owners": "[(c)-[:OWNED_BY]->(n:Owner) | properties(n)]",
    "channels": "[(c)-[:CAME_FROM]->(n:Channel) | properties(n)]",
    "people": "[(c)-[:HAS_CONTACT]->(n:Contact) | properties(n)]",
    "records": "[(c)<-[r:RESOLVED_TO]-(s:SourceRecord) | {props: properties(s), rel: properties(r)}]",
    "contacts": f"[(c)<-[:RESOLVED_TO]-(s:SourceRecord)-[h:{_ANY_CONTACT}]->(i) "
    "| {rel: type(h), value: i.value, source: s.source}]",
}
VIEW_PAGES: dict[str, tuple[str, str, str]] = {  # page kind -> (relationship, label, date property)
    "interactions": ("HAD", "Interaction", "interaction_date"),
    "orders": ("PLACED", "Order", "order_date"),
}


class PageSpec(BaseModel, frozen=True):
    """A page of one kind (interactions | orders) asked for every customer of a view."""

    kind: str
    limit: int
    after_date: str | None = None
    after_uid: str | None = None

    def key(self, customer_id: str) -> PageKey:
        return PageKey(customer_id=customer_id, limit=self.limit, after_date=self.after_date, after_uid=self.after_uid)


@dataclass
class CustomerView:
    """One customer and the parts a request asked for (None: not asked for)."""

    customer: CustomerNode
    company: CompanyNode | None = None
    tags: list[TagNode] | None = None
    owners: list[OwnerNode] | None = None
    channels: list[ChannelNode] | None = None
    people: list[ContactNode] | None = None
    records: list[ResolvedRecord] | None = None
    contacts: list[Contact] | None = None
    pages: list[tuple[str, PageKey, EdgePage]] = field(default_factory=list)  # (kind, key, page)
    asked: frozenset[str] = frozenset()


def _view_page(index: int, spec: PageSpec) -> tuple[str, str]:
    """The COUNT of one page's total and the COLLECT of the page; index numbers the parameters."""
    rel, label, date_prop = VIEW_PAGES[spec.kind]  # constants of this module
    p = f"$p{index}_"
    return (
        f"COUNT {{ (c)-[:{rel}]->(:{label}) }}",
        f"COLLECT {{ MATCH (c)-[:{rel}]->(x:{label}) WITH x, coalesce(x.{date_prop}, '') AS d "
        f"WHERE {p}after_uid IS NULL OR d < {p}after_date OR (d = {p}after_date AND x.uid < {p}after_uid) "
        f"WITH x, d ORDER BY d DESC, x.uid DESC LIMIT {p}limit "
        "RETURN {d: d, uid: x.uid, props: properties(x)} }",
    )


def view_query(parts: frozenset[str], specs: Sequence[PageSpec], scope: Scope) -> str:
    """The statement for these parts and pages (parts and kinds are checked against this module's).

    A merged-away customer comes as it is whatever the scope (the caller follows ``merged_into`` to
    the survivor, which the scope then decides); a live one only within the scope."""
    unknown = parts - VIEW_LISTS.keys() | {s.kind for s in specs} - VIEW_PAGES.keys()
    if unknown:
        raise ValueError(f"not parts of a customer view: {sorted(unknown)}")
    columns = {"id": "id", "props": "properties(c)"}  # name -> expression
    columns |= {part: VIEW_LISTS[part] for part in sorted(parts)}
    for i, spec in enumerate(specs):
        columns[f"p{i}_total"], columns[f"p{i}_page"] = _view_page(i, spec)
    projected = ", ".join(expr if expr == name else f"{expr} AS {name}" for name, expr in columns.items())
    # one row holding every view: ArcadeDB's Bolt server spends about 0.1 ms per streamed record
    fields = ", ".join(f"{name}: {name}" for name in columns)
    return (
        f"UNWIND $ids AS id MATCH (c:Customer {{id: id}}) WHERE c.merged_into IS NOT NULL OR {scope.predicate('c')} "
        f"WITH {projected} RETURN collect({{{fields}}}) AS views"
    )


def _view_params(specs: Sequence[PageSpec]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for i, spec in enumerate(specs):
        # the query asks for one row more than the page, to tell whether a next page exists
        params.update({f"p{i}_limit": spec.limit + 1, f"p{i}_after_date": spec.after_date})
        params[f"p{i}_after_uid"] = spec.after_uid
    return params


def _contacts_of(rows: list[dict[str, Any]]) -> list[Contact]:
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        sources[(row["rel"], row["value"])].add(row["source"])
    return [
        Contact(kind=CONTACT_RELS[rel], value=value, sources=sorted(found))
        for (rel, value), found in sorted(sources.items())
    ]


def _edge_page(spec: PageSpec, total: int, items: list[dict[str, Any]]) -> EdgePage:
    page = items[: spec.limit]
    return EdgePage(
        items=[item["props"] for item in page],
        positions=[(item["d"], item["uid"]) for item in page],
        total=int(total),
        has_next=len(items) > spec.limit,
    )


def _view_of(row: dict[str, Any], parts: frozenset[str], specs: Sequence[PageSpec]) -> CustomerView:
    view = CustomerView(customer=CustomerNode.model_validate(row["props"]), asked=parts)
    if "company" in parts:
        companies = sorted(row["company"], key=lambda p: str(p.get("key")))
        view.company = CompanyNode.model_validate(companies[0]) if companies else None
    for part, model, order in (
        ("tags", TagNode, "key"),
        ("owners", OwnerNode, "name"),
        ("channels", ChannelNode, "name"),
        ("people", ContactNode, "name"),
    ):
        if part in parts:
            found = sorted(row[part], key=lambda p, o=order: str(p.get(o)))  # type: ignore[misc]
            setattr(view, part, [model.model_validate(p) for p in found])
    if "records" in parts:
        found = sorted(row["records"], key=lambda r: (str(r["props"].get("source")), str(r["props"].get("source_key"))))
        view.records = [
            ResolvedRecord(
                record=SourceRecordNode.model_validate(r["props"]), resolution=_resolution(r["props"], r["rel"] or {})
            )
            for r in found
        ]
    if "contacts" in parts:
        view.contacts = _contacts_of(row["contacts"])
    view.pages = [
        (spec.kind, spec.key(view.customer.id), _edge_page(spec, row[f"p{i}_total"], row[f"p{i}_page"]))
        for i, spec in enumerate(specs)
    ]
    return view


async def views(
    graph: Graph, ids: Sequence[str], parts: Collection[str] = (), specs: Sequence[PageSpec] = (), *, scope: Scope
) -> dict[str, CustomerView]:
    """Customers by id (merged-away ones as they are, live ones within ``scope``) with the asked parts
    and pages, in one statement."""
    asked = frozenset(parts)
    unique = list(dict.fromkeys(specs))
    query = view_query(asked, unique, scope)
    rows = await graph.read_values(query, ids=list(ids), **_view_params(unique), **scope.params())
    found = rows[0]["views"] if rows else []
    return {row["id"]: _view_of(row, asked, unique) for row in found}
