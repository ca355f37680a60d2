"""Resolvers for the Customer type and the customer(id) query: thin calls into loaders and graph/."""

from __future__ import annotations

from dataclasses import dataclass

from custgraph.graph.models import (
    ChannelNode,
    CompanyNode,
    CustomerNode,
    OwnerNode,
    TagNode,
)
from custgraph.graph.repositories import customers as repo
from custgraph.graph.repositories.customer_edges import Contact, EdgePage, PageKey, Relation, ResolvedRecord
from custgraph.resolvers import cursors
from custgraph.resolvers.context import Info
from custgraph.resolvers.masking import CONTACT_MASKS

EDGE_CURSOR = "edge"  # interactions and orders page by (date, uid), newest first


async def customer_by_id(info: Info, customer_id: str) -> CustomerNode | None:
    """The customer (following merges), or None when it does not exist or the caller may not see it."""
    node = await repo.get_customer(info.context.graph, customer_id)
    if node is None or info.context.scope_owner is None:
        return node
    return await info.context.loaders.customer.load(node.id)  # None unless the rep owns it


async def company(info: Info, customer_id: str) -> CompanyNode | None:
    return await info.context.loaders.company.load(customer_id)


async def tags(info: Info, customer_id: str) -> list[TagNode]:
    return await info.context.loaders.tags.load(customer_id)


async def owners(info: Info, customer_id: str) -> list[OwnerNode]:
    return await info.context.loaders.owners.load(customer_id)


async def channels(info: Info, customer_id: str) -> list[ChannelNode]:
    return await info.context.loaders.channels.load(customer_id)


async def source_records(info: Info, customer_id: str) -> list[ResolvedRecord]:
    return await info.context.loaders.records.load(customer_id)


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
    if not info.context.full_values:
        result = [(c.model_copy(update={"value": CONTACT_MASKS[c.kind](c.value)}), p) for c, p in result]
    return result


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
    """Customers at the same company or sharing an identifier, that the caller may see."""
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
