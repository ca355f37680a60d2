"""The customers list: filters, sort order, Relay pagination, totalCount."""

from __future__ import annotations

from typing import Annotated

import strawberry

from custgraph.resolvers import customers as resolve
from custgraph.resolvers.context import Info
from custgraph.resolvers.customer_list import CustomerListPage, list_customers
from custgraph.schema.connections import Connection, connection
from custgraph.schema.customer import Customer
from custgraph.schema.filters import CustomerFilterInput, CustomerOrderInput, to_filter, to_order

DEFAULT_PAGE = 20
PURPOSE = "Why you search (客户回访, 营销推送 ...); kept in the search log."


def customer_connection(page: CustomerListPage) -> Connection[Customer]:
    return connection(
        [Customer.from_record(n) for n in page.customers],
        page.cursors,
        total=page.total,
        has_next=page.has_next,
        has_previous=page.has_previous,
    )


async def prefetch_page(info: Info, page: CustomerListPage) -> None:
    """The edges the query selects of the page's customers, in one statement for the whole page."""
    fields = info.selected_fields
    selections = [
        *resolve.below(fields, info.field_name, "edges", "node"),
        *resolve.below(fields, info.field_name, "nodes"),
    ]
    await resolve.prefetch(info, page.customers, selections)


@strawberry.type
class CustomerListQuery:
    @strawberry.field(
        description="Customers matching every condition of the filter (a rep sees only their own), "
        "one page at a time. Merged-away customers never appear. Every call is written to the search log."
    )
    async def customers(
        self,
        info: Info,
        filter: CustomerFilterInput | None = None,  # noqa: A002 - the GraphQL argument name
        order_by: CustomerOrderInput | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        purpose: Annotated[str | None, strawberry.argument(description=PURPOSE)] = None,
    ) -> Connection[Customer]:
        page = await list_customers(
            info.context, to_filter(filter), to_order(order_by), first=first, after=after, purpose=purpose
        )
        await prefetch_page(info, page)
        return customer_connection(page)
