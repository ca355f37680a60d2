"""Reading one golden customer by id. Its edges are read in batches by customer_edges.py (DataLoaders)."""

from __future__ import annotations

from custgraph.graph.connection import Graph
from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories.scope import Scope

MAX_MERGE_HOPS = 20

# A merged-away id is followed whatever the scope; the live customer it ends at only within it.
GET_CUSTOMER = "MATCH (c:Customer {{id: $id}}) WHERE c.merged_into IS NOT NULL OR {scope} RETURN properties(c) AS props"


async def get_customer(graph: Graph, customer_id: str, *, scope: Scope) -> CustomerNode | None:
    """The customer with this id; an id merged away resolves to the customer that absorbed it.

    None when there is none, or when ``scope`` does not see it: the two answer alike.
    """
    query = GET_CUSTOMER.format(scope=scope.predicate("c"))
    current = customer_id
    for _ in range(MAX_MERGE_HOPS):
        rows = await graph.read(query, id=current, **scope.params())
        if not rows:
            return None
        customer = CustomerNode.model_validate(rows[0]["props"])
        if not customer.merged_into:
            return customer
        current = customer.merged_into
    raise RuntimeError(f"merge chain from {customer_id} is longer than {MAX_MERGE_HOPS}")
