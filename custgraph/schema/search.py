"""Keyword search over name, customer id, mobile, email and company: exact and fuzzy, ranked."""

from __future__ import annotations

from typing import Annotated

import strawberry

from custgraph.resolvers import customers as resolve
from custgraph.resolvers.context import Info
from custgraph.resolvers.search import search as run_search
from custgraph.schema.customer import Customer

DEFAULT_HITS = 10


@strawberry.type(description="One search result and how well it matched.")
class SearchHit:
    customer: Customer
    score: float = strawberry.field(description="0-1; 1 is an exact id, mobile or email.")
    matched_on: str | None = strawberry.field(
        description=(
            "The field that matched best: id, mobile, phone, email, name, pinyin, company, "
            "national_id or bank_card (those two match exactly)."
        )
    )


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description="Find customers by name (typos and homophones too), customer id, mobile (whole, last "
        "four or a fragment), email or company, best first. Every call is written to the search log."
    )
    async def search(
        self,
        info: Info,
        query: str,
        first: int = DEFAULT_HITS,
        purpose: Annotated[str | None, strawberry.argument(description="Why you search; logged.")] = None,
    ) -> list[SearchHit]:
        hits = await run_search(info.context, query, first=first, purpose=purpose)
        selections = resolve.below(info.selected_fields, info.field_name, "customer")
        await resolve.prefetch(info, [node for node, _ in hits], selections)
        return [
            SearchHit(customer=Customer.from_record(node), score=score.score, matched_on=score.field)
            for node, score in hits
        ]
