"""Review items: the pairs the matcher was unsure about, and the decisions people take on them.

An item is ``open`` until someone decides it (``decided``, with ``decision`` MERGE or SEPARATE,
``decided_by``, ``decided_at``, ``note``). The matcher only ever creates items (``ON CREATE``), so
a decided pair never returns to the queue, and ``decisions_for`` (resolution.py) feeds the
decision back into every later resolution. A decision that a later steward action contradicts is
``lifted``: its decision is cleared and the pair goes back to the matcher's judgement. Earlier
states are kept in ``history_json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, model_validator

from custgraph import crypto
from custgraph.graph.connection import Graph
from custgraph.graph.models import SourceRecordNode
from custgraph.graph.repositories.resolution import pair_key
from custgraph.graph.repositories.scope import Scope

Status = Literal["open", "decided", "lifted"]
Decision = Literal["MERGE", "SEPARATE"]


class ReviewItemNode(BaseModel):
    key: str
    uid_a: str
    uid_b: str
    score: float | None = None
    evidence_json: str | None = None
    evidence_uid: str | None = None  # the record whose values are value_a in the evidence
    status: str = "open"
    decision: str | None = None
    decided_by: str | None = None
    decided_at: str | None = None
    decided_ip: str | None = None
    note: str | None = None
    origin: str | None = None  # matcher (absent) | split | review
    event_id: str | None = None
    history_json: str | None = None
    times_flagged: int | None = None
    created_at: str | None = None
    updated_at: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _reveal(cls, data: Any) -> Any:
        # evidence compared encrypted values: decrypted where it is read (graph/models.py)
        return crypto.current().reveal_props(data) if isinstance(data, dict) else data

    @property
    def history(self) -> list[dict[str, Any]]:
        return list(json.loads(self.history_json or "[]"))


# An item is in a scope when the customers of both its records are: a manager never sees a pair that
# would show a record of another team's customer. Each record's RESOLVED_TO edge leads to its customer.
BOTH_IN_SCOPE = (
    "EXISTS {{ MATCH (:SourceRecord {{uid: r.uid_a}})-[:RESOLVED_TO]->(ca:Customer) WHERE {a} }} AND "
    "EXISTS {{ MATCH (:SourceRecord {{uid: r.uid_b}})-[:RESOLVED_TO]->(cb:Customer) WHERE {b} }}"
)


def in_scope(scope: Scope) -> list[str]:
    """The conditions keeping a review item `r` to ``scope`` (none for an admin)."""
    if scope.everything:
        return []
    return [BOTH_IN_SCOPE.format(a=scope.predicate("ca"), b=scope.predicate("cb"))]


def _where(status: str | None, after: tuple[float, str] | None, scope: Scope) -> str:
    clauses = in_scope(scope)
    if status is not None:
        clauses.append("r.status = $status")
    if after is not None:
        # keyset pagination over (score DESC, key ASC): stable while items are added or decided
        clauses.append(
            "(coalesce(r.score, 0.0) < $after_score OR (coalesce(r.score, 0.0) = $after_score AND r.key > $after_key))"
        )
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""


async def list_items(
    graph: Graph, *, status: str | None, first: int, scope: Scope, after: tuple[float, str] | None = None
) -> list[ReviewItemNode]:
    """Up to ``first`` items within ``scope``, highest score first, after the (score, key) cursor."""
    query = (
        f"MATCH (r:ReviewItem) {_where(status, after, scope)} "
        "RETURN properties(r) AS props ORDER BY coalesce(r.score, 0.0) DESC, r.key LIMIT $limit"
    )
    params: dict[str, Any] = {"status": status, "limit": first, **scope.params()}
    if after is not None:
        params.update(after_score=after[0], after_key=after[1])
    return [ReviewItemNode.model_validate(r["props"]) for r in await graph.read(query, **params)]


async def count_items(graph: Graph, status: str | None, *, scope: Scope) -> int:
    query = f"MATCH (r:ReviewItem) {_where(status, None, scope)} RETURN count(r) AS n"
    rows = await graph.read(query, status=status, **scope.params())
    return int(rows[0]["n"])


async def get_items(graph: Graph, keys: Sequence[str], *, scope: Scope | None = None) -> dict[str, ReviewItemNode]:
    """Items by key; with ``scope``, only those within it (None: the resolution's own reads)."""
    where = " AND ".join(in_scope(scope)) if scope is not None else ""
    rows = await graph.read(
        f"UNWIND $keys AS k MATCH (r:ReviewItem {{key: k}}) {'WHERE ' + where if where else ''} "
        "RETURN properties(r) AS props",
        keys=list(keys),
        **(scope.params() if scope is not None else {}),
    )
    items = [ReviewItemNode.model_validate(r["props"]) for r in rows]
    return {item.key: item for item in items}


async def records_by_uid(
    graph: Graph, uids: Sequence[str], *, scope: Scope | None = None
) -> dict[str, SourceRecordNode]:
    """Records by uid; with ``scope``, only those whose customer it sees (None: the resolution's own reads)."""
    if scope is None or scope.everything:
        query = "UNWIND $uids AS u MATCH (s:SourceRecord {uid: u}) RETURN properties(s) AS props"
    else:
        query = (
            "UNWIND $uids AS u MATCH (s:SourceRecord {uid: u})-[:RESOLVED_TO]->(c:Customer) "
            f"WHERE {scope.predicate('c')} RETURN properties(s) AS props"
        )
    rows = await graph.read(query, uids=sorted(set(uids)), **(scope.params() if scope is not None else {}))
    nodes = [SourceRecordNode.model_validate(r["props"]) for r in rows]
    return {n.uid: n for n in nodes}


DECIDE = """
UNWIND $rows AS row
MERGE (r:ReviewItem {key: row.key})
ON CREATE SET r.created_at = $at, r.uid_a = row.uid_a, r.uid_b = row.uid_b, r.origin = row.origin
SET r.status = row.status, r.decision = row.decision, r.decided_by = $by, r.decided_at = $at,
    r.decided_ip = $ip, r.note = row.note, r.event_id = row.event_id, r.history_json = row.history_json,
    r.updated_at = $at
RETURN count(r) AS n
"""


def _state(item: ReviewItemNode) -> dict[str, Any]:
    """An item's decision as a history entry (event_id and ip too: undoing can put it back as it was)."""
    return {
        "status": item.status,
        "decision": item.decision,
        "by": item.decided_by,
        "at": item.decided_at,
        "note": item.note,
        "event_id": item.event_id,
        "ip": item.decided_ip,
    }


def _history(old: ReviewItemNode | None) -> str:
    history = old.history if old else []
    # an open state is worth keeping once there is history (it was reopened by an undo): undoing the
    # next decision goes back to exactly the state before it
    if old is not None and (old.decision or old.status != "open" or history):
        history.append(_state(old))
    return json.dumps(history, ensure_ascii=False)


async def set_decisions(
    graph: Graph,
    pairs: Sequence[tuple[str, str]],
    decision: Decision | None,
    *,
    by: str,
    at: str,
    note: str | None,
    origin: str,
    event_id: str | None = None,
    ip: str | None = None,
) -> int:
    """Record ``decision`` (None: lift it) on these record pairs, creating items as needed."""
    if not pairs:
        return 0
    keyed = {pair_key(a, b): tuple(sorted((a, b))) for a, b in pairs}
    existing = await get_items(graph, list(keyed))
    status: Status = "decided" if decision else "lifted"
    rows = [
        {
            "key": key,
            "uid_a": a,
            "uid_b": b,
            "origin": origin,
            "status": status,
            "decision": decision,
            "note": note,
            "event_id": event_id,
            "history_json": _history(existing.get(key)),
        }
        for key, (a, b) in keyed.items()
    ]
    return await graph.write_batches(DECIDE, rows, by=by, at=at, ip=ip)


async def separated_keys(graph: Graph, keys: Sequence[str]) -> list[tuple[str, str]]:
    """The pairs among ``keys`` currently decided SEPARATE."""
    rows = await graph.read(
        "UNWIND $keys AS k MATCH (r:ReviewItem {key: k}) WHERE r.decision = 'SEPARATE' "
        "RETURN r.uid_a AS a, r.uid_b AS b",
        keys=list(keys),
    )
    return [(r["a"], r["b"]) for r in rows]


RESTORE = """
UNWIND $rows AS row
MATCH (r:ReviewItem {key: row.key})
SET r.status = row.status, r.decision = row.decision, r.decided_by = row.by, r.decided_at = row.at,
    r.decided_ip = row.ip, r.note = row.note, r.event_id = row.event_id, r.history_json = row.history_json,
    r.updated_at = $at
RETURN count(r) AS n
"""


def _restore_row(key: str, state: dict[str, Any], history: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "key": key,
        "status": state.get("status") or "open",
        "decision": state.get("decision"),
        "by": state.get("by"),
        "at": state.get("at"),
        "ip": state.get("ip"),
        "note": state.get("note"),
        "event_id": state.get("event_id"),
        "history_json": json.dumps(history, ensure_ascii=False),
    }


def _pop_prior(history: list[dict[str, Any]]) -> dict[str, Any]:
    """Take out the state the current one replaced: _history pushes it with each decision or lift,
    rewind adds entries of undone decisions (``undone_by``) that are not states to go back to. None
    left: the item was open (an open item's state is only pushed once it has history)."""
    for i in range(len(history) - 1, -1, -1):
        if "undone_by" not in history[i]:
            return history.pop(i)
    return {"status": "open"}


async def rewind(graph: Graph, item: ReviewItemNode, *, by: str, at: str, note: str | None, ip: str | None) -> None:
    """Undo ``item``'s decision: back to the state before it (open, for a first decision), the undone
    decision kept in the history with who undid it and when."""
    history = item.history
    before = _pop_prior(history)
    history.append({**_state(item), "undone_by": by, "undone_at": at, "undone_note": note, "undone_ip": ip})
    await graph.write(RESTORE, rows=[_restore_row(item.key, before, history)], at=at)


async def restore_lifted(graph: Graph, keys: Sequence[str], *, event_id: str, at: str) -> int:
    """Among ``keys``, the items merge ``event_id`` lifted get back the decision they had before it."""
    rows = []
    for item in (await get_items(graph, keys)).values():
        history = item.history
        if item.status == "lifted" and item.event_id == event_id:
            rows.append(_restore_row(item.key, _pop_prior(history), history))
    if rows:
        await graph.write_batches(RESTORE, rows, at=at)
    return len(rows)
