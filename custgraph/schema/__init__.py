"""The GraphQL schema (Apollo Federation v2, so a portal's gateway can compose us)."""

from __future__ import annotations

import strawberry

from custgraph.schema.customer import Customer
from custgraph.schema.query import Query


def build_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(query=Query, types=[Customer])


schema = build_schema()
