"""Golden profiles and search keys of customers, recomputed from their resolved records.

Called after every resolution (pipeline.resolve) and every steward action (resolution/changes.py).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import profiles as profile_repo
from custgraph.graph.repositories import resolution as repo
from custgraph.graph.repositories.search_index import index_customers
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules
from custgraph.matching.survivorship import golden_record
from custgraph.pipeline.golden import aggregate


def to_match_record(row: dict[str, Any]) -> MatchRecord:
    return MatchRecord(
        uid=row["uid"],
        source=row["source"],
        fields=json.loads(row["fields_json"] or "{}"),
        customer_id=row.get("customer_id"),
        seq=int(row.get("seq") or 0),
    )


async def refresh_profiles(graph: Graph, customer_ids: Sequence[str], rules: Rules) -> None:
    """Recompute the golden profile of these customers from all their records."""
    from custgraph.matching.standardize import company_key

    if not customer_ids:
        return
    by_customer: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in await repo.records_of_customers(graph, customer_ids):
        by_customer[row["customer_id"]].append(row)
    overrides = await profile_repo.manual_overrides(graph, customer_ids)
    profiles = []
    for cid in customer_ids:
        rows = by_customer.get(cid, [])
        if not rows:
            continue
        records = [to_match_record(r) for r in rows]
        golden = golden_record(records, rules)
        props, links = aggregate(
            golden,
            [(r.uid, row.get("kind") or "customers", dict(r.fields)) for r, row in zip(records, rows, strict=True)],
        )
        # None removes a golden value that no remaining record supports any more (SET c += props)
        props["record_count"] = len(rows)
        # what people set through the API wins over what the records say, until they change it again
        manual = overrides.get(cid, {})
        props.update(manual)
        company = None
        if "company" not in manual and links.company and (key := company_key(links.company)):
            company = {
                "key": key,
                "name": links.company,
                "credit_code": golden.get("credit_code"),
                "industry": golden.get("industry"),
            }
        profiles.append(
            profile_repo.CustomerProfile(
                id=cid,
                props=props,
                company=company,
                owners=sorted(links.owners),
                channels=sorted(links.channels),
                tags=sorted(links.tags),
                orders=links.orders,
                interactions=links.interactions,
            )
        )
    await profile_repo.write_profiles(graph, profiles)
    await index_customers(graph, [p.id for p in profiles])
