"""The audit log: one ``(:AuditEvent)`` per audited action, append-only.

``(:AuditEvent {id, at, user, ip, action, target, before, after})``; ``before`` and ``after`` are JSON
text (the changed values of an edit, or the details of an action). ``at`` is UTC ISO 8601 to the
microsecond, so the text order is the time order; ``id`` breaks ties. Ids are ``AE`` + the time + random
hex, made here: no shared counter, so concurrent writers never contend (the search log's per-day
Sequence node is its hot spot).

This module only ever CREATEs events: there is deliberately no function that changes or deletes one,
and no API or CLI command does (only a restore writes events, into an empty graph).

How an event reaches the graph depends on what it records:

- **Changes** (create, edit, tags, owners): ``record_in`` writes it inside the change's own
  transaction, so the change and its entry commit together or not at all.
- **Steward actions and imports** (merge, split, review decision, import): ``record`` writes it, awaited,
  right after the action. These actions span many statements and leave their own durable provenance
  (MergeEvent, ReviewItem, ImportRun nodes), so a crash between the action and the entry loses no fact.
- **Reads** (360° view, search, export, refused login): ``enqueue`` hands the event to this process's
  writer and returns at once. The writer sends everything queued so far in one UNWIND statement while
  the next requests run, so a view costs no round trip of its own. The queue is bounded: past
  ``MAX_PENDING`` a caller waits for the write in flight (back-pressure, never a dropped entry).
  ``flush`` drains it; the app's lifespan calls it on shutdown. A process killed outright loses the
  read events queued in its last few milliseconds, a trade accepted for reads only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import weakref
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel

from custgraph.graph.connection import Graph
from custgraph.graph.repositories.keyset import newest_first

log = logging.getLogger(__name__)

PREFIX = "AE"
MAX_GROUP = 500  # events per write
MAX_PENDING = 10_000  # queued read events before callers wait
WRITE_ATTEMPTS = 5

# Every action the service records. The auditLog filter matches an action by substring against this
# list and then filters with ``IN`` (indexed), so "view", "tag" or "edit" find their whole family.
ACTIONS: tuple[str, ...] = (
    "view",  # a 360° view: customer(id)
    "search",  # keyword search
    "search.list",  # the customers list with its filter
    "search.saved",  # a saved search run
    "export",
    "create",
    "edit",  # updateCustomer
    "edit.interaction",
    "edit.order",
    "tag.add",
    "tag.remove",
    "owner.assign",
    "merge",
    "split",
    "review.decide",
    "review.undo",  # undoReviewDecision: a review decision taken back, the pair open again
    "import",
    "rematch",  # rematchRecord: a record of the unmatched pool corrected and matched again
    "recompute",  # tags, lifecycle and rule owners recomputed (custgraph recompute, the recompute mutation)
    "segment.save",  # saveSegment
    "login.refused",
)

CREATE_EVENTS = "UNWIND $rows AS row CREATE (e:AuditEvent) SET e += row RETURN count(e) AS n"

CONDITIONS = {  # filter key -> condition on e; all values are parameters
    "user": "e.user = $user",
    "actions": "e.action IN $actions",
    "target": "e.target = $target",
    "since": "e.at >= $since",
    "until": "e.at < $until",
}

# What an edit's before/after compares: the stored profile plus the edges a person changes. Values
# are as stored (a field encrypted at rest stays encrypted here too).
SNAPSHOT = """
MATCH (c:Customer {id: $id})
OPTIONAL MATCH (c)-[:TAGGED]->(t:Tag)
WITH c, collect(DISTINCT t.key) AS tags
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
WITH c, tags, collect(DISTINCT o.name) AS owners
OPTIONAL MATCH (c)-[:WORKS_AT]->(co:Company)
RETURN properties(c) AS props, tags, owners, collect(DISTINCT co.key) AS companies
"""
# bookkeeping that changes with every write and says nothing about the edit
VOLATILE = frozenset({"updated_at", "manual_json", "name_key", "api_token", "_lock"})


class Runner(Protocol):
    """An open transaction (graph/connection.py ``Transaction``)."""

    async def run(self, query: str, **params: Any) -> list[dict[str, Any]]: ...


class AuditEvent(BaseModel):
    id: str
    at: str
    user: str
    ip: str | None = None
    action: str
    target: str | None = None
    before: str | None = None  # JSON text
    after: str | None = None  # JSON text


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def utc_text(moment: datetime) -> str:
    """A timezone-aware moment in the form ``at`` is stored in (comparable as text)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def event(
    action: str,
    *,
    user: str,
    ip: str | None = None,
    target: str | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """A new event, stamped now. ``before`` and ``after`` are any JSON-able values."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    at = now()
    compact = at[:26].replace("-", "").replace(":", "").replace(".", "").replace("T", "")
    return AuditEvent(
        id=f"{PREFIX}{compact}{secrets.token_hex(4)}",
        at=at,
        user=user,
        ip=ip,
        action=action,
        target=target,
        before=_json(before),
        after=_json(after),
    )


def _rows(events: Sequence[AuditEvent]) -> list[dict[str, Any]]:
    return [e.model_dump(exclude_none=True) for e in events]


async def record(graph: Graph, events: Sequence[AuditEvent]) -> None:
    """Write events now (awaited, auto-committed): for actions that are not one transaction."""
    if events:
        await graph.write(CREATE_EVENTS, rows=_rows(events))


async def record_in(tx: Runner, events: Sequence[AuditEvent]) -> None:
    """Write events inside an open transaction: they commit with the change they describe."""
    if events:
        await tx.run(CREATE_EVENTS, rows=_rows(events))


# ---- before / after of a customer change -------------------------------------------------------


def _snapshot_of(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not rows:
        return None
    row = rows[0]
    shown = {k: v for k, v in row["props"].items() if k not in VOLATILE}
    shown.update(tags=sorted(row["tags"]), owners=sorted(row["owners"]), company_key=sorted(row["companies"]))
    return shown


async def snapshot(graph: Graph, customer_id: str) -> dict[str, Any] | None:
    return _snapshot_of(await graph.read(SNAPSHOT, id=customer_id))


async def snapshot_in(tx: Runner, customer_id: str) -> dict[str, Any] | None:
    return _snapshot_of(await tx.run(SNAPSHOT, id=customer_id))


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only what changed: (old values, new values) of the keys that differ; a missing key is None."""
    old, new = before or {}, after or {}
    keys = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    return {k: old.get(k) for k in keys}, {k: new.get(k) for k in keys}


@dataclass(frozen=True)
class Audited:
    """The entry an edit writes inside its own transaction: ``before`` at its start, ``write`` at its end
    (graph/repositories/customer_writes.py). The entry holds only the values that changed."""

    action: str
    user: str
    ip: str | None = None

    async def before(self, tx: Runner, customer_id: str) -> dict[str, Any] | None:
        return await snapshot_in(tx, customer_id)

    async def write(
        self, tx: Runner, customer_id: str, before: dict[str, Any] | None, *, extra: dict[str, Any] | None = None
    ) -> None:
        """``extra``: more to say in ``after`` (createCustomer: whether the record matched a customer)."""
        after = await snapshot_in(tx, customer_id)
        old, new = diff(before, after) if before is not None else (None, after)
        if extra:
            new = {**(new or {}), **extra}
        entry = event(self.action, user=self.user, ip=self.ip, target=customer_id, before=old, after=new)
        await record_in(tx, [entry])


# ---- the queued writer for read events ---------------------------------------------------------


@dataclass
class _Writer:
    """One event loop's writer for one graph: events queue while a write is in flight."""

    graph: Graph
    pending: list[AuditEvent] = field(default_factory=list)
    task: asyncio.Task[None] | None = None
    lost: int = 0

    def submit(self, item: AuditEvent) -> asyncio.Task[None] | None:
        self.pending.append(item)
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._drain())
        return self.task if len(self.pending) >= MAX_PENDING else None

    async def _drain(self) -> None:
        while self.pending:
            group, self.pending = self.pending[:MAX_GROUP], self.pending[MAX_GROUP:]
            for attempt in range(1, WRITE_ATTEMPTS + 1):
                try:
                    await record(self.graph, group)
                    break
                except Exception:  # noqa: BLE001 - a background task has no caller to raise to
                    if attempt == WRITE_ATTEMPTS:
                        self.lost += len(group)
                        log.error("audit log: %d events could not be written", len(group))
                    else:
                        await asyncio.sleep(0.05 * 2**attempt)

    async def flush(self) -> None:
        while self.task is not None and not self.task.done():
            await self.task
        if self.pending:  # submitted while the last drain was finishing
            self.task = asyncio.create_task(self._drain())
            await self.task


_WRITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, _Writer]] = weakref.WeakKeyDictionary()


def _writer(graph: Graph) -> _Writer:
    """This event loop's writer for this graph (a task belongs to one loop; tests and workers run several)."""
    writers = _WRITERS.setdefault(asyncio.get_running_loop(), {})
    writer = writers.get(id(graph))
    if writer is None or writer.graph is not graph:
        writer = writers[id(graph)] = _Writer(graph)
    return writer


async def enqueue(graph: Graph, item: AuditEvent) -> None:
    """Queue a read's event; returns at once unless the queue is full (then waits for the write)."""
    busy = _writer(graph).submit(item)
    if busy is not None:
        await asyncio.shield(busy)


async def flush(graph: Graph) -> None:
    """Write every queued event of this graph (shutdown, tests, CLI commands)."""
    loop_writers = _WRITERS.get(asyncio.get_running_loop(), {})
    writer = loop_writers.get(id(graph))
    if writer is not None and writer.graph is graph:
        await writer.flush()


# ---- reading -----------------------------------------------------------------------------------


def matching_actions(text: str) -> list[str]:
    """The known actions containing ``text`` ("view", "tag", "edit" ...)."""
    wanted = text.strip().lower()
    return [a for a in ACTIONS if wanted in a]


def _where(filters: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    params = {k: v for k, v in filters.items() if k in CONDITIONS and v is not None}
    conditions = [CONDITIONS[k] for k in sorted(params)]
    return (f"WHERE {' AND '.join(conditions)} " if conditions else ""), params


async def count_events(graph: Graph, **filters: Any) -> int:
    where, params = _where(filters)
    rows = await graph.read(f"MATCH (e:AuditEvent) {where}RETURN count(e) AS n", **params)
    return int(rows[0]["n"]) if rows else 0


async def list_events(
    graph: Graph, *, first: int, after: tuple[str, str] | None = None, **filters: Any
) -> tuple[list[AuditEvent], bool]:
    """Newest first; ``after`` is the (at, id) of the last event already seen. Returns (events, has_next).

    Filters: ``user``, ``actions`` (a list), ``target``, ``since`` (inclusive) and ``until`` (exclusive),
    the last two as ``utc_text``.
    """
    where, params = _where(filters)
    query, params = newest_first("e", "MATCH (e:AuditEvent)", where, params, after, first)
    rows = await graph.read_values(query, **params)
    return [AuditEvent.model_validate(row["props"]) for row in rows[:first]], len(rows) > first


async def iter_events(graph: Graph, *, page: int = 5000) -> AsyncIterator[AuditEvent]:
    """Every event, oldest first, a keyset page at a time (the whole log, in bounded memory)."""
    position: tuple[str, str] | None = None
    while True:
        if position is None:
            query = "MATCH (e:AuditEvent) "
            params: dict[str, Any] = {}
        else:
            query = "MATCH (e:AuditEvent) WHERE e.at > $at OR (e.at = $at AND e.id > $id) "
            params = {"at": position[0], "id": position[1]}
        query += "RETURN properties(e) AS props ORDER BY e.at, e.id LIMIT $limit"
        rows = await graph.read_values(query, **params, limit=page)
        for row in rows:
            yield AuditEvent.model_validate(row["props"])
        if len(rows) < page:
            return
        last = rows[-1]["props"]
        position = (last["at"], last["id"])
