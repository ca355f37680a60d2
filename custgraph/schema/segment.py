"""Segments: company-wide named customer filters with a live count (制造业 × value:high × risk:churn)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from custgraph.graph.repositories.segments import SegmentNode
from custgraph.resolvers import segments as resolve
from custgraph.resolvers.context import Info
from custgraph.schema.connections import Connection
from custgraph.schema.customer import Customer
from custgraph.schema.customer_list import DEFAULT_PAGE, customer_connection, prefetch_page
from custgraph.schema.errors import PermissionDenied, ValidationError
from custgraph.schema.filters import CustomerFilterInput, to_filter


@strawberry.type(description="A named customer filter everyone can use; its count and customers are live.")
class Segment:
    id: strawberry.ID
    name: str
    filter: JSON = strawberry.field(description="The filter, in the shape of CustomerFilterInput.")
    created_by: str
    updated_at: str | None
    node: strawberry.Private[SegmentNode]

    @classmethod
    def from_record(cls, node: SegmentNode) -> Segment:
        return cls(
            id=strawberry.ID(node.id),
            name=node.name,
            filter=node.filter,
            created_by=node.created_by,
            updated_at=node.updated_at or node.created_at,
            node=node,
        )

    @strawberry.field(description="How many of the customers you see are in the segment now.")
    async def count(self, info: Info) -> int:
        return await resolve.count(info.context, self.node)

    @strawberry.field(description="The segment's customers you see, by id, a page at a time (logged).")
    async def customers(self, info: Info, first: int = DEFAULT_PAGE, after: str | None = None) -> Connection[Customer]:
        page = await resolve.customers(info.context, self.node, first=first, after=after)
        await prefetch_page(info, page)
        return customer_connection(page)


@strawberry.input
class SegmentInput:
    name: str
    filter: CustomerFilterInput


@strawberry.type
class SegmentPayload:
    segment: Segment


SaveSegmentResult = Annotated[
    SegmentPayload | ValidationError | PermissionDenied, strawberry.union("SaveSegmentResult")
]


@strawberry.type
class SegmentQuery:
    @strawberry.field(description="Every segment, by name, each with its live count within your scope.")
    async def segments(self, info: Info) -> list[Segment]:
        return [Segment.from_record(n) for n in await resolve.visible(info.context)]


@strawberry.type
class SegmentMutation:
    @strawberry.mutation(description="Save a segment (managers and admins); saving a name again replaces its filter.")
    async def save_segment(self, info: Info, input: SegmentInput) -> SaveSegmentResult:  # noqa: A002
        result = await resolve.save(info.context, input.name, to_filter(input.filter))
        return SegmentPayload(segment=Segment.from_record(result)) if isinstance(result, SegmentNode) else result
