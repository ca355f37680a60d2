"""Re-encryption after a key rotation: every encrypted value rewritten under the active key.

Nodes are read in batches, in the order of their unique key, and a batch is written back only where a
value was made with another key; a SourceRecord batch brings its outgoing edges along (the
RESOLVED_TO evidence, the encrypted value on a national ID or bank card link). A checkpoint (a
Sequence node) remembers the last key done, so a killed run resumes there; running it again when
everything is under the active key reads and changes nothing. Old and new tokens are both readable
all along, since every key stays in the key file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from custgraph.crypto import KeyRing
from custgraph.graph.connection import Graph
from custgraph.graph.schema import UNIQUE_KEYS, _ident
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
    graph: Graph, ring: KeyRing, *, batch: int = BATCH, progress: Callable[[str, int], None] | None = None
) -> ReencryptSummary:
    """Rewrite every value encrypted with a key other than ``ring``'s active one (see the module)."""
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
            changed = [{"key": row["key"], "props": props} for row in rows if (props := _stale(ring, row["props"]))]
            if changed:
                await graph.write_batches(_set_nodes(label, key), changed)
                summary.nodes_rewritten += len(changed)
                summary.by_label[label] = summary.by_label.get(label, 0) + len(changed)
            if label == "SourceRecord":
                summary.edges_rewritten += await _record_edges(graph, ring, [row["key"] for row in rows])
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
        if props := _stale(ring, row["props"] or {}):
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
