"""Candidates for the matching engine, and the persistence of its answers.

The engine (matching/) is pure; this module feeds it the records already in the graph that share a
blocking key with the incoming ones, and writes back customers, RESOLVED_TO edges, merges and
review items.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from custgraph import crypto, customer_ids
from custgraph.customer_ids import CustomerIdFormat
from custgraph.graph.connection import Graph
from custgraph.graph.schema import blocking_property


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


CANDIDATE_COLUMNS = (
    "s.uid AS uid, s.source AS source, s.fields_json AS fields_json, s.customer_id AS customer_id, "
    "s.seq AS seq, s.kind AS kind"
)


def _revealed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records read for matching, their sensitive fields decrypted (the engine compares plaintext:
    a national ID one typo apart still counts)."""
    ring = crypto.current()
    for row in rows:
        row["fields_json"] = ring.reveal_json(row.get("fields_json"))
    return rows


REF_COLUMNS = "s.uid AS uid, s.customer_id AS customer_id, s.content_hash AS content_hash"


def candidates_statement(rule: str, *, capped: bool, columns: str = CANDIDATE_COLUMNS) -> str:
    """The records holding one of ``$keys`` for a blocking rule; ``capped``: the oldest ``$cap`` per key."""
    prop = blocking_property(rule)
    match = f"MATCH (s:SourceRecord) WHERE s.`{prop}` = k AND s.customer_id IS NOT NULL"
    if not capped:
        return f"UNWIND $keys AS k {match} RETURN {columns}"
    # A subquery per key keeps only its first $cap rows as it goes; collecting each key's records and
    # slicing the list instead holds whole blocks in the server's heap at once (ArcadeDB refuses past
    # its query heap budget). `CALL (k) {...}` is Neo4j 5.23+ syntax (the importing WITH is deprecated).
    return f"UNWIND $keys AS k CALL (k) {{ {match} RETURN s ORDER BY s.seq, s.uid LIMIT $cap }} RETURN {columns}"


# The per-rule lookups of a batch are independent reads: a few at a time keep both of the server's
# cores busy (measured on the 1M run's graph at 245k records, a 5k batch's 14 rules with keys: 5.1 s
# four at a time against 7.3-11.5 s one after another).
READ_CONCURRENCY = 4


async def per_rule(read: Callable[[str], Awaitable[list[dict[str, Any]]]], rules: Sequence[str]) -> list[list[dict]]:
    """``read(rule)`` for every rule, at most ``READ_CONCURRENCY`` at once; the answers in ``rules``' order."""
    slots = asyncio.Semaphore(READ_CONCURRENCY)

    async def one(rule: str) -> list[dict[str, Any]]:
        async with slots:
            return await read(rule)

    return list(await asyncio.gather(*(one(rule) for rule in rules)))


def full_keys_statement(rule: str) -> str:
    """Of ``$keys`` ({k, before}), those held by at least ``$cap`` resolved records older than ``before``."""
    prop = blocking_property(rule)
    # LIMIT inside the subquery: the server stops at $cap members, however big the block has grown
    return (
        "UNWIND $keys AS key CALL (key) { MATCH (s:SourceRecord) "
        f"WHERE s.`{prop}` = key.k AND s.customer_id IS NOT NULL AND s.seq < key.before "
        "WITH s LIMIT $cap RETURN count(s) AS held } "
        "WITH key, held WHERE held >= $cap RETURN key.k AS k"
    )


async def full_keys(graph: Graph, keys: Mapping[str, Mapping[str, int]], *, cap: int) -> dict[str, set[str]]:
    """Per blocking rule, the key values (of ``keys``: value -> the oldest ``seq`` of an incoming record
    holding it) whose block is full before every incoming record: ``cap`` resolved records hold it
    already. Such a block offers the incoming records nothing (matching/blocking.py), so its members
    need not be read."""
    asked = {rule: before for rule, before in keys.items() if before}

    async def full_of(rule: str) -> list[dict[str, Any]]:
        before = asked[rule]
        rows = [{"k": k, "before": seq} for k, seq in sorted(before.items())]
        return await graph.read(full_keys_statement(rule), keys=rows, cap=cap)

    found = await per_rule(full_of, list(asked))
    return {rule: {str(row["k"]) for row in rows} for rule, rows in zip(asked, found, strict=True) if rows}


async def candidates(
    graph: Graph, keys: Mapping[str, Iterable[str]], exclude: Iterable[str] = (), *, per_key: int | None = None
) -> list[dict[str, Any]]:
    """Resolved records sharing at least one blocking key value with the incoming records.

    ``per_key``: only the oldest records (by ``seq``) of each key value. The engine offers a record
    only the first ``max_block_size`` members of a block, so the rest of an oversized block (a common
    surname in a big city) need not cross the wire: without the cap, every batch would read, decode
    and key thousands of records the engine then ignores, and the cost per row would grow with the
    graph. The caller adds to the cap the number of ``exclude`` uids that may sit among the oldest.
    """
    found: dict[str, dict[str, Any]] = {}
    async for rows in _blocked_rows(graph, keys, exclude, per_key, CANDIDATE_COLUMNS):
        found.update((row["uid"], row) for row in _revealed([row for row in rows if row["uid"] not in found]))
    return list(found.values())


async def candidate_refs(
    graph: Graph, keys: Mapping[str, Iterable[str]], exclude: Iterable[str] = (), *, per_key: int
) -> dict[str, tuple[str, str | None]]:
    """The same records as ``candidates``, as uid -> (customer id, content hash) only: a caller that
    read a record before needs to know only that it is still the same (its hash) and where it is now."""
    found: dict[str, tuple[str, str | None]] = {}
    async for rows in _blocked_rows(graph, keys, exclude, per_key, REF_COLUMNS):
        found.update((row["uid"], (row["customer_id"], row["content_hash"])) for row in rows)
    return found


async def _blocked_rows(
    graph: Graph, keys: Mapping[str, Iterable[str]], exclude: Iterable[str], per_key: int | None, columns: str
) -> AsyncIterator[list[dict[str, Any]]]:
    """Per blocking rule, the records holding one of its key values, ``exclude``d uids left out."""
    excluded = set(exclude)
    asked = {rule: vals for rule, values in keys.items() if (vals := sorted(set(values)))}

    async def rows_of(rule: str) -> list[dict[str, Any]]:
        statement = candidates_statement(rule, capped=per_key is not None, columns=columns)
        return await graph.read(statement, keys=asked[rule], cap=per_key)

    for rows in await per_rule(rows_of, list(asked)):
        yield [row for row in rows if row["uid"] not in excluded]


async def sample_resolved(graph: Graph, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` resolved records, for training the matching model."""
    return _revealed(
        await graph.read(
            f"MATCH (s:SourceRecord) WHERE s.outcome IS NOT NULL RETURN {CANDIDATE_COLUMNS} LIMIT $limit", limit=limit
        )
    )


async def records_by_uid(graph: Graph, uids: Sequence[str]) -> list[dict[str, Any]]:
    return _revealed(
        await graph.read(
            f"UNWIND $uids AS u MATCH (s:SourceRecord {{uid: u}}) RETURN {CANDIDATE_COLUMNS}", uids=list(uids)
        )
    )


async def records_of_customers(graph: Graph, customer_ids: Sequence[str]) -> list[dict[str, Any]]:
    return _revealed(
        await graph.read(
            "UNWIND $ids AS id MATCH (s:SourceRecord {customer_id: id}) "
            f"RETURN {CANDIDATE_COLUMNS}, s.updated_at AS updated_at",
            ids=sorted(set(customer_ids)),
        )
    )


DROP_ORPHANS = """
UNWIND $ids AS id
MATCH (c:Customer {id: id, origin: 'resolution'})
WHERE c.merged_into IS NULL
  AND NOT EXISTS { MATCH (c)<-[:RESOLVED_TO]-(:SourceRecord) }
  AND NOT EXISTS { MATCH (c)<-[:MERGED_INTO]-(:Customer) }
DETACH DELETE c
RETURN count(*) AS n
"""


async def drop_orphan_customers(graph: Graph, customer_ids: Sequence[str]) -> int:
    """Of these customers (those a killed run was creating), drop the ones no record was linked to.

    Looked up by id: never a scan of every customer, so a run's start costs the same in any graph.
    """
    if not customer_ids:
        return 0
    rows = await graph.write(DROP_ORPHANS, ids=sorted(set(customer_ids)))
    return int(rows[0]["n"]) if rows else 0


async def remaining_records(graph: Graph, customer_ids: Sequence[str], excluding: Sequence[str]) -> dict[str, int]:
    """How many records each customer holds, not counting the ``excluding`` uids."""
    rows = await graph.read(
        "UNWIND $ids AS id MATCH (s:SourceRecord {customer_id: id}) WHERE NOT s.uid IN $excluding "
        "RETURN id, count(s) AS n",
        ids=list(customer_ids),
        excluding=list(excluding),
    )
    return {row["id"]: int(row["n"]) for row in rows}


# One counter per id prefix, all a call needs taken in one statement (one transaction): two callers
# never get the same number, whatever runs at the same time. MERGE on Sequence.name (constrained).
TAKE_NUMBERS = """
UNWIND $rows AS row
MERGE (q:Sequence {name: row.name})
SET q.value = coalesce(q.value, 0) + row.count
RETURN row.name AS name, q.value AS v
"""


async def allocate_customer_ids(
    graph: Graph,
    count: int,
    industries: Sequence[str | None] | None = None,
    *,
    id_format: CustomerIdFormat | None = None,
) -> list[str]:
    """``count`` new customer ids in the configured format (custgraph/customer_ids.py).

    ``industries``: the industry of each new customer, in order, for a format with ``{industry}``
    (unknown ones get the format's other code); ignored by the default ``C000123`` format.
    """
    if count == 0:
        return []
    fmt = id_format or customer_ids.configured()
    wanted = list(industries) if industries is not None else [None] * count
    if len(wanted) != count:
        raise ValueError(f"{count} ids asked for with {len(wanted)} industries")
    prefixes = [fmt.prefix(industry) for industry in wanted]
    for _ in range(ALLOCATION_ATTEMPTS):
        ids = await _take(graph, fmt, prefixes)
        taken = {row["id"] for row in await graph.read(TAKEN_IDS, ids=ids)}
        if not taken:
            return ids
        # ids written without the counter (seeded, restored, imported with their own ids): move each
        # counter past the highest id of its prefix and take fresh numbers
        for prefix in sorted({p for p, cid in zip(prefixes, ids, strict=True) if cid in taken}):
            await _advance(graph, fmt, prefix)
    raise RuntimeError(f"customer ids {sorted(taken)} are taken although their counters were advanced")


ALLOCATION_ATTEMPTS = 3
TAKEN_IDS = "UNWIND $ids AS id MATCH (c:Customer {id: id}) RETURN c.id AS id"
HIGHEST_ID = """
MATCH (c:Customer) WHERE c.id STARTS WITH $prefix AND size(c.id) = $size
RETURN c.id AS id ORDER BY c.id DESC LIMIT 1
"""
ADVANCE_SEQUENCE = """
MERGE (q:Sequence {name: $name})
SET q.value = CASE WHEN coalesce(q.value, 0) < $at_least THEN $at_least ELSE q.value END
RETURN q.value AS v
"""


async def _take(graph: Graph, fmt: CustomerIdFormat, prefixes: Sequence[str]) -> list[str]:
    needed = Counter(prefixes)
    rows = await graph.write(
        TAKE_NUMBERS, rows=[{"name": fmt.sequence(p), "count": n} for p, n in sorted(needed.items())]
    )
    last = {row["name"]: int(row["v"]) for row in rows}
    next_number = {p: last[fmt.sequence(p)] - n + 1 for p, n in needed.items()}
    ids = []
    for prefix in prefixes:
        ids.append(fmt.make(prefix, next_number[prefix]))
        next_number[prefix] += 1
    return ids


async def _advance(graph: Graph, fmt: CustomerIdFormat, prefix: str) -> None:
    rows = await graph.read(HIGHEST_ID, prefix=prefix, size=len(prefix) + fmt.digits)
    if rows and rows[0]["id"][len(prefix) :].isdigit():
        at_least = int(rows[0]["id"][len(prefix) :])
        await graph.write(ADVANCE_SEQUENCE, name=fmt.sequence(prefix), at_least=at_least)


CREATE_CUSTOMERS = """
UNWIND $rows AS row
MERGE (c:Customer {id: row.id})
ON CREATE SET c.created_at = $now, c.origin = 'resolution'
RETURN count(c) AS n
"""

DETACH_RESOLUTION = """
UNWIND $rows AS row
MATCH (s:SourceRecord {uid: row.uid})-[r:RESOLVED_TO]->()
DELETE r
"""

SET_UNMATCHED = """
UNWIND $rows AS row
MATCH (s:SourceRecord {uid: row.uid})
SET s.customer_id = null, s.outcome = row.outcome, s.score = row.score, s.rule = row.rule,
    s.matched_uid = row.matched_uid, s.evidence_json = row.evidence_json, s.resolved_at = $now,
    s.content_hash = coalesce(row.content_hash, s.content_hash)
RETURN count(s) AS n
"""

# One statement links a record and marks it resolved (its content hash is set only now: a record
# stored but never resolved is rewritten by the next run), so a run killed at any point leaves each
# record either fully resolved or not at all. Old RESOLVED_TO edges were removed just before
# (DETACH_RESOLUTION), so CREATE is safe; properties inline, since SET after CREATE costs ArcadeDB more.
LINK_RESOLUTION = """
UNWIND $rows AS row
MATCH (s:SourceRecord {uid: row.uid})
MATCH (c:Customer {id: row.customer_id})
CREATE (s)-[r:RESOLVED_TO {score: row.score, rule: row.rule, outcome: row.outcome,
                           evidence_json: row.evidence_json, matched_uid: row.matched_uid, at: $now}]->(c)
SET s.customer_id = row.customer_id, s.outcome = row.outcome, s.score = row.score, s.rule = row.rule,
    s.matched_uid = row.matched_uid, s.evidence_json = row.evidence_json, s.resolved_at = $now,
    s.content_hash = coalesce(row.content_hash, s.content_hash)
RETURN count(r) AS n
"""


async def write_resolutions(
    graph: Graph, rows: Sequence[dict[str, Any]], linked_before: Iterable[str] = (), created: Iterable[str] = ()
) -> None:
    """Rows: uid, customer_id (None for the unmatched pool), outcome, score, rule, matched_uid, evidence,
    and content_hash for a record just stored (it marks the record complete).

    ``linked_before``: records that may still have a RESOLVED_TO edge from an earlier resolution.
    ``created``: customers the caller has just created (profiles.create_customers); others are merged.
    """
    if not rows:
        return
    ring = crypto.current()  # compared national IDs / bank cards are stored encrypted
    prepared = [
        {
            "uid": r["uid"],
            "customer_id": r["customer_id"],
            "outcome": r["outcome"],
            "score": float(r["score"]),
            "rule": r["rule"],
            "matched_uid": r.get("matched_uid"),
            "evidence_json": _dumps(ring.seal_evidence(r.get("evidence", []))),
            "content_hash": r.get("content_hash"),
        }
        for r in rows
    ]
    now = _now()
    ids = sorted({r["customer_id"] for r in prepared if r["customer_id"]} - set(created))
    await graph.write_batches(CREATE_CUSTOMERS, [{"id": cid} for cid in ids], now=now)
    await graph.write_batches(DETACH_RESOLUTION, [{"uid": uid} for uid in sorted(set(linked_before))])
    await graph.write_batches(LINK_RESOLUTION, [r for r in prepared if r["customer_id"]], now=now)
    await graph.write_batches(SET_UNMATCHED, [r for r in prepared if not r["customer_id"]], now=now)


MERGE_CUSTOMERS = """
UNWIND $rows AS row
MATCH (a:Customer {id: row.absorbed})
MATCH (b:Customer {id: row.survivor})
SET a.merged_into = row.survivor, a.merged_at = $now
MERGE (a)-[m:MERGED_INTO]->(b)
SET m.at = $now, m.reason = row.reason
RETURN count(m) AS n
"""

# moved_path is a stack of the customers a record was merged away from, so that a split
# (custgraph/resolution/split.py) can undo one merge at a time.
MOVE_RECORDS = """
UNWIND $rows AS row
MATCH (s:SourceRecord {customer_id: row.absorbed})-[r:RESOLVED_TO]->(:Customer {id: row.absorbed})
MATCH (c:Customer {id: row.survivor})
CREATE (s)-[r2:RESOLVED_TO]->(c)
SET r2 = properties(r), r2.moved_from = row.absorbed, r2.at = $now,
    r2.moved_path = coalesce(r.moved_path, []) + [row.absorbed]
SET s.customer_id = row.survivor, s.moved_from = row.absorbed
DELETE r
RETURN count(r2) AS n
"""


async def merge_customers(graph: Graph, merges: Sequence[tuple[str, str, str]]) -> None:
    """(survivor, absorbed, reason): the absorbed customer stays as a pointer to the survivor."""
    if not merges:
        return
    rows = [{"survivor": s, "absorbed": a, "reason": why} for s, a, why in merges]
    now = _now()
    await graph.write_batches(MERGE_CUSTOMERS, rows, now=now)
    await graph.write_batches(MOVE_RECORDS, rows, now=now)


UPSERT_REVIEW = """
UNWIND $rows AS row
MERGE (r:ReviewItem {key: row.key})
ON CREATE SET r.status = 'open', r.created_at = $now
SET r.uid_a = row.uid_a, r.uid_b = row.uid_b, r.score = row.score, r.evidence_json = row.evidence_json,
    r.updated_at = $now, r.evidence_uid = row.evidence_uid,
    r.times_flagged = coalesce(r.times_flagged, 0) + 1
RETURN count(r) AS n
"""


def pair_key(uid_a: str, uid_b: str) -> str:
    a, b = sorted((uid_a, uid_b))
    return f"{a}||{b}"


async def upsert_review_items(graph: Graph, pairs: Sequence[dict[str, Any]]) -> None:
    rows = [
        {
            "key": pair_key(p["uid_a"], p["uid_b"]),
            "uid_a": min(p["uid_a"], p["uid_b"]),
            "uid_b": max(p["uid_a"], p["uid_b"]),
            "score": float(p["score"]),
            "evidence_json": _dumps(crypto.current().seal_evidence(p.get("evidence", []))),
            "evidence_uid": p["uid_a"],  # whose values are value_a in the evidence
        }
        for p in pairs
    ]
    if rows:
        await graph.write_batches(UPSERT_REVIEW, rows, now=_now())


async def decisions_for(graph: Graph, uids: Sequence[str]) -> dict[frozenset[str], str]:
    """Remembered review decisions (MERGE / SEPARATE) touching any of these records."""
    if not uids:
        return {}
    rows = []
    for side in ("uid_a", "uid_b"):  # each side through its index, never a scan of every review item
        rows += await graph.read(
            f"UNWIND $uids AS u MATCH (r:ReviewItem {{{side}: u}}) WHERE r.decision IS NOT NULL "
            "RETURN r.uid_a AS a, r.uid_b AS b, r.decision AS decision",
            uids=sorted(set(uids)),
        )
    return {frozenset((row["a"], row["b"])): row["decision"] for row in rows}


async def set_customer_properties(graph: Graph, rows: Sequence[dict[str, Any]]) -> None:
    """Rows: {id, props}; the golden record computed by survivorship."""
    await graph.write_batches(
        "UNWIND $rows AS row MATCH (c:Customer {id: row.id}) SET c += row.props RETURN count(c) AS n", rows
    )


async def load_model(graph: Graph, name: str = "current") -> dict[str, Any] | None:
    rows = await graph.read("MATCH (m:MatchModel {name: $name}) RETURN m.params_json AS p", name=name)
    return json.loads(rows[0]["p"]) if rows and rows[0]["p"] else None


async def save_model(graph: Graph, params: Mapping[str, Any], name: str = "current") -> None:
    await graph.write(
        "MERGE (m:MatchModel {name: $name}) SET m.params_json = $p, m.trained_at = $now",
        name=name,
        p=_dumps(params),
        now=_now(),
    )


EXPORT_LINKS = (
    "MATCH (s:SourceRecord) RETURN s.seq AS seq, s.uid AS uid, s.source AS source, s.source_key AS source_key, "
    "s.customer_id AS customer_id, s.outcome AS outcome"
)


async def export_links(graph: Graph) -> list[dict[str, Any]]:
    """Every source record with its customer, in import order. Sorted here, not by the server: ArcadeDB
    holds an ORDER BY's rows in a query heap budget (2 GB with a 4 GB heap) that a graph of 1M records
    exceeds ("Query heap budget exceeded"), while rows without ORDER BY stream."""
    rows = await graph.read_values(EXPORT_LINKS)
    rows.sort(key=lambda row: (row["seq"] if row["seq"] is not None else -1, row["uid"]))
    return rows
