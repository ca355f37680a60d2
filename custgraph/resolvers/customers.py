"""Resolvers for the Customer type and the customer(id) query: thin calls into loaders and graph/."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from custgraph.graph.models import (
    ChannelNode,
    CompanyNode,
    ContactNode,
    CustomerNode,
    OwnerNode,
    TagNode,
)
from custgraph.graph.repositories import customer_edges as edges
from custgraph.graph.repositories import review as review_repo
from custgraph.graph.repositories.customer_edges import (
    Contact,
    CustomerView,
    EdgePage,
    PageKey,
    PageSpec,
    Relation,
    ResolvedRecord,
)
from custgraph.graph.repositories.customers import MAX_MERGE_HOPS
from custgraph.resolvers import audit_log, cursors
from custgraph.resolvers.context import Info
from custgraph.resolvers.errors import BadRequest
from custgraph.resolvers.loaders import Loaders

EDGE_CURSOR = "edge"  # interactions and orders page by (date, uid), newest first
DEFAULT_EDGE_PAGE = 20  # interactions and orders per page when `first` is not given
# Customer fields answered by one part of a view (graph/repositories/customer_edges.py)
VIEW_PARTS = {
    "company": "company",
    "tags": "tags",
    "owners": "owners",
    "channels": "channels",
    "contactPeople": "people",
    "sourceRecords": "records",
    "contacts": "contacts",
}
VIEW_PAGES = frozenset({"interactions", "orders"})
Selection = SelectedField | FragmentSpread | InlineFragment


def _page_spec(kind: str, arguments: dict[str, Any], max_page: int) -> PageSpec | None:
    """The page a field asks for, or None when its arguments are invalid (its resolver reports them)."""
    try:
        limit = cursors.check_first(int(arguments.get("first", DEFAULT_EDGE_PAGE)), max_page)
        after = arguments.get("after")
        after_date, after_uid = cursors.decode(after, EDGE_CURSOR, 2) if after else (None, None)
    except (BadRequest, TypeError, ValueError):
        return None
    return PageSpec(kind=kind, limit=limit, after_date=after_date, after_uid=after_uid)


def wanted(selections: Iterable[Selection], max_page: int) -> tuple[frozenset[str], list[PageSpec]]:
    """The view parts and pages a Customer selection asks for (fragments included)."""
    parts: set[str] = set()
    specs: list[PageSpec] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name in VIEW_PARTS:
                parts.add(VIEW_PARTS[selection.name])
            elif selection.name in VIEW_PAGES:
                spec = _page_spec(selection.name, selection.arguments, max_page)
                if spec is not None:
                    specs.append(spec)
        else:
            more_parts, more_specs = wanted(selection.selections, max_page)
            parts |= more_parts
            specs += more_specs
    return frozenset(parts), specs


def below(selections: Iterable[Selection], *path: str) -> list[Selection]:
    """The selections under a path of field names (``edges``, ``node``), through fragments."""
    found = list(selections)
    for name in path:
        step: list[Selection] = []
        for selection in _flatten(found):
            if selection.name == name:
                step += selection.selections
        found = step
    return found


def _flatten(selections: Iterable[Selection]) -> list[SelectedField]:
    flat: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            flat.append(selection)
        else:
            flat += _flatten(selection.selections)
    return flat


def prime(loaders: Loaders, view: CustomerView) -> None:
    """Answer the request's loaders from a view, so the fields it covers cost no further query."""
    cid = view.customer.id
    if "company" in view.asked:
        loaders.company.prime(cid, view.company)
    for part in ("tags", "owners", "channels", "people", "records", "contacts"):
        if part in view.asked:
            getattr(loaders, part).prime(cid, getattr(view, part))
    for kind, key, page in view.pages:
        (loaders.interactions if kind == "interactions" else loaders.orders).prime(key, page)


async def prefetch(info: Info, nodes: Sequence[CustomerNode], selections: Iterable[Selection]) -> None:
    """One statement for every edge the selection asks of these customers (a page, search hits)."""
    parts, specs = wanted(selections, info.context.settings.max_page_size)
    if not nodes or (not parts and not specs):
        return
    views = await edges.views(info.context.graph, [n.id for n in nodes], parts, specs, scope=info.context.scope)
    for view in views.values():
        prime(info.context.loaders, view)


async def customer_by_id(info: Info, customer_id: str) -> CustomerNode | None:
    """The customer (following merges), or None when it does not exist or the caller may not see it
    (the statement itself keeps to the caller's scope: the two cases answer alike).

    The customer and every edge the query selects below it come in one statement (the 360° view).
    """
    context = info.context
    parts, specs = wanted(below(info.selected_fields, info.field_name), context.settings.max_page_size)
    current = customer_id
    for _ in range(MAX_MERGE_HOPS):
        view = (await edges.views(context.graph, [current], parts, specs, scope=context.scope)).get(current)
        if view is None:
            return None
        if not view.customer.merged_into:
            break
        current = view.customer.merged_into
    else:
        raise RuntimeError(f"merge chain from {customer_id} is longer than {MAX_MERGE_HOPS}")
    prime(context.loaders, view)
    context.loaders.customer.prime(view.customer.id, view.customer)
    await audit_log.viewed(context, view.customer.id)
    return view.customer


async def company(info: Info, customer_id: str) -> CompanyNode | None:
    return await info.context.loaders.company.load(customer_id)


async def tags(info: Info, customer_id: str) -> list[TagNode]:
    return await info.context.loaders.tags.load(customer_id)


async def owners(info: Info, customer_id: str) -> list[OwnerNode]:
    return await info.context.loaders.owners.load(customer_id)


async def channels(info: Info, customer_id: str) -> list[ChannelNode]:
    return await info.context.loaders.channels.load(customer_id)


async def people(info: Info, customer_id: str) -> list[ContactNode]:
    return await info.context.loaders.people.load(customer_id)


async def source_records(info: Info, customer_id: str) -> list[ResolvedRecord]:
    """The customer's records; what each was matched against is left out when that record now
    belongs to a customer outside the caller's scope (its uid and values would tell of it)."""
    found = await info.context.loaders.records.load(customer_id)
    scope = info.context.scope
    if scope.everything:
        return found
    named = {uid for r in found for uid in _compared_with(r)}
    seen = await review_repo.records_by_uid(info.context.graph, sorted(named), scope=scope) if named else {}
    return [_without_unseen(r, seen.keys()) for r in found]


def _compared_with(record: ResolvedRecord) -> set[str]:
    res = record.resolution
    uids = {res.matched_uid} if res.matched_uid else set()
    if isinstance(res.evidence, list):
        uids |= {str(e["uid_b"]) for e in res.evidence if isinstance(e, dict) and e.get("uid_b")}
    return uids


def _without_unseen(record: ResolvedRecord, seen: Collection[str]) -> ResolvedRecord:
    res = record.resolution
    if _compared_with(record) <= set(seen):
        return record
    evidence = res.evidence
    if isinstance(evidence, list):
        evidence = [
            {**e, "value_b": None, "uid_b": None} if isinstance(e, dict) and e.get("uid_b") not in seen else e
            for e in evidence
        ]
    matched = res.matched_uid if res.matched_uid in seen else None
    shown = res.model_copy(update={"evidence": evidence, "matched_uid": matched})
    return record.model_copy(update={"resolution": shown})


async def contacts(info: Info, node: CustomerNode) -> list[tuple[Contact, bool]]:
    """The golden mobile/phone/email first (primary), then other values found on the records."""
    found = await info.context.loaders.contacts.load(node.id)
    golden = {("mobile", node.mobile), ("phone", node.phone), ("email", node.email)}
    sources = {(c.kind, c.value): c.sources for c in found}
    result = [
        (Contact(kind=kind, value=value, sources=sources.get((kind, value), [])), True)
        for kind, value in sorted(golden, key=lambda kv: ("mobile", "phone", "email").index(kv[0]))
        if value
    ]
    result += [(c, False) for c in found if (c.kind, c.value) not in golden]
    view = info.context.view
    return [(c.model_copy(update={"value": view.value(c.kind, c.value)}), p) for c, p in result]


async def edge_page(info: Info, kind: str, customer_id: str, first: int, after: str | None) -> EdgePage:
    """One page of a customer's interactions or orders (``kind``), newest first."""
    limit = cursors.check_first(first, info.context.settings.max_page_size)
    after_date, after_uid = cursors.decode(after, EDGE_CURSOR, 2) if after else (None, None)
    key = PageKey(customer_id=customer_id, limit=limit, after_date=after_date, after_uid=after_uid)
    loader = info.context.loaders.interactions if kind == "interactions" else info.context.loaders.orders
    return await loader.load(key)


def edge_cursor(position: tuple[str, str]) -> str:
    return cursors.encode(EDGE_CURSOR, *position)


@dataclass
class Related:
    customer: CustomerNode
    reasons: list[Relation]


async def related(info: Info, customer_id: str) -> list[Related]:
    """Customers at the same company or sharing an identifier, within the caller's scope (the
    related loader's statement keeps to it; the customer loader answers within it too)."""
    relations = await info.context.loaders.related.load(customer_id)
    order: list[str] = []
    grouped: dict[str, list[Relation]] = {}
    for relation in relations:
        if relation.customer_id not in grouped:
            order.append(relation.customer_id)
            grouped[relation.customer_id] = []
        grouped[relation.customer_id].append(relation)
    nodes = await info.context.loaders.customer.load_many(order)
    return [Related(node, grouped[cid]) for cid, node in zip(order, nodes, strict=True) if node is not None]
