"""A steward decides a review pair: MERGE or SEPARATE, recorded (who, when, note) and applied.

MERGE: the two records' customers become one (the older id survives). SEPARATE: if the records
are in one customer already, the later one (by arrival) moves out to a new customer. Either way
the decision stays on the ReviewItem, so the pair never returns to the queue and every later
resolution honours it (``decisions_for`` feeds it to the engine).

A record in the unmatched pool has no customer to act on: the decision is recorded and applies
when that record is resolved again.
"""

from __future__ import annotations

from dataclasses import dataclass

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import merges as merge_repo
from custgraph.graph.repositories import review as review_repo
from custgraph.graph.repositories.review import Decision, ReviewItemNode
from custgraph.matching.rules import Rules
from custgraph.resolution.changes import Change
from custgraph.resolution.errors import InvalidRequest, NotFound
from custgraph.resolution.merge import merge_customers
from custgraph.resolution.split import move_out

DECISIONS: tuple[Decision, ...] = ("MERGE", "SEPARATE")
UNPLACED = "a record of the pair is in the unmatched pool; the decision applies when it is resolved"


@dataclass
class Decided:
    item: ReviewItemNode
    change: Change


async def decide_review(
    graph: Graph,
    key: str,
    decision: str,
    *,
    by: str,
    rules: Rules,
    note: str | None = None,
    ip: str | None = None,
) -> Decided:
    if decision not in DECISIONS:
        raise InvalidRequest(f"decision must be MERGE or SEPARATE, not {decision!r}", field="decision")
    item = (await review_repo.get_items(graph, [key])).get(key)
    if item is None:
        raise NotFound(f"no review item {key}", id=key, field="key")
    placed = await merge_repo.placement(graph, [item.uid_a, item.uid_b])
    a, b = placed.get(item.uid_a), placed.get(item.uid_b)
    if a is None or b is None:
        raise NotFound(f"review item {key} names a record that no longer exists", id=key, field="key")
    if a.customer_id is None or b.customer_id is None:
        change = Change("none", [c for c in (a.customer_id, b.customer_id) if c], message=UNPLACED)
    elif decision == "MERGE":
        change = await merge_customers(
            graph,
            a.customer_id,
            b.customer_id,
            by=by,
            rules=rules,
            reason="review",
            note=note,
            review_key=key,
            ip=ip,
        )
    elif a.customer_id == b.customer_id:
        later = max((a, b), key=lambda p: (p.seq, p.uid))
        change = await move_out(
            graph,
            later.customer_id or "",
            [later.uid],
            by=by,
            rules=rules,
            reason="review",
            note=note,
            review_key=key,
            ip=ip,
        )
    else:
        change = Change("none", [a.customer_id, b.customer_id], message="already in different customers")
    # recorded last: a failure above leaves the item open, and deciding it again finishes the job
    event_id = change.event.id if change.event else None
    await review_repo.set_decisions(
        graph,
        [(item.uid_a, item.uid_b)],
        decision,  # type: ignore[arg-type]  # checked above
        by=by,
        at=merge_repo.now(),
        note=note,
        origin="review",
        event_id=event_id,
        ip=ip,
    )
    updated = (await review_repo.get_items(graph, [key]))[key]
    return Decided(updated, change)
