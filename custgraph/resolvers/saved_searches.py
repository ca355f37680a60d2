"""Saved searches ("quick templates"): create, list, run and delete, each user their own."""

from __future__ import annotations

from custgraph.graph.repositories import saved_searches as repo
from custgraph.graph.repositories.customer_filter import CustomerFilter, CustomerOrder
from custgraph.graph.repositories.saved_searches import SavedSearchNode
from custgraph.resolvers.context import Context
from custgraph.resolvers.customer_list import CustomerListPage, list_customers
from custgraph.resolvers.errors import BadRequest

MAX_NAME = 100


class NameTaken(Exception):
    """The user already has a saved search with this name."""


async def create(context: Context, name: str, flt: CustomerFilter, order: CustomerOrder) -> SavedSearchNode:
    clean = name.strip()
    if not clean or len(clean) > MAX_NAME:
        raise ValueError(f"name must be 1-{MAX_NAME} characters")
    if await repo.name_taken(context.graph, context.user, clean):
        raise NameTaken(clean)
    return await repo.create_saved_search(
        context.graph,
        user=context.user,
        name=clean,
        filter=flt.to_json_dict(),
        order=order.model_dump(mode="json"),
    )


async def mine(context: Context) -> list[SavedSearchNode]:
    return await repo.saved_searches_of(context.graph, context.user)


async def visible(context: Context, search_id: str) -> SavedSearchNode | None:
    """The saved search if it is the caller's own (admins may use anyone's)."""
    found = await repo.get_saved_search(context.graph, search_id)
    if found is None or (found.user != context.user and context.role != "admin"):
        return None
    return found


async def run(
    context: Context, search_id: str, *, first: int, after: str | None, purpose: str | None
) -> CustomerListPage | None:
    """One page of the saved search's customers (scoped to the caller), or None when it is not theirs."""
    found = await visible(context, search_id)
    if found is None:
        return None
    try:
        flt = CustomerFilter.model_validate(found.filter)
        order = CustomerOrder.model_validate(found.order) if found.order else CustomerOrder()
    except ValueError:
        raise BadRequest(f"saved search {search_id} no longer matches the filter format") from None
    return await list_customers(context, flt, order, first=first, after=after, purpose=purpose, kind="saved_search")


async def delete(context: Context, search_id: str) -> bool:
    """False when there is no such saved search of the caller's."""
    if await visible(context, search_id) is None:
        return False
    await repo.delete_saved_search(context.graph, search_id)
    return True
