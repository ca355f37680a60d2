"""The customers(filter, orderBy, first, after) list and saved-search runs: count, one page, log."""

from __future__ import annotations

from dataclasses import dataclass

from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories import customer_list as repo
from custgraph.graph.repositories.customer_filter import CustomerFilter, CustomerOrder
from custgraph.resolvers import audit, cursors
from custgraph.resolvers.context import Context
from custgraph.resolvers.errors import BadRequest

MAX_PURPOSE = 200


@dataclass
class CustomerListPage:
    customers: list[CustomerNode]
    cursors: list[str]
    total: int
    has_next: bool
    has_previous: bool
    log_id: str


def cursor_kind(order: CustomerOrder) -> str:
    return f"customers:{order.field.value}:{'desc' if order.descending else 'asc'}"


def check_purpose(purpose: str | None) -> str | None:
    """The business reason a user gave for a search (客户回访, 营销推送 ...), logged with it."""
    if purpose is None:
        return None
    if len(purpose) > MAX_PURPOSE:
        raise BadRequest(f"purpose is limited to {MAX_PURPOSE} characters", argument="purpose")
    return purpose.strip() or None


def is_marketing(purpose: str | None) -> bool:
    """A marketing use: purpose ``marketing``, or ``marketing:CAMPAIGN`` (any case). The keyword is the
    contract with portals; a free-text purpose such as 营销推送 is only logged."""
    if not purpose:
        return False
    text = purpose.strip().lower()
    return text == "marketing" or text.startswith("marketing:")


def for_purpose(flt: CustomerFilter, purpose: str | None) -> CustomerFilter:
    """The filter a run with this purpose may use: a marketing run holds only consenting customers,
    whatever its filter says (the condition is added in the Cypher, so counts agree)."""
    return flt.model_copy(update={"consent_marketing": True}) if is_marketing(purpose) else flt


async def list_customers(
    context: Context,
    flt: CustomerFilter,
    order: CustomerOrder,
    *,
    first: int,
    after: str | None,
    purpose: str | None,
    kind: str = "list",
) -> CustomerListPage:
    """One page of the customers the caller may see, plus the total; the call is logged."""
    first = cursors.check_first(first, context.settings.max_page_size)
    purpose = check_purpose(purpose)
    flt = for_purpose(flt, purpose)
    kind_of_cursor = cursor_kind(order)
    position = None
    if after:
        value, cid = cursors.decode(after, kind_of_cursor, 2)
        position = repo.Position(value=value, id=str(cid))
    graph = context.graph
    clause = await repo.prepare(graph, flt, scope=context.scope)
    page = await repo.page_with_total(graph, clause, order, first=first, after=position)
    total = page.total or 0
    log_id = await audit.log(context, kind=kind, result_count=total, filter=flt.to_json_dict(), purpose=purpose)
    return CustomerListPage(
        customers=page.customers,
        cursors=[cursors.encode(kind_of_cursor, p.value, p.id) for p in page.positions],
        total=total,
        has_next=page.has_next,
        has_previous=position is not None,
        log_id=log_id,
    )
