"""Reading golden customers and what hangs off them."""

from __future__ import annotations

from custgraph.graph.connection import Graph
from custgraph.graph.models import (
    ChannelNode,
    CompanyNode,
    CustomerNode,
    OwnerNode,
    SourceRecordNode,
    TagNode,
)

MAX_MERGE_HOPS = 20

GET_CUSTOMER = "MATCH (c:Customer {id: $id}) RETURN properties(c) AS props"

RECORDS_OF = """
MATCH (s:SourceRecord)-[r:RESOLVED_TO]->(c:Customer {id: $id})
RETURN properties(s) AS props ORDER BY s.source, s.source_key
"""

COMPANY_OF = "MATCH (:Customer {id: $id})-[:WORKS_AT]->(co:Company) RETURN properties(co) AS props LIMIT 1"
TAGS_OF = "MATCH (:Customer {id: $id})-[:TAGGED]->(t:Tag) RETURN properties(t) AS props ORDER BY t.key"
OWNERS_OF = "MATCH (:Customer {id: $id})-[:OWNED_BY]->(o:Owner) RETURN properties(o) AS props ORDER BY o.name"
CHANNELS_OF = "MATCH (:Customer {id: $id})-[:CAME_FROM]->(ch:Channel) RETURN properties(ch) AS props ORDER BY ch.name"


async def get_customer(graph: Graph, customer_id: str) -> CustomerNode | None:
    """The customer with this id; an id merged away resolves to the customer that absorbed it."""
    current = customer_id
    for _ in range(MAX_MERGE_HOPS):
        rows = await graph.read(GET_CUSTOMER, id=current)
        if not rows:
            return None
        customer = CustomerNode.model_validate(rows[0]["props"])
        if not customer.merged_into:
            return customer
        current = customer.merged_into
    raise RuntimeError(f"merge chain from {customer_id} is longer than {MAX_MERGE_HOPS}")


async def source_records(graph: Graph, customer_id: str) -> list[SourceRecordNode]:
    rows = await graph.read(RECORDS_OF, id=customer_id)
    return [SourceRecordNode.model_validate(row["props"]) for row in rows]


async def company_of(graph: Graph, customer_id: str) -> CompanyNode | None:
    rows = await graph.read(COMPANY_OF, id=customer_id)
    return CompanyNode.model_validate(rows[0]["props"]) if rows else None


async def tags_of(graph: Graph, customer_id: str) -> list[TagNode]:
    return [TagNode.model_validate(r["props"]) for r in await graph.read(TAGS_OF, id=customer_id)]


async def owners_of(graph: Graph, customer_id: str) -> list[OwnerNode]:
    return [OwnerNode.model_validate(r["props"]) for r in await graph.read(OWNERS_OF, id=customer_id)]


async def channels_of(graph: Graph, customer_id: str) -> list[ChannelNode]:
    return [ChannelNode.model_validate(r["props"]) for r in await graph.read(CHANNELS_OF, id=customer_id)]
