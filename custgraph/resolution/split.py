"""Undo merges (``split_customer``) or take records out of a customer (``split_records``).

Either way the parts are remembered as SEPARATE decisions between every record of one part and
every record of another, so a later re-resolution of any of them (a re-import with changes) keeps
them apart: the engine refuses to place a record with a customer holding a record it was
SEPARATEd from, and never merges two customers across such a pair. That is |A| x |B| items for
parts A and B, fine for customers of a few dozen records, which is what duplicates look like.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import merges as merge_repo
from custgraph.graph.repositories import review as review_repo
from custgraph.graph.repositories.merges import Attached, MergeEventNode
from custgraph.graph.repositories.resolution import allocate_customer_ids
from custgraph.matching.rules import Rules
from custgraph.pipeline import carry
from custgraph.resolution.changes import Change, refresh
from custgraph.resolution.errors import InvalidRequest
from custgraph.resolution.merge import live


def cross_pairs(parts: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    """Every (record of one part, record of another part)."""
    # combinations over the handful of parts, not over records: the pairs are exactly the output
    return [(a, b) for p, q in combinations(sorted(parts), 2) for a in parts[p] for b in parts[q]]


async def _separate(graph: Graph, parts: Mapping[str, Sequence[str]], event: MergeEventNode) -> int:
    pairs = cross_pairs(parts)
    await review_repo.set_decisions(
        graph,
        pairs,
        "SEPARATE",
        by=event.by,
        at=event.at,
        note=event.note,
        origin="split",
        event_id=event.id,
        ip=event.ip,
    )
    return len(pairs)


async def move_out(
    graph: Graph,
    customer_id: str,
    uids: Sequence[str],
    *,
    by: str,
    rules: Rules,
    reason: str,
    note: str | None = None,
    separate_from: Sequence[str] = (),
    review_key: str | None = None,
    ip: str | None = None,
) -> Change:
    """Move ``uids`` (all attached to ``customer_id``) to one new customer.

    SEPARATE decisions are written between the moved records and ``separate_from``.
    """
    new_id = (await allocate_customer_ids(graph, 1, [await merge_repo.industry_of(graph, customer_id)]))[0]
    at = merge_repo.now()
    moving = set(uids)
    prior = {r.uid: r.moved_path for r in await merge_repo.attached(graph, customer_id) if r.uid in moving}
    prior_paths = {uid: path for uid, path in prior.items() if path}
    event = MergeEventNode(
        id=await merge_repo.new_event_id(graph),
        kind="split",
        at=at,
        by=by,
        ip=ip,
        reason=reason,
        note=note,
        survivor=customer_id,
        created=[new_id],
        record_uids=sorted(uids),
        review_key=review_key,
        prior_paths_json=json.dumps(prior_paths, ensure_ascii=False) if prior_paths else None,
    )
    await merge_repo.create_customer(graph, new_id, at=at, by=by, split_from=customer_id)
    await merge_repo.save_event(graph, event)
    separated = 0
    if separate_from:
        parts = {customer_id: list(separate_from), new_id: list(uids)}
        separated = await _separate(graph, parts, event)
    # the records leave their merge history behind: the new customer was never merged into
    props = {
        "moved_from": None,
        "moved_path": None,
        "split_from": customer_id,
        "at": at,
        "by": by,
        "event_id": event.id,
    }
    rows = [{"uid": u, "from": customer_id, "to": new_id, "props": props} for u in uids]
    await merge_repo.move_records(graph, rows)
    await refresh(graph, [customer_id, new_id], rules, shrunk=[customer_id])
    message = f"moved {len(uids)} record(s) from {customer_id} to {new_id}"
    return Change("split", [customer_id, new_id], event, message=message, separated_pairs=separated)


async def split_records(
    graph: Graph,
    customer_id: str,
    uids: Sequence[str],
    *,
    by: str,
    rules: Rules,
    note: str | None = None,
    ip: str | None = None,
) -> Change:
    """Move these records of a customer to a new customer, kept apart from the rest from now on."""
    wanted = sorted(set(uids))
    if not wanted:
        raise InvalidRequest("name at least one record to split out", field="uids")
    await live(graph, customer_id)
    attached = {r.uid for r in await merge_repo.attached(graph, customer_id)}
    strangers = [u for u in wanted if u not in attached]
    if strangers:
        raise InvalidRequest(f"not records of {customer_id}: {', '.join(strangers)}", field="uids")
    rest = sorted(attached - set(wanted))
    if not rest:
        message = f"these are all the records of {customer_id}; nothing would stay behind"
        raise InvalidRequest(message, field="uids")
    return await move_out(
        graph, customer_id, wanted, by=by, rules=rules, reason="split", note=note, separate_from=rest, ip=ip
    )


def _returning(records: Sequence[Attached], absorbed: set[str]) -> tuple[dict[str, list[Attached]], list[str]]:
    """Records whose last move came from an absorbed customer go back there; the rest stay."""
    back: dict[str, list[Attached]] = defaultdict(list)
    stay: list[str] = []
    for rec in records:
        last = rec.moved_path[-1] if rec.moved_path else None
        if last in absorbed:
            back[last].append(rec)
        else:
            stay.append(rec.uid)
    return dict(back), stay


async def split_customer(
    graph: Graph, customer_id: str, *, by: str, rules: Rules, note: str | None = None, ip: str | None = None
) -> Change:
    """Undo the merges into this customer: each absorbed customer comes back with its records.

    One level at a time: a customer absorbed earlier by one that is now revived stays merged into
    it (split that one next). An absorbed customer none of whose records are still here (they were
    re-resolved elsewhere since) stays a pointer: reviving it would leave an empty customer.
    """
    await live(graph, customer_id)
    absorbed = {a.id for a in await merge_repo.absorbed_into(graph, customer_id)}
    if not absorbed:
        message = f"nothing was merged into {customer_id}; use splitRecords to take records out"
        raise InvalidRequest(message, field="id")
    back, stay = _returning(await merge_repo.attached(graph, customer_id), absorbed)
    if not back:
        froms = ", ".join(sorted(absorbed))
        message = f"the records merged into {customer_id} from {froms} have moved on since"
        raise InvalidRequest(message, field="id")
    revived = sorted(back)
    at = merge_repo.now()
    moved = sorted(r.uid for recs in back.values() for r in recs)
    event = MergeEventNode(
        id=await merge_repo.new_event_id(graph),
        kind="unmerge",
        at=at,
        by=by,
        ip=ip,
        reason="split",
        note=note,
        survivor=customer_id,
        absorbed=revived,
        record_uids=moved,
    )
    await merge_repo.save_event(graph, event)
    await merge_repo.revive(graph, survivor=customer_id, absorbed=revived, at=at, by=by)
    rows = []
    for target, recs in back.items():
        for rec in recs:
            path = rec.moved_path[:-1]
            props = {
                "moved_from": path[-1] if path else None,
                "moved_path": path or None,
                "at": at,
                "by": by,
                "event_id": event.id,
                "split_from": customer_id,
            }
            rows.append({"uid": rec.uid, "from": customer_id, "to": target, "props": props})
    await merge_repo.move_records(graph, rows)
    await carry.return_to_revived(graph, customer_id, revived)
    parts = {customer_id: stay, **{cid: [r.uid for r in recs] for cid, recs in back.items()}}
    separated = await _separate(graph, parts, event)
    undone = await merge_repo.open_merge_events(graph, customer_id, revived)
    await merge_repo.mark_undone(graph, undone, at=at, by=by, undone_by_event=event.id)
    await refresh(graph, [customer_id, *revived], rules, shrunk=[customer_id, *revived])
    left = sorted(absorbed - set(back))
    notes = [f"{cid} stays merged: none of its records are here any more" for cid in left]
    return Change(
        "unmerge",
        [customer_id, *revived],
        event,
        message=f"split {customer_id}: {', '.join(revived)} restored",
        separated_pairs=separated,
        notes=notes,
    )
