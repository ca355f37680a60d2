"""Saved searches ("quick templates", 快捷模板): a named filter and sort order a user runs again."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from custgraph.graph.repositories.saved_searches import SavedSearchNode
from custgraph.resolvers import saved_searches as resolve
from custgraph.resolvers.context import Info
from custgraph.schema.connections import Connection
from custgraph.schema.customer import Customer
from custgraph.schema.customer_list import DEFAULT_PAGE, customer_connection, prefetch_page
from custgraph.schema.errors import NotFoundError, ValidationError
from custgraph.schema.filters import CustomerFilterInput, CustomerOrderInput, to_filter, to_order


@strawberry.type(description="A named customer filter of one user.")
class SavedSearch:
    id: strawberry.ID
    name: str
    user: str
    filter: JSON = strawberry.field(description="The filter, in the shape of CustomerFilterInput.")
    order_by: JSON | None = strawberry.field(description="{field, descending}.")
    created_at: str

    @classmethod
    def from_record(cls, node: SavedSearchNode) -> SavedSearch:
        return cls(
            id=strawberry.ID(node.id),
            name=node.name,
            user=node.user,
            filter=node.filter,
            order_by=node.order,
            created_at=node.created_at,
        )


@strawberry.input
class SavedSearchInput:
    name: str
    filter: CustomerFilterInput
    order_by: CustomerOrderInput | None = None


@strawberry.type
class SavedSearchPayload:
    saved_search: SavedSearch


@strawberry.type
class DeletedPayload:
    id: strawberry.ID


CreateSavedSearchResult = Annotated[SavedSearchPayload | ValidationError, strawberry.union("CreateSavedSearchResult")]
DeleteSavedSearchResult = Annotated[DeletedPayload | NotFoundError, strawberry.union("DeleteSavedSearchResult")]


@strawberry.type
class SavedSearchQuery:
    @strawberry.field(description="The caller's saved searches, by name.")
    async def saved_searches(self, info: Info) -> list[SavedSearch]:
        return [SavedSearch.from_record(n) for n in await resolve.mine(info.context)]

    @strawberry.field(description="Run a saved search (logged like customers); null when it is not yours.")
    async def run_saved_search(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        purpose: str | None = None,
    ) -> Connection[Customer] | None:
        page = await resolve.run(info.context, str(id), first=first, after=after, purpose=purpose)
        if page is None:
            return None
        await prefetch_page(info, page)
        return customer_connection(page)


@strawberry.type
class SavedSearchMutation:
    @strawberry.mutation(description="Save the current filter under a name (unique per user).")
    async def create_saved_search(
        self,
        info: Info,
        input: SavedSearchInput,  # noqa: A002
    ) -> CreateSavedSearchResult:
        flt, order = to_filter(input.filter), to_order(input.order_by)
        try:
            node = await resolve.create(info.context, input.name, flt, order)
        except resolve.NameTaken:
            return ValidationError.single("name", "you already have a saved search with this name")
        except ValueError as exc:
            return ValidationError.single("name", str(exc))
        return SavedSearchPayload(saved_search=SavedSearch.from_record(node))

    @strawberry.mutation(description="Delete one of your saved searches.")
    async def delete_saved_search(self, info: Info, id: strawberry.ID) -> DeleteSavedSearchResult:  # noqa: A002
        if await resolve.delete(info.context, str(id)):
            return DeletedPayload(id=id)
        return NotFoundError(message="no such saved search of yours", id=str(id))
