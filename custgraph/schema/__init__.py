"""The GraphQL schema (Apollo Federation v2, so a portal's gateway can compose us)."""

from __future__ import annotations

import strawberry

from custgraph.schema.customer import Customer
from custgraph.schema.limits import extensions
from custgraph.schema.mutation import Mutation
from custgraph.schema.query import Query
from custgraph.schema.refusals import Schema
from custgraph.service.settings import Settings


def build_schema(settings: Settings | None = None) -> strawberry.federation.Schema:
    """The schema with the query limits of ``settings`` (defaults when None); the SDL never changes."""
    limits = settings or Settings(graph=None, data_dir=None)  # type: ignore[arg-type] - only the limits are read
    return Schema(  # refusals logged as one line each (schema/refusals.py)
        query=Query,
        mutation=Mutation,
        types=[Customer],
        extensions=extensions(
            max_depth=limits.max_query_depth,
            max_tokens=limits.max_query_tokens,
            max_aliases=limits.max_query_aliases,
            max_cost=limits.max_query_cost,
            production=limits.production,
            introspection=limits.introspection,
            max_page_size=limits.max_page_size,
            max_list_items=limits.max_list_items,
            max_entities=limits.max_entities,
        ),
    )


schema = build_schema()
