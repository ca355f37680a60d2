"""Resolvers for the Customer type and the customer(id) query: thin calls into graph/."""

from __future__ import annotations

from custgraph.graph.models import (
    ChannelNode,
    CompanyNode,
    CustomerNode,
    OwnerNode,
    SourceRecordNode,
    TagNode,
)
from custgraph.graph.repositories import customers as repo
from custgraph.resolvers.context import Info


async def customer_by_id(info: Info, customer_id: str) -> CustomerNode | None:
    return await repo.get_customer(info.context.graph, customer_id)


async def company(info: Info, customer_id: str) -> CompanyNode | None:
    return await repo.company_of(info.context.graph, customer_id)


async def tags(info: Info, customer_id: str) -> list[TagNode]:
    return await repo.tags_of(info.context.graph, customer_id)


async def owners(info: Info, customer_id: str) -> list[OwnerNode]:
    return await repo.owners_of(info.context.graph, customer_id)


async def channels(info: Info, customer_id: str) -> list[ChannelNode]:
    return await repo.channels_of(info.context.graph, customer_id)


async def source_records(info: Info, customer_id: str) -> list[SourceRecordNode]:
    return await repo.source_records(info.context.graph, customer_id)
