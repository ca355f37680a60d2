"""Segments: save one (managers and admins), list them with live counts, page through their customers.

Counts and customers are always the caller's scope: a rep sees how many of *their* customers a
segment holds, a manager their teams'. Auditors read the audit log only, so they see no segment.
"""

from __future__ import annotations

from custgraph.graph.repositories import audit_log as audit_repo
from custgraph.graph.repositories import customer_list
from custgraph.graph.repositories import segments as repo
from custgraph.graph.repositories.customer_filter import CustomerFilter, CustomerOrder
from custgraph.graph.repositories.segments import SegmentNode
from custgraph.resolvers.audit_log import event
from custgraph.resolvers.context import Context
from custgraph.resolvers.customer_list import CustomerListPage, list_customers
from custgraph.resolvers.errors import BadRequest
from custgraph.resolvers.permissions import MANAGERS
from custgraph.schema.errors import PermissionDenied, ValidationError

MAX_NAME = 100


async def save(context: Context, name: str, flt: CustomerFilter) -> SegmentNode | ValidationError | PermissionDenied:
    if context.role not in MANAGERS:
        return PermissionDenied(message="only managers and admins save segments")
    clean = name.strip()
    if not clean or len(clean) > MAX_NAME:
        return ValidationError.single("name", f"name must be 1-{MAX_NAME} characters")
    node = await repo.save_segment(context.graph, name=clean, filter=flt.to_json_dict(), by=context.user)
    saved = event(context, "segment.save", node.id, after={"name": clean, "filter": node.filter})
    await audit_repo.record(context.graph, [saved])
    return node


async def visible(context: Context) -> list[SegmentNode]:
    if context.scope.nothing:
        return []
    return await repo.all_segments(context.graph)


def _filter(node: SegmentNode) -> CustomerFilter:
    try:
        return CustomerFilter.model_validate(node.filter)
    except ValueError:
        raise BadRequest(f"segment {node.id} no longer matches the filter format") from None


async def count(context: Context, node: SegmentNode) -> int:
    """How many of the customers the caller sees are in the segment now."""
    clause = await customer_list.prepare(context.graph, _filter(node), scope=context.scope)
    return await customer_list.count_customers(context.graph, clause)


async def customers(context: Context, node: SegmentNode, *, first: int, after: str | None) -> CustomerListPage:
    """One page of the segment's customers (logged like any customer list)."""
    return await list_customers(
        context, _filter(node), CustomerOrder(), first=first, after=after, purpose=None, kind="saved_search"
    )
