"""The golden Customer: the 360° view."""

from __future__ import annotations

import strawberry

from custgraph.graph.models import CustomerNode
from custgraph.resolvers import customers as resolve
from custgraph.resolvers.context import Info
from custgraph.schema.refs import Channel, Company, Owner, Tag
from custgraph.schema.source_record import SourceRecord


@strawberry.federation.type(keys=["id"], description="One real person or company, resolved from source records.")
class Customer:
    node: strawberry.Private[CustomerNode]

    @strawberry.field(description="Stable customer id such as C000123; merged-away ids still resolve here.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field
    def name(self) -> str | None:
        return self.node.name

    @strawberry.field(description="person or company.")
    def customer_type(self) -> str | None:
        return self.node.customer_type

    @strawberry.field(description="prospect (潜在), customer (成交), dormant (沉默) or churned (流失).")
    def lifecycle(self) -> str | None:
        return self.node.lifecycle

    @strawberry.field
    def mobile(self) -> str | None:
        return self.node.mobile

    @strawberry.field
    def email(self) -> str | None:
        return self.node.email

    @strawberry.field
    def industry(self) -> str | None:
        return self.node.industry

    @strawberry.field
    def region(self) -> str | None:
        return self.node.region

    @strawberry.field
    def city(self) -> str | None:
        return self.node.city

    @strawberry.field(description="First contact date, YYYY-MM-DD.")
    def first_contact(self) -> str | None:
        return self.node.first_contact

    @strawberry.field(description="Last interaction date, YYYY-MM-DD.")
    def last_contact(self) -> str | None:
        return self.node.last_contact

    @strawberry.field
    def total_amount(self) -> float | None:
        return self.node.total_amount

    @strawberry.field
    def order_count(self) -> int | None:
        return self.node.order_count

    @strawberry.field
    async def company(self, info: Info) -> Company | None:
        node = await resolve.company(info, self.node.id)
        return Company.from_record(node) if node else None

    @strawberry.field
    async def tags(self, info: Info) -> list[Tag]:
        return [Tag.from_record(n) for n in await resolve.tags(info, self.node.id)]

    @strawberry.field
    async def owners(self, info: Info) -> list[Owner]:
        return [Owner.from_record(n) for n in await resolve.owners(info, self.node.id)]

    @strawberry.field
    async def channels(self, info: Info) -> list[Channel]:
        return [Channel.from_record(n) for n in await resolve.channels(info, self.node.id)]

    @strawberry.field(description="Every source record resolved to this customer, with provenance.")
    async def source_records(self, info: Info) -> list[SourceRecord]:
        return [SourceRecord.from_record(n) for n in await resolve.source_records(info, self.node.id)]

    @classmethod
    def from_record(cls, node: CustomerNode) -> Customer:
        return cls(node=node)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Customer | None:  # noqa: A002
        node = await resolve.customer_by_id(info, str(id))
        return cls.from_record(node) if node else None
