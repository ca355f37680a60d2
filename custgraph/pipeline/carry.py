"""What people set on a customer by hand follows it through a merge, and comes back when the merge
is undone: orders and interactions added over the API, tags a person added or removed, owners a
person assigned, channels a person named (the edges of custgraph/graph/repositories/carried_edges.py).

On a merge the absorbed customer's edges move to the survivor, unless the survivor's own say wins:

- the survivor has the same edge (same type, same node): the survivor's stays, the absorbed one's
  stays behind on the absorbed customer (a pointer now; it is there again if the merge is undone);
- a person's tag against a person's removal of the same tag (``TAGGED`` vs ``UNTAGGED``), or two
  people's tags in one exclusive dimension: the more recent ``at`` wins, the survivor's on a tie.
  A losing absorbed edge stays behind; a losing survivor edge is kept on the winner
  (``displaced_json``) and comes back when the merge is undone;
- the survivor's rule or record edge to the same node gives way to the person's.

Undoing a merge (a split, an undone review decision) sends back every edge whose last move came
from a revived customer and restores what those had displaced; what the survivor had, or got since,
stays. The classification and profile refresh that end every merge and split settle the rest.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from custgraph.classification import config
from custgraph.graph.connection import Graph
from custgraph.graph.repositories import carried_edges as repo
from custgraph.graph.repositories.carried_edges import PersonEdge

Slot = tuple[str, str]  # (relationship type, key of the node it points at)
Props = dict[str, Any]
Holdings = dict[str, dict[Slot, Props]]  # customer id -> its person-made edges
Exclusive = Callable[[str], bool]  # is this tag dimension exclusive?

OPPOSITE = {"TAGGED": "UNTAGGED", "UNTAGGED": "TAGGED"}


def _dimension(tag_key: str) -> str:
    return tag_key.split(":", 1)[0]


def _at(props: Props) -> str:
    return str(props.get("at") or "")


def _path(props: Props) -> list[str]:
    return list(props.get("moved_path") or [])


def _last_move(props: Props) -> str | None:
    """The customer the edge last moved from (None: it was made where it is)."""
    path = _path(props)
    return path[-1] if path else None


def _levels(props: Props, depth: int) -> list[list[dict[str, Any]]]:
    """What each move of the edge displaced, one list per ``moved_path`` element (older edges have none)."""
    levels = json.loads(props.get("displaced_json") or "[]")[-depth:] if depth else []
    return [[] for _ in range(depth - len(levels))] + levels


def _with(props: Props, path: list[str], levels: list[list[dict[str, Any]]]) -> Props:
    out = {k: v for k, v in props.items() if k not in ("moved_path", "displaced_json")}
    if path:
        out["moved_path"] = path
    if any(levels):
        out["displaced_json"] = json.dumps(levels, ensure_ascii=False, sort_keys=True)
    return out


def _rivals(held: dict[Slot, Props], slot: Slot, exclusive: Exclusive) -> list[Slot]:
    """The survivor's edges an incoming person's edge in ``slot`` must outrank to move in."""
    rel, target = slot
    rivals = [(OPPOSITE[rel], target)] if rel in OPPOSITE and (OPPOSITE[rel], target) in held else []
    if rel == "TAGGED" and exclusive(_dimension(target)):
        dimension = _dimension(target)
        rivals += [(r, t) for r, t in held if r == "TAGGED" and t != target and _dimension(t) == dimension]
    return sorted(rivals)


def carry(holdings: Holdings, merges: Sequence[tuple[str, str]], exclusive: Exclusive) -> Holdings:
    """The edges after each (survivor, absorbed) merge in turn (see the module's rules)."""
    out = copy.deepcopy(holdings)
    for survivor, absorbed in merges:
        if survivor == absorbed:
            continue
        held, mine = out.setdefault(survivor, {}), out.setdefault(absorbed, {})
        for slot in sorted(mine):
            if slot in held:
                continue
            props = mine[slot]
            rivals = _rivals(held, slot, exclusive)
            if any(_at(props) <= _at(held[rival]) for rival in rivals):
                continue
            displaced = [{"rel": r, "target": t, "props": held.pop((r, t))} for r, t in rivals]
            path = _path(props)
            del mine[slot]
            held[slot] = _with(props, [*path, absorbed], [*_levels(props, len(path)), displaced])
    return out


def give_back(holdings: Holdings, survivor: str, revived: Iterable[str]) -> Holdings:
    """The edges after the merges of ``revived`` into ``survivor`` are undone."""
    out = copy.deepcopy(holdings)
    back = set(revived)
    held = out.setdefault(survivor, {})
    returning = [(slot, props) for slot, props in sorted(held.items()) if _last_move(props) in back]
    for slot, _ in returning:
        del held[slot]
    for slot, props in returning:
        _send_back(out, survivor, back, slot, props)
    return out


def _send_back(out: Holdings, survivor: str, back: set[str], slot: Slot, props: Props) -> None:
    """Back to the customer it last moved from, and what its move displaced back where it was."""
    path = _path(props)
    levels = _levels(props, len(path))
    owner, displaced = path.pop(), levels.pop()
    out.setdefault(owner, {}).setdefault(slot, _with(props, path, levels))  # one edge per slot: the one there stays
    for entry in displaced:
        _restore(out, survivor, back, (entry["rel"], entry["target"]), entry["props"])


def _restore(out: Holdings, survivor: str, back: set[str], slot: Slot, props: Props) -> None:
    if _last_move(props) in back:  # it had itself come from a revived customer
        _send_back(out, survivor, back, slot, props)
    else:
        out[survivor].setdefault(slot, props)


def holdings(edges: Iterable[PersonEdge]) -> Holdings:
    out: Holdings = {}
    for edge in edges:
        out.setdefault(edge.customer, {})[(edge.rel, edge.target)] = edge.props
    return out


def changes(before: Holdings, after: Holdings) -> tuple[list[tuple[str, str, str]], list[PersonEdge]]:
    """The slots to empty and the edges to create to turn ``before`` into ``after``."""
    drop = [
        (cid, rel, target)
        for cid, slots in sorted(before.items())
        for (rel, target), props in sorted(slots.items())
        if after.get(cid, {}).get((rel, target)) != props
    ]
    put = [
        PersonEdge(customer=cid, rel=rel, target=target, props=props)
        for cid, slots in sorted(after.items())
        for (rel, target), props in sorted(slots.items())
        if before.get(cid, {}).get((rel, target)) != props
    ]
    return drop, put


async def _apply(graph: Graph, ids: Iterable[str], plan: Callable[[Holdings], Holdings]) -> None:
    before = holdings(await repo.person_edges(graph, ids))
    drop, put = changes(before, plan(before))
    await repo.rewrite(graph, drop, put)


async def carry_to_survivors(graph: Graph, merges: Sequence[tuple[str, str]]) -> None:
    """(survivor, absorbed): what people set on the absorbed customer goes to the survivor."""
    merges = [(s, a) for s, a in merges if s != a]
    if merges:
        exclusive = config.current().library.exclusive
        await _apply(graph, {c for pair in merges for c in pair}, lambda h: carry(h, merges, exclusive))


async def return_to_revived(graph: Graph, survivor: str, revived: Sequence[str]) -> None:
    """Merges into ``survivor`` were undone: what came from each revived customer goes back to it."""
    if revived:
        await _apply(graph, [survivor, *revived], lambda h: give_back(h, survivor, revived))
