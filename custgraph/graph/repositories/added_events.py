"""Orders and interactions people added through the API (``addOrder`` / ``addInteraction``).

They hang off the customer by an edge with ``derived = false`` (customer_writes.py) and belong to no
source record. So that re-resolution loses neither them nor what they add up to:

- the golden profile reads them back and adds them to the record-based sums and dates
  (``added_events``; pipeline/golden.py);
- a merge moves them to the surviving customer, pushing the absorbed id on the edge's
  ``moved_path`` as a merge does for records, and undoing that merge (a split) pops the id and moves
  them back, with the other edges people made (custgraph/pipeline/carry.py, carried_edges.py).

Taking single records out of a customer (``splitRecords``) leaves them where they are: they were
added to the customer, not to one of its records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from custgraph.graph.connection import Graph

ADDED = (("PLACED", "Order", "order_date", "amount"), ("HAD", "Interaction", "interaction_date", "null"))


def _read(rel: str, label: str, date: str, amount: str) -> str:
    # rel, label and the property names are constants of this module
    return (
        f"UNWIND $ids AS id MATCH (:Customer {{id: id}})-[r:{rel}]->(x:{label}) WHERE r.derived = false "
        f"RETURN id, '{label.lower()}' AS kind, x.{date} AS date, "
        f"{'x.' + amount if amount != 'null' else 'null'} AS amount"
    )


READS = [_read(*spec) for spec in ADDED]


async def added_events(graph: Graph, customer_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Rows {id, kind (order | interaction), date, amount} of what people added to these customers."""
    ids = sorted(set(customer_ids))
    if not ids:
        return []
    return [row for query in READS for row in await graph.read(query, ids=ids)]
