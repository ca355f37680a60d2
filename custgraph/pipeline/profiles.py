"""Golden profiles and search keys of customers, recomputed from their resolved records.

Called after every resolution (pipeline.resolve) and every steward action (resolution/changes.py).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import added_events as added_repo
from custgraph.graph.repositories import profiles as profile_repo
from custgraph.graph.repositories import resolution as repo
from custgraph.graph.repositories.search_index import MergedKeys, index_customers
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules
from custgraph.matching.standardize import company_key
from custgraph.matching.survivorship import survivors
from custgraph.pipeline.golden import AddedEvent, aggregate

ORIGIN = "resolution"  # Customer.origin of the customers resolution makes


def to_match_record(row: dict[str, Any]) -> MatchRecord:
    return MatchRecord(
        uid=row["uid"],
        source=row["source"],
        fields=json.loads(row["fields_json"] or "{}"),
        customer_id=row.get("customer_id"),
        seq=int(row.get("seq") or 0),
    )


def consent_of(survived: Mapping[str, tuple[Any, str]], records: Sequence[MatchRecord]) -> dict[str, Any]:
    """Marketing consent with its provenance: the surviving yes/no, the source of the record that said
    it and that record's consent date (never a date from another record)."""
    if "consent_marketing" not in survived:
        return {"consent_marketing": None, "consent_source": None, "consent_date": None}
    value, uid = survived["consent_marketing"]
    record = next(r for r in records if r.uid == uid)
    return {
        "consent_marketing": value,
        "consent_source": record.source,
        "consent_date": record.fields.get("consent_date"),
    }


def profile_of(
    customer_id: str,
    records: Sequence[tuple[MatchRecord, str]],
    rules: Rules,
    manual: Mapping[str, Any],
    added: Sequence[AddedEvent] = (),
) -> profile_repo.CustomerProfile:
    """The golden profile of one customer from all its records ((record, kind) pairs), the orders and
    interactions people added through the API (``added``: they count in the sums and dates), and the
    values people set through the API, which win over what the records say until they change it again."""
    survived = survivors([r for r, _ in records], rules)
    golden = {name: value for name, (value, _) in survived.items()}
    fields = [(r.uid, kind or "customers", dict(r.fields)) for r, kind in records]
    props, links = aggregate(golden, fields, added)
    props.update(consent_of(survived, [r for r, _ in records]))
    # None removes a golden value that no remaining record supports any more (SET c += props)
    props["record_count"] = len(records)
    props.update(manual)
    company = None
    if "company" not in manual and links.company and (key := company_key(links.company)):
        company = {
            "key": key,
            "name": links.company,
            "credit_code": golden.get("credit_code"),
            "industry": golden.get("industry"),
        }
    return profile_repo.CustomerProfile(
        id=customer_id,
        props=props,
        company=company,
        owners=sorted(links.owners),
        channels=sorted(links.channels),
        tags=sorted(links.tags),
        orders=links.orders,
        interactions=links.interactions,
        contacts=links.contacts,
    )


async def refresh_profiles(graph: Graph, customer_ids: Sequence[str], rules: Rules) -> None:
    """Recompute the golden profile of these customers from all their records, read from the graph."""
    if not customer_ids:
        return
    by_customer: dict[str, list[tuple[MatchRecord, str]]] = defaultdict(list)
    for row in await repo.records_of_customers(graph, customer_ids):
        by_customer[row["customer_id"]].append((to_match_record(row), row.get("kind") or "customers"))
    overrides = await profile_repo.manual_overrides(graph, customer_ids)
    added: dict[str, list[AddedEvent]] = defaultdict(list)
    for row in await added_repo.added_events(graph, customer_ids):
        added[row["id"]].append(AddedEvent(kind=row["kind"], date=row["date"], amount=row["amount"]))
    profiles = [
        profile_of(cid, by_customer[cid], rules, overrides.get(cid, {}), added.get(cid, ()))
        for cid in customer_ids
        if by_customer.get(cid)
    ]
    await profile_repo.write_profiles(graph, profiles)
    await index_customers(graph, [p.id for p in profiles])


async def create_profiles(
    graph: Graph,
    members: Mapping[str, Sequence[tuple[MatchRecord, str]]],
    rules: Rules,
    merged_keys: MergedKeys | None = None,
) -> None:
    """Customers new in this batch: their profiles come from the records in hand, nothing is read back."""
    profiles = [profile_of(cid, records, rules, {}) for cid, records in sorted(members.items())]
    await profile_repo.create_customers(graph, profiles, origin=ORIGIN, merged_keys=merged_keys)
