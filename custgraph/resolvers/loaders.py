"""Per-request DataLoaders: every edge of a customer is fetched for all customers of a request at once.

Built in the request context (never shared between requests, so one user's cache cannot answer
another's), for the caller's Scope: every loader's statement keeps only the customers the caller
sees, so a foreign id answers like a missing one. Each loader is one UNWIND query
(graph/repositories/customer_edges.py) and returns one result per key, in key order — so a list of
50 customers with tags, owners and company costs three queries whatever the page size.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, fields
from functools import partial
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from custgraph.graph.connection import Graph
from custgraph.graph.models import ChannelNode, CompanyNode, ContactNode, CustomerNode, OwnerNode, TagNode
from custgraph.graph.repositories import customer_edges as edges
from custgraph.graph.repositories.customer_edges import Contact, EdgePage, PageKey, Relation, ResolvedRecord
from custgraph.graph.repositories.scope import Scope

K = TypeVar("K")
V = TypeVar("V")
MAX_BATCH = 1000  # keys per query; a page is at most 100 customers, nested lists multiply it


def _by_key(
    fetch: Callable[[list[K]], Awaitable[dict[K, V]]], missing: Callable[[], Any]
) -> Callable[[Sequence[K]], Awaitable[list[Any]]]:
    """A batch function answering every key, in order, with ``missing()`` for keys the graph lacks."""

    async def load(keys: Sequence[K]) -> list[Any]:
        found = await fetch(list(keys))
        return [found[key] if key in found else missing() for key in keys]

    return load


@dataclass
class Loaders:
    customer: DataLoader[str, CustomerNode | None]  # None: missing, or outside the caller's scope
    company: DataLoader[str, CompanyNode | None]
    tags: DataLoader[str, list[TagNode]]
    owners: DataLoader[str, list[OwnerNode]]
    channels: DataLoader[str, list[ChannelNode]]
    people: DataLoader[str, list[ContactNode]]
    records: DataLoader[str, list[ResolvedRecord]]
    contacts: DataLoader[str, list[Contact]]
    related: DataLoader[str, list[Relation]]
    interactions: DataLoader[PageKey, EdgePage]
    orders: DataLoader[PageKey, EdgePage]

    @classmethod
    def create(cls, graph: Graph, *, scope: Scope) -> Loaders:
        """Loaders answering only within ``scope`` (empty or None for a customer outside it)."""

        def loader(fn: Callable[[Sequence[Any]], Awaitable[list[Any]]]) -> DataLoader[Any, Any]:
            return DataLoader(load_fn=fn, max_batch_size=MAX_BATCH)

        def each(fetch: Callable[..., Awaitable[dict[str, Any]]], missing: Callable[[], Any], **kw: Any) -> Any:
            """A loader over one per-customer batch read (customer_edges), ``missing()`` for ids without."""
            return loader(_by_key(partial(fetch, graph, scope=scope, **kw), missing))

        return cls(
            customer=each(edges.customers, lambda: None),
            company=each(edges.companies, lambda: None),
            tags=each(edges.tags, list),
            owners=each(edges.owners, list),
            channels=each(edges.channels, list),
            people=each(edges.people, list),
            records=each(edges.records, list),
            contacts=each(edges.contacts, list),
            related=each(edges.related, list),
            interactions=loader(partial(edges.interaction_pages, graph, scope=scope)),
            orders=loader(partial(edges.order_pages, graph, scope=scope)),
        )

    def clear(self) -> None:
        """Forget everything loaded so far (after a mutation changed the graph)."""
        for item in fields(self):
            getattr(self, item.name).clear_all()
