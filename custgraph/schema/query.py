"""The root Query, composed from per-feature query classes."""

from __future__ import annotations

import strawberry

from custgraph.resolvers import customers as resolve
from custgraph.resolvers.context import Info
from custgraph.schema.audit_log import AuditLogQuery
from custgraph.schema.customer import Customer
from custgraph.schema.customer_list import CustomerListQuery
from custgraph.schema.explain import ExplainQuery
from custgraph.schema.ingest import ImportRunQuery
from custgraph.schema.quality import QualityQuery
from custgraph.schema.review import ReviewQuery
from custgraph.schema.saved_search import SavedSearchQuery
from custgraph.schema.search import SearchQuery
from custgraph.schema.search_log import SearchLogQuery
from custgraph.schema.segment import SegmentQuery
from custgraph.schema.unmatched import UnmatchedQuery


@strawberry.type
class CustomerQuery:
    @strawberry.field(description="One customer by id; a merged-away id returns the surviving customer.")
    async def customer(self, info: Info, id: strawberry.ID) -> Customer | None:  # noqa: A002
        node = await resolve.customer_by_id(info, str(id))
        return Customer.from_record(node) if node else None


@strawberry.type
class Query(
    CustomerQuery,
    CustomerListQuery,
    SearchQuery,
    SavedSearchQuery,
    SegmentQuery,
    SearchLogQuery,
    ReviewQuery,
    UnmatchedQuery,
    ExplainQuery,
    QualityQuery,
    ImportRunQuery,
    AuditLogQuery,
):
    pass
