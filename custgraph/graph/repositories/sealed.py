"""Re-encryption after a key rotation: every encrypted value rewritten under the active key.

Nodes are read in batches, in the order of their unique key, and a batch is written back only where a
value was made with another key; a SourceRecord batch brings its outgoing edges along (the
RESOLVED_TO evidence, the encrypted value on a national ID or bank card link). A checkpoint (a
Sequence node) remembers the last key done, so a killed run resumes there; running it again when
everything is under the active key reads and changes nothing. Old and new tokens are both readable
all along, since every key stays in the key file.

Data stored before values were encrypted is sealed on the same pass: a record's plaintext national
ID or bank card is encrypted, its blocking keys on them hashed and its identifier edge moved to the
node of the digest (the plaintext node is dropped once no record links to it), as are the evidence
and import issues holding one. A re-import could not do it: an unchanged row is never rewritten.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from custgraph.crypto import DIGEST_PREFIX, KeyRing
from custgraph.graph.connection import Graph
from custgraph.graph.repositories.records import link_identifiers_query
from custgraph.graph.schema import UNIQUE_KEYS, _ident, blocking_property
from custgraph.vocabulary import IDENTIFIER_BY_FIELD, SENSITIVE_FIELDS

BATCH = 1000
CHECKPOINT = "reencrypt"
# derived look-up keys and counters: never encrypted, and the search keys are the most numerous nodes
SKIPPED = frozenset({"SearchKey", "Sequence"})
# SourceRecord -[rel]-> (label {key}): the edges that may hold encrypted values
EDGES: dict[str, tuple[str, str]] = {
    "RESOLVED_TO": ("Customer", "id"),
    **{IDENTIFIER_BY_FIELD[f].rel: (IDENTIFIER_BY_FIELD[f].label, "value") for f in SENSITIVE_FIELDS},
}


@dataclass
class ReencryptSummary:
    active: str
    nodes_read: int = 0
    nodes_rewritten: int = 0
    edges_rewritten: int = 0
    by_label: dict[str, int] = field(default_factory=dict)  # label -> nodes rewritten

    def line(self) -> str:
        return (
            f"reencrypt to key {self.active}: nodes read={self.nodes_read} rewritten={self.nodes_rewritten} "
            f"edges rewritten={self.edges_rewritten}"
        )


def _page(label: str, key: str, *, first: bool) -> str:
    where = "" if first else f"WHERE n.{_ident(key)} > $after "
    return (
        f"MATCH (n:{_ident(label)}) {where}"
        f"RETURN n.{_ident(key)} AS key, properties(n) AS props ORDER BY n.{_ident(key)} LIMIT $limit"
    )


def _set_nodes(label: str, key: str) -> str:
    return (
        f"UNWIND $rows AS row MATCH (n:{_ident(label)} {{{_ident(key)}: row.key}}) "
        "SET n += row.props RETURN count(n) AS n"
    )


RECORD_EDGES = """
UNWIND $uids AS u
MATCH (s:SourceRecord {uid: u})-[r]->(x)
WHERE type(r) IN $types
RETURN u AS uid, type(r) AS rel, coalesce(x.id, x.value) AS target, properties(r) AS props
"""


def _set_edges(rel: str, label: str, key: str) -> str:
    return (
        "UNWIND $rows AS row MATCH (s:SourceRecord {uid: row.uid})"
        f"-[r:{_ident(rel)}]->(x:{_ident(label)} {{{_ident(key)}: row.target}}) "
        "SET r += row.props RETURN count(r) AS n"
    )


def _stale(ring: KeyRing, props: dict[str, Any]) -> dict[str, Any]:
    """The properties holding a token of another key, re-encrypted under the active one."""
    return {
        name: ring.rekey_json(value) for name, value in props.items() if isinstance(value, str) and ring.stale(value)
    }


def _json_sealed(text: Any, seal: Callable[[Any], Any]) -> str | None:
    """``text`` (JSON) with ``seal`` applied, or None when that changes nothing."""
    if not isinstance(text, str) or not text:
        return None
    value = json.loads(text)
    sealed = seal(value)
    return None if sealed == value else json.dumps(sealed, ensure_ascii=False, sort_keys=True, default=str)


def _plaintext(ring: KeyRing, label: str, props: dict[str, Any], blocking: Collection[str]) -> dict[str, Any]:
    """The properties of a node stored before encryption that hold a sensitive value in plaintext, sealed."""
    out: dict[str, Any] = {}

    def check(name: str, seal: Callable[[Any], Any]) -> None:
        if (sealed := _json_sealed(props.get(name), seal)) is not None:
            out[name] = sealed

    if label == "SourceRecord":
        check("fields_json", ring.seal_fields)
        check("raw_json", ring.seal_fields)
        check("extra_json", ring.seal_extra)
        check("evidence_json", ring.seal_evidence)
        check(
            "history_json",
            lambda versions: [
                {**v, "fields": ring.seal_fields(v.get("fields") or {}), "raw": ring.seal_fields(v.get("raw") or {})}
                for v in versions
            ],
        )
        for rule in blocking:
            value = props.get(blocking_property(rule))
            if isinstance(value, str) and value and not value.startswith(DIGEST_PREFIX):
                out[blocking_property(rule)] = ring.digest(f"blocking:{rule}", value)
    elif label in ("ReviewItem", "RESOLVED_TO"):
        check("evidence_json", ring.seal_evidence)
    elif label == "ImportRun":
        check("issues_json", ring.seal_issues)
    return out


def _changes(ring: KeyRing, label: str, props: dict[str, Any], blocking: Collection[str]) -> dict[str, Any]:
    changed = _stale(ring, props)
    return changed | _plaintext(ring, label, props | changed, blocking)


async def _checkpoint(graph: Graph) -> dict[str, Any]:
    rows = await graph.read(
        "MATCH (q:Sequence {name: $name}) RETURN q.key_id AS key_id, q.label AS label, q.after AS after",
        name=CHECKPOINT,
    )
    return rows[0] if rows else {}


async def _save_checkpoint(graph: Graph, key_id: str, label: str | None, after: Any) -> None:
    await graph.write(
        "MERGE (q:Sequence {name: $name}) SET q.key_id = $key_id, q.label = $label, q.after = $after",
        name=CHECKPOINT,
        key_id=key_id,
        label=label,
        after=after,
    )


async def reencrypt(
    graph: Graph,
    ring: KeyRing,
    *,
    batch: int = BATCH,
    progress: Callable[[str, int], None] | None = None,
    blocking: Collection[str] = (),
) -> ReencryptSummary:
    """Rewrite every value encrypted with a key other than ``ring``'s active one, and seal what was
    stored in plaintext (see the module). ``blocking``: the blocking rules built on a sensitive field
    (pipeline.resolve.sensitive_blocking), whose plaintext keys are replaced by digests."""
    summary = ReencryptSummary(active=ring.active_id)
    labels = [(label, key) for label, key in UNIQUE_KEYS.items() if label not in SKIPPED]
    done = await _checkpoint(graph)
    resume = done.get("key_id") == ring.active_id and done.get("label") is not None
    start = next((i for i, (label, _) in enumerate(labels) if resume and label == done["label"]), 0)
    for label, key in labels[start:]:
        after = done.get("after") if resume and label == done.get("label") else None
        while True:
            query = _page(label, key, first=after is None)
            rows = await graph.read(query, after=after, limit=batch)
            if not rows:
                break
            summary.nodes_read += len(rows)
            changed = [
                {"key": row["key"], "props": props}
                for row in rows
                if (props := _changes(ring, label, row["props"], blocking))
            ]
            if changed:
                await graph.write_batches(_set_nodes(label, key), changed)
                summary.nodes_rewritten += len(changed)
                summary.by_label[label] = summary.by_label.get(label, 0) + len(changed)
            if label == "SourceRecord":
                summary.edges_rewritten += await _record_edges(graph, ring, [row["key"] for row in rows])
                summary.edges_rewritten += await _plaintext_identifiers(graph, ring, [row["key"] for row in rows])
            after = rows[-1]["key"]
            await _save_checkpoint(graph, ring.active_id, label, after)
            if progress is not None:
                progress(label, len(rows))
            if len(rows) < batch:
                break
    await _save_checkpoint(graph, ring.active_id, None, None)
    return summary


async def _record_edges(graph: Graph, ring: KeyRing, uids: list[str]) -> int:
    rows = await graph.read(RECORD_EDGES, uids=uids, types=sorted(EDGES))
    by_rel: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        props = _stale(ring, row["props"] or {})
        if row["rel"] == "RESOLVED_TO":
            props |= _plaintext(ring, "RESOLVED_TO", (row["props"] or {}) | props, ())
        if props:
            by_rel.setdefault(row["rel"], []).append({"uid": row["uid"], "target": row["target"], "props": props})
    count = 0
    for rel, changed in sorted(by_rel.items()):
        label, key = EDGES[rel]
        await graph.write_batches(_set_edges(rel, label, key), changed)
        count += len(changed)
    return count


async def stale_count(graph: Graph, ring: KeyRing) -> int:
    """How many node and record-edge properties hold a token of another key (0 after ``reencrypt``)."""
    count = 0
    for label in sorted(set(UNIQUE_KEYS) - SKIPPED):
        rows = await graph.read(f"MATCH (n:{_ident(label)}) RETURN properties(n) AS props")
        count += sum(len(_stale(ring, row["props"])) for row in rows)
    rows = await graph.read(
        "MATCH (:SourceRecord)-[r]->() WHERE type(r) IN $types RETURN properties(r) AS props", types=sorted(EDGES)
    )
    return count + sum(len(_stale(ring, row["props"] or {})) for row in rows)


PLAIN_IDENTIFIERS = """
UNWIND $uids AS u
MATCH (s:SourceRecord {uid: u})-[r]->(i)
WHERE type(r) IN $types AND NOT i.value STARTS WITH $prefix
RETURN u AS uid, type(r) AS rel, i.value AS value, r.raw AS raw
"""


def _drop_plain_edges(rel: str, label: str) -> str:
    return (
        f"UNWIND $rows AS row MATCH (s:SourceRecord {{uid: row.uid}})-[r:{_ident(rel)}]->"
        f"(i:{_ident(label)} {{value: row.plain}}) DELETE r"
    )


def _drop_orphans(label: str) -> str:
    return (
        f"UNWIND $values AS v MATCH (i:{_ident(label)} {{value: v}}) WHERE NOT EXISTS {{ MATCH (i)<-[]-() }} DELETE i"
    )


async def _plaintext_identifiers(graph: Graph, ring: KeyRing, uids: list[str]) -> int:
    """Identifier edges of these records that still point at a plaintext national ID or bank card node:
    moved to the digest's node, with the value kept encrypted on the edge."""
    rels = {IDENTIFIER_BY_FIELD[f].rel: f for f in SENSITIVE_FIELDS}
    rows = await graph.read(PLAIN_IDENTIFIERS, uids=uids, types=sorted(rels), prefix=DIGEST_PREFIX)
    count = 0
    for rel, name in sorted(rels.items()):
        label = IDENTIFIER_BY_FIELD[name].label
        moved = [
            {
                "uid": row["uid"],
                "plain": row["value"],
                "value": ring.digest(name, row["value"]),
                "raw": ring.seal(row["raw"] or ""),
                "sealed": ring.seal(row["value"]),
            }
            for row in rows
            if row["rel"] == rel
        ]
        if not moved:
            continue
        await graph.write_batches(_drop_plain_edges(rel, label), moved)
        digests = sorted({row["value"] for row in moved})
        await graph.write(f"UNWIND $values AS v MERGE (i:{_ident(label)} {{value: v}})", values=digests)
        await graph.write_batches(link_identifiers_query(label, rel, sealed=True), moved)
        await graph.write(_drop_orphans(label), values=sorted({row["plain"] for row in moved}))
        count += len(moved)
    return count
