"""Source records: idempotent upserts with history, identifier link edges and blocking keys.

A record's identity is (source, source_key) -> ``uid``. Re-importing an unchanged row writes
nothing; a changed row keeps its previous values in ``history_json`` and is marked for
re-resolution by clearing its ``customer_id``.

Sensitive values (national ID, bank card, an unmapped column naming one) are encrypted here, on
their way in (custgraph/crypto.py): the record's JSON holds tokens, their identifier nodes are keyed
by an HMAC digest and the link edge keeps the value encrypted. Callers hand and get plaintext.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from custgraph import crypto
from custgraph.graph.connection import Graph
from custgraph.graph.schema import blocking_property
from custgraph.vocabulary import IDENTIFIERS, SENSITIVE_FIELDS

# canonical field -> (identifier label, relationship type)
IDENTIFIER_FIELDS: dict[str, tuple[str, str]] = {i.field: (i.label, i.rel) for i in IDENTIFIERS}

MERGE_BATCH = 5000  # distinct identifier values per MERGE statement

# Copied onto the node as plain properties so analysts can read records in Neo4j Browser.
DISPLAY_FIELDS = ("name", "first_name", "last_name", "company", "mobile", "email", "city", "region")

EXISTING = """
UNWIND $uids AS uid
MATCH (s:SourceRecord {uid: uid})
RETURN s.uid AS uid, s.content_hash AS content_hash, s.fields_json AS fields_json,
       s.raw_json AS raw_json, s.extra_json AS extra_json, s.history_json AS history_json,
       s.customer_id AS customer_id, s.outcome AS outcome, s.seq AS seq, s.updated_at AS updated_at
"""

# New records are CREATEd (the existence check just ran, and the uniqueness constraint still
# guards against a concurrent writer); changed ones are updated in place, where a None removes
# a property that no longer applies.
CREATE = """
UNWIND $rows AS row
CREATE (s:SourceRecord)
SET s = row.props
RETURN count(s) AS n
"""

UPDATE = """
UNWIND $rows AS row
MATCH (s:SourceRecord {uid: row.uid})
SET s += row.props
RETURN count(s) AS n
"""

DETACH_IDENTIFIERS = """
UNWIND $uids AS uid
MATCH (s:SourceRecord {uid: uid})-[r]->(i)
WHERE type(r) IN $types
DELETE r
"""


def merge_identifiers_query(label: str, rel: str) -> str:
    # label/rel come from IDENTIFIER_FIELDS only. Each distinct value is merged once per batch, and
    # the records already linked to it are counted on the way (the hub signal resolution needs).
    return (
        f"UNWIND $values AS v MERGE (i:{label} {{value: v}}) "
        f"RETURN v AS value, size([(i)<-[:{rel}]-(s:SourceRecord) | s]) AS n"
    )


def link_identifiers_query(label: str, rel: str, *, sealed: bool = False) -> str:
    # The records were just written and their old identifier edges removed, and the identifier
    # nodes merged (merge_identifiers_query), so both ends are matched on their constrained keys
    # and the edge is CREATEd; properties inline, since SET after CREATE costs ArcadeDB twice as much.
    # A sensitive identifier's node holds a digest: its edge keeps the value itself, encrypted.
    props = "raw: row.raw, sealed: row.sealed" if sealed else "raw: row.raw"
    return (
        "UNWIND $rows AS row "
        "MATCH (s:SourceRecord {uid: row.uid}) "
        f"MATCH (i:{label} {{value: row.value}}) "
        f"CREATE (s)-[r:{rel} {{{props}}}]->(i) "
        "RETURN count(r) AS n"
    )


def node_value(ring: crypto.KeyRing, name: str, value: Any) -> str:
    """The key of an identifier node: a sensitive value's HMAC digest, any other value as it is."""
    return ring.digest(name, value) if name in SENSITIVE_FIELDS else str(value)


@dataclass
class RecordWrite:
    """One record to store, as produced by ingest (fields already standardized)."""

    uid: str
    source: str
    source_key: str
    kind: str
    row: int
    fields: dict[str, Any]
    raw: dict[str, str]
    extra: dict[str, str]
    status: str
    content_hash: str
    blocking: dict[str, str] = field(default_factory=dict)
    run_id: str | None = None
    missing: list[str] = field(default_factory=list)


@dataclass
class UpsertResult:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # stored earlier but never resolved (a killed run)
    seqs: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)  # stored outcome of unchanged records
    # of the records to resolve: those the graph held before (a changed row, a killed run's), and
    # the customer each was resolved to then, so that resolution need not read them back
    existed: set[str] = field(default_factory=set)
    previous: dict[str, str] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)  # content hash of each record written, stamped once resolved
    # (field, value) -> records outside this batch's pending ones holding it, for each identifier
    # value of the pending records (None when nothing is pending)
    identifier_counts: dict[tuple[str, str], int] | None = None

    @property
    def pending(self) -> list[str]:
        """The records to resolve: new, changed, or stored earlier but never resolved."""
        return [*self.created, *self.changed, *self.unresolved]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


async def allocate(graph: Graph, sequence: str, count: int) -> int:
    """Reserve ``count`` consecutive numbers of a named sequence; returns the first."""
    rows = await graph.write(
        "MERGE (q:Sequence {name: $name}) SET q.value = coalesce(q.value, 0) + $count RETURN q.value AS value",
        name=sequence,
        count=count,
    )
    return int(rows[0]["value"]) - count + 1


def _props(
    rec: RecordWrite, seq: int, history: list[dict[str, Any]], all_blocking: Sequence[str], ring: crypto.KeyRing
) -> dict:
    now = _now()
    props: dict[str, Any] = {
        "source": rec.source,
        "source_key": rec.source_key,
        "kind": rec.kind,
        "row": rec.row,
        "status": rec.status,
        "content_hash": None,  # set when the record is resolved (resolution.LINK_RESOLUTION / SET_UNMATCHED)
        "fields_json": _dumps(ring.seal_fields(rec.fields)),
        "raw_json": _dumps(ring.seal_fields(rec.raw)),
        "extra_json": _dumps(ring.seal_extra(rec.extra)),
        "history_json": _dumps(history),
        "missing": list(rec.missing),
        "seq": seq,
        "updated_at": now,
        "run_id": rec.run_id,
        # a (re)written record must be (re)resolved; its customer_id stays until then, so that
        # re-resolution can keep the customer id when the record still stands alone
        "outcome": None,
    }
    for name in DISPLAY_FIELDS:
        value = rec.fields.get(name)
        props[name] = None if value is None else str(value)
    for name in all_blocking:
        props[blocking_property(name)] = rec.blocking.get(name)
    return props


async def upsert_records(graph: Graph, records: Sequence[RecordWrite], blocking_rules: Sequence[str]) -> UpsertResult:
    """Store new and changed records; leave unchanged ones untouched.

    A record's ``content_hash`` is set last, by the statement that resolves it (``hashes`` says
    which to set): a run killed before that leaves a record without a hash, which the next run
    rewrites completely and resolves.
    """
    result = UpsertResult()
    if not records:
        return result
    existing = {r["uid"]: r for r in await graph.read(EXISTING, uids=[r.uid for r in records])}
    to_write: list[tuple[RecordWrite, dict[str, Any] | None]] = []
    for rec in records:
        old = existing.get(rec.uid)
        if old is not None and (old["content_hash"] != rec.content_hash or old["outcome"] is None):
            result.existed.add(rec.uid)  # rewritten, or never resolved: to resolve again
            if old["customer_id"]:
                result.previous[rec.uid] = old["customer_id"]
        if old is None or old["content_hash"] is None:
            result.created.append(rec.uid)
            to_write.append((rec, old))
        elif old["content_hash"] != rec.content_hash:
            result.changed.append(rec.uid)
            to_write.append((rec, old))
        else:
            result.unchanged.append(rec.uid)
            result.seqs[rec.uid] = int(old["seq"] or 0)
            if old["outcome"] is not None:
                result.outcomes[rec.uid] = old["outcome"]
            else:
                result.unresolved.append(rec.uid)
    if not to_write:
        if result.unresolved:
            unresolved = [rec for rec in records if rec.uid in set(result.unresolved)]
            result.identifier_counts = await _merge_identifiers(graph, unresolved, still_linked=unresolved)
        return result
    first = await allocate(graph, "record", len(to_write))
    ring = crypto.current()
    creates, updates = [], []
    for offset, (rec, old) in enumerate(to_write):
        history = _history(old) if old is not None else []
        seq = first + offset
        result.seqs[rec.uid] = seq
        props = _props(rec, seq, history, blocking_rules, ring)
        if old is None:
            creates.append({"props": {"uid": rec.uid, **{k: v for k, v in props.items() if v is not None}}})
        else:
            updates.append({"uid": rec.uid, "props": props})
    await graph.write_batches(CREATE, creates)
    await graph.write_batches(UPDATE, updates)
    rewritten = [rec.uid for rec, old in to_write if old is not None]
    if rewritten:
        types = [rel for _, rel in IDENTIFIER_FIELDS.values()]
        await graph.write(DETACH_IDENTIFIERS, uids=rewritten, types=types)
    written = [rec for rec, _ in to_write]
    unresolved = [rec for rec in records if rec.uid in set(result.unresolved)]
    result.identifier_counts = await _merge_identifiers(graph, written + unresolved, still_linked=unresolved)
    await _link_identifiers(graph, written)
    result.hashes = {rec.uid: rec.content_hash for rec in written}
    return result


def _history(old: dict[str, Any]) -> list[dict[str, Any]]:
    """Earlier versions of a record; a write that never completed (no hash) is not a version."""
    history: list[dict[str, Any]] = json.loads(old["history_json"] or "[]")
    if old["content_hash"] is not None:
        history.append(
            {
                "fields": json.loads(old["fields_json"] or "{}"),
                "raw": json.loads(old["raw_json"] or "{}"),
                "content_hash": old["content_hash"],
                "until": _now(),
                "customer_id": old["customer_id"],
            }
        )
    return history


async def _merge_identifiers(
    graph: Graph, records: Sequence[RecordWrite], *, still_linked: Sequence[RecordWrite]
) -> dict[tuple[str, str], int]:
    """Merge the identifier nodes of these records, each distinct value once; return per (field, value)
    how many records outside ``records`` hold it. ``still_linked``: those of ``records`` whose edges
    are in the graph already (stored by a killed run and not rewritten), so counted by the query."""
    counts: dict[tuple[str, str], int] = {}
    ring = crypto.current()
    for name, (label, rel) in IDENTIFIER_FIELDS.items():
        plain = {str(rec.fields[name]) for rec in records if rec.fields.get(name)}
        if not plain:
            continue
        by_key = {node_value(ring, name, v): v for v in plain}  # node key -> the value callers know
        values = sorted(by_key)
        rows: list[dict[str, Any]] = []
        for start in range(0, len(values), MERGE_BATCH):
            rows += await graph.write(merge_identifiers_query(label, rel), values=values[start : start + MERGE_BATCH])
        linked = Counter(str(rec.fields[name]) for rec in still_linked if rec.fields.get(name))
        for row in rows:
            value = by_key[row["value"]]
            counts[(name, value)] = max(0, int(row["n"]) - linked.get(value, 0))
    return counts


async def _link_identifiers(graph: Graph, records: Sequence[RecordWrite]) -> None:
    ring = crypto.current()
    for name, (label, rel) in IDENTIFIER_FIELDS.items():
        if name in SENSITIVE_FIELDS:
            rows = [
                {
                    "uid": rec.uid,
                    "value": ring.digest(name, rec.fields[name]),
                    "raw": ring.seal(rec.raw.get(name, "")),
                    "sealed": ring.seal(str(rec.fields[name])),
                }
                for rec in records
                if rec.fields.get(name)
            ]
        else:
            rows = [
                {"uid": rec.uid, "value": str(rec.fields[name]), "raw": rec.raw.get(name, "")}
                for rec in records
                if rec.fields.get(name)
            ]
        if rows:
            await graph.write_batches(link_identifiers_query(label, rel, sealed=name in SENSITIVE_FIELDS), rows)


async def identifier_counts(graph: Graph, values: Mapping[str, Sequence[str]]) -> dict[tuple[str, str], int]:
    """How many records hold each (field, value): the hub signal for shared identifiers."""
    counts: dict[tuple[str, str], int] = {}
    ring = crypto.current()
    for name, vals in values.items():
        if name not in IDENTIFIER_FIELDS or not vals:
            continue
        label, rel = IDENTIFIER_FIELDS[name]
        by_key = {node_value(ring, name, v): v for v in set(vals)}
        rows = await graph.read(
            f"UNWIND $values AS v MATCH (i:{label} {{value: v}})<-[:{rel}]-(s:SourceRecord) "
            "RETURN v AS value, count(s) AS n",
            values=sorted(by_key),
        )
        for row in rows:
            counts[(name, by_key[row["value"]])] = int(row["n"])
    return counts


async def placements(graph: Graph, uids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """uid -> {customer_id, outcome} of these records, as resolution left them."""
    rows = await graph.read(
        "UNWIND $uids AS u MATCH (s:SourceRecord {uid: u}) "
        "RETURN s.uid AS uid, s.customer_id AS customer_id, s.outcome AS outcome",
        uids=list(uids),
    )
    return {row["uid"]: row for row in rows}


async def count_records(graph: Graph, source: str | None = None) -> int:
    if source is None:
        rows = await graph.read("MATCH (s:SourceRecord) RETURN count(s) AS n")
    else:
        rows = await graph.read("MATCH (s:SourceRecord {source: $source}) RETURN count(s) AS n", source=source)
    return int(rows[0]["n"])
