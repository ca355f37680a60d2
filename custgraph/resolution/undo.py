"""A steward takes back their last decision on a review pair.

The customers return to how they were before the decision, the decision is forgotten (no later
resolution applies it) and the pair is open in the queue again (or, when the decision replaced an
earlier one on the same pair, that earlier one holds again):

- a MERGE that merged two customers: the absorbed customer is revived with the records, orders and
  interactions that came with it, and the SEPARATE decisions the merge lifted hold again;
- a SEPARATE that moved a record out to a new customer: the record goes back, with the merge
  history it had, and the new customer becomes a pointer to the old one (ids never vanish);
- a decision that moved nothing (already one customer, already apart, a record unplaced): reopened.

Only the latest state of the customers can be rewound: if anything acted on them since (another
decision, merge or split), the undo is refused and names it, so nothing that depends on the
decision is torn apart silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import merges as merge_repo
from custgraph.graph.repositories import profiles as profile_repo
from custgraph.graph.repositories import review as review_repo
from custgraph.graph.repositories.merges import EventKind, MergeEventNode
from custgraph.graph.repositories.resolution import pair_key
from custgraph.matching.rules import Rules
from custgraph.pipeline import carry
from custgraph.resolution.changes import Change, refresh
from custgraph.resolution.decide import Decided
from custgraph.resolution.errors import InvalidRequest, NotFound

UNDO = "undo"  # the reason of the events an undo writes
NOTHING_MOVED = "the decision had moved no record; the pair is open again"


def _event_number(event_id: str) -> int:
    return int(event_id.removeprefix(merge_repo.EVENT_PREFIX) or 0)


async def _refuse_later_actions(graph: Graph, event: MergeEventNode, customer_ids: Sequence[str]) -> None:
    """Refuse when a steward action newer than ``event`` still stands on one of these customers."""
    later: set[str] = set()
    for cid in customer_ids:
        for other in await merge_repo.events_of(graph, cid):
            # an undo only takes a later action back (that one is marked undone): nothing built on ours
            standing = other.undone_at is None and other.reason != UNDO
            if standing and _event_number(other.id) > _event_number(event.id):
                later.add(f"{other.id} ({other.kind} of {other.survivor})")
    if later:
        message = f"{', '.join(sorted(later))} changed these customers since; undo that first"
        raise InvalidRequest(message, field="key")


async def _undo_merge(
    graph: Graph, event: MergeEventNode, *, by: str, rules: Rules, note: str | None, ip: str | None
) -> Change:
    survivor, absorbed = event.survivor or "", event.absorbed[0]
    state = await merge_repo.merged_into(graph, [survivor, absorbed])
    if state.get(survivor):
        raise InvalidRequest(f"{survivor} was merged into {state[survivor]} since; undo that first", field="key")
    if state.get(absorbed) != survivor:
        raise InvalidRequest(f"{absorbed} is no longer merged into {survivor}", field="key")
    await _refuse_later_actions(graph, event, [survivor, absorbed])
    records = await merge_repo.attached(graph, survivor)
    returning = [r for r in records if r.uid in event.record_uids and r.moved_path[-1:] == [absorbed]]
    if {r.uid for r in returning} != set(event.record_uids):
        gone = sorted(set(event.record_uids) - {r.uid for r in returning})
        raise InvalidRequest(f"records of the merge have moved since: {', '.join(gone)}", field="key")
    at = merge_repo.now()
    undo = await _save_undo_event(
        graph, event, "unmerge", survivor, absorbed, event.record_uids, at=at, by=by, ip=ip, note=note
    )
    await merge_repo.revive(graph, survivor=survivor, absorbed=[absorbed], at=at, by=by)
    rows = [_move(rec.uid, rec.moved_path[:-1], survivor, absorbed, undo) for rec in returning]
    await merge_repo.move_records(graph, rows)
    await carry.return_to_revived(graph, survivor, [absorbed])
    kept = [r.uid for r in records if r.uid not in event.record_uids]
    keys = [pair_key(a, b) for a in kept for b in event.record_uids]
    restored = await review_repo.restore_lifted(graph, keys, event_id=event.id, at=at) if keys else 0
    await merge_repo.mark_undone(graph, [event.id], at=at, by=by, undone_by_event=undo.id)
    await refresh(graph, [survivor, absorbed], rules, shrunk=[survivor, absorbed])
    notes = [f"{restored} SEPARATE decision(s) the merge had lifted hold again"] if restored else []
    message = f"undid merge {event.id}: {absorbed} restored beside {survivor}"
    return Change("unmerge", [survivor, absorbed], undo, message=message, notes=notes)


async def _save_undo_event(
    graph: Graph,
    event: MergeEventNode,
    kind: EventKind,
    survivor: str,
    absorbed: str,
    record_uids: Iterable[str],
    *,
    at: str,
    by: str,
    ip: str | None,
    note: str | None,
) -> MergeEventNode:
    """The steward event that undoes ``event``, saved: the records it moves between two customers."""
    undo = MergeEventNode(
        id=await merge_repo.new_event_id(graph),
        kind=kind,
        at=at,
        by=by,
        ip=ip,
        reason=UNDO,
        note=note,
        survivor=survivor,
        absorbed=[absorbed],
        record_uids=sorted(record_uids),
        review_key=event.review_key,
    )
    await merge_repo.save_event(graph, undo)
    return undo


def _move(uid: str, path: list[str], source: str, target: str, undo: MergeEventNode) -> dict[str, Any]:
    """A record moved back by ``undo``, its merge history set to ``path`` (a move row for ``move_records``)."""
    props = {
        "moved_from": path[-1] if path else None,
        "moved_path": path or None,
        "split_from": None,
        "at": undo.at,
        "by": undo.by,
        "event_id": undo.id,
    }
    return {"uid": uid, "from": source, "to": target, "props": props}


async def _undo_split(
    graph: Graph, event: MergeEventNode, *, by: str, rules: Rules, note: str | None, ip: str | None
) -> Change:
    origin, created = event.survivor or "", event.created[0]
    state = await merge_repo.merged_into(graph, [origin, created])
    for cid in (origin, created):
        if state.get(cid):
            raise InvalidRequest(f"{cid} was merged into {state[cid]} since; undo that first", field="key")
    await _refuse_later_actions(graph, event, [origin, created])
    records = {r.uid for r in await merge_repo.attached(graph, created)}
    if records != set(event.record_uids):
        message = f"{created} no longer holds exactly the records the decision moved out of {origin}"
        raise InvalidRequest(message, field="key")
    prior: dict[str, list[str]] = json.loads(event.prior_paths_json or "{}")
    at = merge_repo.now()
    undo = await _save_undo_event(graph, event, "merge", origin, created, records, at=at, by=by, ip=ip, note=note)
    # the split's customer stays as a pointer to the one it came from: whoever noted its id finds it
    await merge_repo.mark_merged(graph, survivor=origin, absorbed=created, at=at, by=by, reason=UNDO, event_id=undo.id)
    rows = [_move(uid, prior.get(uid) or [], created, origin, undo) for uid in sorted(records)]
    await merge_repo.move_records(graph, rows)
    await carry.carry_to_survivors(graph, [(origin, created)])  # anything people set on it since
    await profile_repo.drop_derived(graph, [created])
    await merge_repo.mark_undone(graph, [event.id], at=at, by=by, undone_by_event=undo.id)
    await refresh(graph, [origin], rules)
    message = f"undid split {event.id}: {', '.join(sorted(records))} back in {origin}"
    return Change("merge", [origin], undo, message=message)


async def _reverse(
    graph: Graph, event: MergeEventNode | None, *, by: str, rules: Rules, note: str | None, ip: str | None
) -> Change:
    if event is None:
        return Change("none", [], message=NOTHING_MOVED)
    if event.undone_event:
        raise InvalidRequest(f"{event.id} was already undone by {event.undone_event}", field="key")
    if event.kind == "merge" and event.absorbed:
        return await _undo_merge(graph, event, by=by, rules=rules, note=note, ip=ip)
    if event.kind == "split" and event.created:
        return await _undo_split(graph, event, by=by, rules=rules, note=note, ip=ip)
    raise InvalidRequest(f"{event.id} ({event.kind}) is not a review decision's change", field="key")


async def undo_review_decision(
    graph: Graph, key: str, *, by: str, rules: Rules, note: str | None = None, ip: str | None = None
) -> Decided:
    """Revert the decision on review item ``key``: customers as before it, the item too (open again,
    unless it undoes a second decision: then the first one holds again)."""
    item = (await review_repo.get_items(graph, [key])).get(key)
    if item is None:
        raise NotFound(f"no review item {key}", id=key, field="key")
    if item.status != "decided" or item.decision is None:
        raise InvalidRequest(f"review item {key} is {item.status}: there is no decision to undo", field="key")
    event = await merge_repo.get_event(graph, item.event_id) if item.event_id else None
    if event is not None and event.review_key != key:
        # the pair's SEPARATE was written by a split of a whole customer, not decided on this item
        raise InvalidRequest(f"the decision on {key} came from {event.kind} {event.id}, not from a review", field="key")
    change = await _reverse(graph, event, by=by, rules=rules, note=note, ip=ip)
    # rewound last: a failure above leaves the decision in place, and undoing again finishes the job
    await review_repo.rewind(graph, item, by=by, at=merge_repo.now(), note=note, ip=ip)
    return Decided((await review_repo.get_items(graph, [key]))[key], change)
