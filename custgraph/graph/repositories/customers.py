"""Reading one golden customer by id. Its edges are read in batches by customer_edges.py (DataLoaders)."""

from __future__ import annotations

from custgraph.graph.connection import Graph
from custgraph.graph.models import CustomerNode

MAX_MERGE_HOPS = 20

GET_CUSTOMER = "MATCH (c:Customer {id: $id}) RETURN properties(c) AS props"


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
