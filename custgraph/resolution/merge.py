"""A steward merges two customers: the older id survives, the other becomes a pointer to it."""

from __future__ import annotations

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import merges as merge_repo
from custgraph.graph.repositories import profiles as profile_repo
from custgraph.graph.repositories import review as review_repo
from custgraph.graph.repositories.merges import MergeEventNode
from custgraph.graph.repositories.resolution import pair_key
from custgraph.matching.clustering import age_key
from custgraph.matching.rules import Rules
from custgraph.pipeline import carry
from custgraph.resolution.changes import Change, refresh
from custgraph.resolution.errors import InvalidRequest, NotFound


async def live(graph: Graph, *customer_ids: str) -> None:
    """Refuse ids that don't exist or were merged away (acting on a pointer would fork history)."""
    state = await merge_repo.merged_into(graph, customer_ids)
    for cid in customer_ids:
        if cid not in state:
            raise NotFound(f"no customer {cid}", id=cid, field="id")
        if state[cid]:
            survivor = state[cid]
            raise InvalidRequest(f"{cid} was merged into {survivor}; act on {survivor} instead", field="id")


async def merge_customers(
    graph: Graph,
    first: str,
    second: str,
    *,
    by: str,
    rules: Rules,
    reason: str = "review",
    note: str | None = None,
    review_key: str | None = None,
    ip: str | None = None,
) -> Change:
    """Fold the newer of two live customers into the older one, moving its records."""
    await live(graph, first, second)
    if first == second:
        return Change("none", [first], message=f"already one customer {first}")
    survivor, absorbed = sorted((first, second), key=age_key)
    kept = await merge_repo.attached(graph, survivor)
    moving = await merge_repo.attached(graph, absorbed)
    at = merge_repo.now()
    event = MergeEventNode(
        id=await merge_repo.new_event_id(graph),
        kind="merge",
        at=at,
        by=by,
        ip=ip,
        reason=reason,
        note=note,
        survivor=survivor,
        absorbed=[absorbed],
        record_uids=[r.uid for r in moving],
        review_key=review_key,
    )
    # A person saying "one customer" overrides earlier SEPARATE decisions between the two: lift
    # them, or re-resolving one of those records would tear the customer apart again.
    keys = [pair_key(a.uid, b.uid) for a in kept for b in moving]
    separated = await review_repo.separated_keys(graph, keys) if keys else []
    await review_repo.set_decisions(
        graph,
        separated,
        None,
        by=by,
        at=at,
        note=f"lifted by merge {event.id}",
        origin="merge",
        event_id=event.id,
        ip=ip,
    )
    await merge_repo.save_event(graph, event)
    await merge_repo.mark_merged(
        graph, survivor=survivor, absorbed=absorbed, at=at, by=by, reason=reason, event_id=event.id
    )
    await merge_repo.move_records(
        graph,
        [
            {
                "uid": r.uid,
                "from": absorbed,
                "to": survivor,
                "props": {
                    "moved_from": absorbed,
                    "moved_path": [*r.moved_path, absorbed],
                    "at": at,
                    "by": by,
                    "event_id": event.id,
                    "split_from": None,
                },
            }
            for r in moving
        ],
    )
    await carry.carry_to_survivors(graph, [(survivor, absorbed)])  # what people set by hand
    await profile_repo.drop_derived(graph, [absorbed])
    await refresh(graph, [survivor], rules)
    return Change("merge", [survivor], event, message=f"merged {absorbed} into {survivor}", lifted_pairs=len(separated))
