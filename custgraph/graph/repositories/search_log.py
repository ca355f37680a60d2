"""The search log: one SearchLog node per list, search, saved-search run or export.

Ids are ``RX`` + yyyymmdd + a per-day sequence of at least three digits (``RX20240701001``), handed
out by a per-day Sequence node in the same statement that creates the entry.

That node is the one hot spot of the API: every list and search call increments it. ArcadeDB does not
serialize ``SET q.value = q.value + 1`` across concurrent transactions the way Neo4j's write lock does:
two of them can read the same value, and the later CREATE then fails the SearchLog uniqueness
constraint (``tests/schema/test_api_search_log.py`` shows the contention is survived). So one process
has one log writer per event loop, and a conflict with another worker process is retried, with
jitter, more often than an ordinary write. The writer commits in groups: every entry that arrived
while the previous write was in flight goes into the next statement (one sequence increment for all
of them), so sixteen concurrent searches cost one or two log writes, not sixteen in a row.
"""

from __future__ import annotations

import asyncio
import json
import random
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from custgraph.graph.connection import RETRYABLE, Graph
from custgraph.graph.repositories.keyset import newest_first
from custgraph.graph.repositories.scope import Scope

PREFIX = "RX"
LOG_ATTEMPTS = 12
MAX_GROUP = 500  # entries per log write

# One sequence increment for a group of entries; entry i gets number (new value - size + 1 + i).
LOG = """
MERGE (q:Sequence {name: $sequence})
SET q.value = coalesce(q.value, 0) + size($entries)
WITH q.value - size($entries) AS base
UNWIND range(0, size($entries) - 1) AS i
WITH i, base + i + 1 AS n
CREATE (l:SearchLog {id: $prefix + CASE WHEN n < 1000 THEN right('00' + toString(n), 3) ELSE toString(n) END})
SET l += $entries[i]
RETURN i, l.id AS id
"""

CONDITIONS = {  # filter argument -> condition on l; all values are parameters
    "user": "l.user = $user",
    "kind": "l.kind = $kind",
    "since": "l.day >= $since",
    "until": "l.day <= $until",
}


class SearchLogEntry(BaseModel):
    id: str
    kind: str  # list | search | saved_search | export
    filter: dict[str, Any] | None = None
    query: str | None = None
    user: str
    role: str | None = None
    ip: str | None = None
    at: str  # ISO 8601 with offset, to the second
    day: str  # YYYY-MM-DD, the day of the id
    result_count: int
    purpose: str | None = None

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> SearchLogEntry:
        data = {k: v for k, v in props.items() if k != "filter_json"}
        data["filter"] = json.loads(props["filter_json"]) if props.get("filter_json") else None
        return cls.model_validate(data)


async def log_search(
    graph: Graph,
    *,
    kind: str,
    user: str,
    result_count: int,
    at: datetime,
    filter: dict[str, Any] | None = None,  # noqa: A002 - the log's own word for the conditions
    query: str | None = None,
    role: str | None = None,
    ip: str | None = None,
    purpose: str | None = None,
) -> str:
    """Record one search; returns its RX id. ``at`` must be timezone-aware: its date names the day."""
    day = at.date()
    props = {
        "kind": kind,
        "user": user,
        "role": role,
        "ip": ip,
        "at": at.isoformat(timespec="seconds"),
        "day": day.isoformat(),
        "result_count": result_count,
        "purpose": purpose,
        "query": query,
        "filter_json": json.dumps(filter, ensure_ascii=False, sort_keys=True) if filter is not None else None,
    }
    writer = _writer(graph)
    return await writer.submit(
        f"searchlog:{day:%Y%m%d}", f"{PREFIX}{day:%Y%m%d}", {k: v for k, v in props.items() if v is not None}
    )


@dataclass
class _Pending:
    sequence: str
    prefix: str
    props: dict[str, Any]
    done: asyncio.Future[str]


@dataclass
class _LogWriter:
    """One event loop's log writer for one graph: entries queue while a write is in flight."""

    graph: Graph
    pending: list[_Pending] = field(default_factory=list)
    task: asyncio.Task[None] | None = None

    async def submit(self, sequence: str, prefix: str, props: dict[str, Any]) -> str:
        done: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.pending.append(_Pending(sequence, prefix, props, done))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._drain())
        return await done

    async def _drain(self) -> None:
        while self.pending:
            group, self.pending = self.pending[:MAX_GROUP], self.pending[MAX_GROUP:]
            by_day: dict[tuple[str, str], list[_Pending]] = defaultdict(list)
            for entry in group:
                by_day[(entry.sequence, entry.prefix)].append(entry)
            for (sequence, prefix), entries in by_day.items():
                try:
                    ids = await _write(self.graph, sequence, prefix, [e.props for e in entries])
                except Exception as exc:  # noqa: BLE001 - handed to every caller waiting for this write
                    for entry in entries:
                        if not entry.done.done():
                            entry.done.set_exception(exc)
                    continue
                for entry, log_id in zip(entries, ids, strict=True):
                    if not entry.done.done():
                        entry.done.set_result(log_id)


async def _write(graph: Graph, sequence: str, prefix: str, entries: list[dict[str, Any]]) -> list[str]:
    """Write a group of entries of one day; their ids in order."""
    for attempt in range(1, LOG_ATTEMPTS + 1):
        try:
            rows = await graph.write(LOG, attempts=1, sequence=sequence, prefix=prefix, entries=entries)
            found = {int(row["i"]): str(row["id"]) for row in rows}
            return [found[i] for i in range(len(entries))]
        except RETRYABLE:
            if attempt == LOG_ATTEMPTS:
                raise
            # short and jittered: the other writer is one request of another worker
            await asyncio.sleep(random.uniform(0.005, 0.02 * attempt))
    raise AssertionError("unreachable")


_WRITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, _LogWriter]] = weakref.WeakKeyDictionary()


def _writer(graph: Graph) -> _LogWriter:
    """This event loop's writer for this graph (a task belongs to one loop; tests and workers run several)."""
    loop = asyncio.get_running_loop()
    writers = _WRITERS.setdefault(loop, {})
    writer = writers.get(id(graph))
    if writer is None or writer.graph is not graph:
        writer = writers[id(graph)] = _LogWriter(graph)
    return writer


def _where(filters: dict[str, Any], scope: Scope) -> tuple[str, dict[str, Any]]:
    params = {k: v for k, v in filters.items() if k in CONDITIONS and v is not None}
    conditions = [CONDITIONS[k] for k in sorted(params)]
    if not scope.everything:  # a manager reads the team's entries, a rep their own
        conditions.append(scope.users_predicate("l.user"))
        params.update(scope.params())
    return (f"WHERE {' AND '.join(conditions)} " if conditions else ""), params


async def count_entries(graph: Graph, *, scope: Scope, **filters: Any) -> int:
    where, params = _where(filters, scope)
    rows = await graph.read(f"MATCH (l:SearchLog) {where}RETURN count(l) AS n", **params)
    return int(rows[0]["n"]) if rows else 0


async def list_entries(
    graph: Graph, *, first: int, scope: Scope, after: tuple[str, str] | None = None, **filters: Any
) -> tuple[list[SearchLogEntry], bool]:
    """Newest first, the entries of the users ``scope`` sees; ``after`` is the (at, id) of the last
    entry already seen. Returns (entries, has_next)."""
    where, params = _where(filters, scope)
    query, params = newest_first("l", "MATCH (l:SearchLog)", where, params, after, first)
    rows = await graph.read(query, **params)
    return [SearchLogEntry.from_props(row["props"]) for row in rows[:first]], len(rows) > first
