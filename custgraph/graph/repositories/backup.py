"""Backup and restore of the whole graph as gzipped JSON lines, in bounded memory, on either server.

The file (``custgraph backup FILE``) is gzip-compressed UTF-8 JSON, one object per line:

1. a header: ``{"format": "custgraph-backup", "format_version": 1, "schema_version": ..., "created_at": ...,
   "keys": {label: key property}, "counts": {"nodes": {labels: n}, "edges": {type: n}}}``;
2. every node: ``{"node": [labels...], "props": {...}}``, label by label;
3. every edge: ``{"edge": type, "from": [[labels...], key], "to": [[labels...], key], "props": {...}}``;
4. a trailer: ``{"end": true, "nodes": N, "edges": M}``; a file without it is truncated and refused.

Internal node ids are not portable (Neo4j and ArcadeDB number nodes differently, and a restore
numbers them anew), so an edge names its ends by their unique key (graph/schema.py: Customer.id,
SourceRecord.uid ...), which the restore looks up through the same uniqueness indexes. A label with
no unique key (none today) falls back to the server's element id of the node, kept during the restore in a
temporary ``custgraph_restore_ref`` property that is removed at the end.

Property values are JSON; the few types JSON lacks (temporal values, bytes) travel as
``{"$type": ..., "value": ...}`` (a node property can never be a map, so this is unambiguous).

Reads stream through the driver a fetch at a time and writes go in UNWIND batches, so neither side
holds more than a batch. A backup taken while the service writes is not a point-in-time snapshot:
take it with writes stopped (the counts in the header and the trailer would then differ).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, LiteralString, cast

from neo4j import READ_ACCESS
from neo4j.time import Date, DateTime, Duration, Time

from custgraph.graph.connection import Graph
from custgraph.graph.schema import (
    UNIQUE_KEYS,
    constraint_statements,
    ensure_schema,
    existing_constraints,
    index_statements,
)
from custgraph.graph.schema import _ident as ident

FORMAT = "custgraph-backup"
FORMAT_VERSION = 1
FETCH = 2000  # records per fetch while streaming a read
BATCH_ROWS = 2000  # rows per restore statement
BATCH_BYTES = 2 * 1024 * 1024  # and at most about this much JSON (ArcadeDB drops Bolt messages over 16 MiB)
WIPE_BATCH = 5000
REF = "custgraph_restore_ref"

LABEL_COUNTS = "MATCH (n) RETURN labels(n) AS labels, count(*) AS n"
EDGE_COUNTS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"
EDGE_SHAPES = "MATCH (a)-[r]->(b) RETURN DISTINCT labels(a) AS a, type(r) AS type, labels(b) AS b"
ANY_NODE = "MATCH (n) RETURN count(n) > 0 AS found LIMIT 1"
WIPE = f"MATCH (n) WITH n LIMIT {WIPE_BATCH} DETACH DELETE n RETURN count(*) AS n"


class BackupError(ValueError):
    """A backup file that cannot be restored, or a graph a restore must not write into."""


def schema_version() -> str:
    """A digest of the constraints and indexes this code creates: tells which schema a backup came from."""
    statements = "\n".join([*constraint_statements(), *index_statements()])
    return hashlib.sha256(statements.encode()).hexdigest()[:16]


# ---- values ------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, DateTime | Date | Time):
        return {"$type": type(value).__name__, "value": value.iso_format()}
    if isinstance(value, Duration):
        return {"$type": "Duration", "value": [value.months, value.days, value.seconds, value.nanoseconds]}
    if isinstance(value, datetime):
        return {"$type": "DateTime", "value": value.isoformat()}
    if isinstance(value, bytes | bytearray):
        return {"$type": "bytes", "value": base64.b64encode(value).decode("ascii")}
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and "$type" in value:
        kind, raw = value["$type"], value["value"]
        if kind == "bytes":
            return base64.b64decode(raw)
        if kind == "Duration":
            months, days, seconds, nanoseconds = raw
            return Duration(months=months, days=days, seconds=seconds, nanoseconds=nanoseconds)
        parsers = {"DateTime": DateTime, "Date": Date, "Time": Time}
        if kind in parsers:
            return parsers[kind].from_iso_format(raw)
        raise BackupError(f"unknown value type {kind!r} in the backup")
    return value


def _decode(props: dict[str, Any]) -> dict[str, Any]:
    return {k: _decode_value(v) for k, v in props.items()}


def _line(item: dict[str, Any]) -> bytes:
    return (json.dumps(item, ensure_ascii=False, separators=(",", ":"), default=_encode) + "\n").encode("utf-8")


# ---- keys ----------------------------------------------------------------------------------------


async def node_keys(graph: Graph) -> dict[str, str]:
    """label -> its unique key property: the ones this code declares plus any other the server holds."""
    keys = dict(UNIQUE_KEYS)
    for label, prop in sorted(await existing_constraints(graph)):
        keys.setdefault(label, prop)
    return keys


def _key_of(labels: list[str], keys: dict[str, str]) -> tuple[str, str] | None:
    """(label, key property) identifying nodes with these labels, or None (no unique key)."""
    for label in sorted(labels):
        if label in keys:
            return label, keys[label]
    return None


def _pattern(variable: str, labels: list[str]) -> str:
    return variable + "".join(f":{ident(label)}" for label in labels)


def _key_expression(variable: str, labels: list[str], keys: dict[str, str]) -> str:
    found = _key_of(labels, keys)
    return f"{variable}.{ident(found[1])}" if found else f"elementId({variable})"


# ---- backup --------------------------------------------------------------------------------------


async def _stream(graph: Graph, query: str, **params: Any) -> AsyncIterator[dict[str, Any]]:
    """A read's rows as they arrive, a fetch at a time (``Graph.read`` would hold them all)."""
    if graph.cypher_log is not None:  # the Neo4j 5 lint sees these statements too
        graph.cypher_log.record(query)
    async with graph.driver.session(
        database=graph.database, default_access_mode=READ_ACCESS, fetch_size=FETCH
    ) as session:
        result = await session.run(cast(LiteralString, query), params)
        async for record in result:
            yield dict(zip(record.keys(), record.values(), strict=True))


@dataclass
class Counts:
    nodes: int = 0
    edges: int = 0
    by_label: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)


async def backup(graph: Graph, out: IO[bytes]) -> Counts:
    """Write every node and edge to ``out`` (a binary stream; the caller gzips it). Returns the counts."""
    keys = await node_keys(graph)
    label_sets = sorted((sorted(row["labels"]), int(row["n"])) for row in await graph.read(LABEL_COUNTS))
    edge_counts = {row["type"]: int(row["n"]) for row in await graph.read(EDGE_COUNTS)}
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": schema_version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "server": graph.flavour,
        "keys": keys,
        "counts": {"nodes": {":".join(labels): n for labels, n in label_sets}, "edges": edge_counts},
    }
    out.write(_line(header))
    counts = Counts()
    for labels, _ in label_sets:
        if not labels:
            raise BackupError("a node without a label cannot be restored")
        ref = "" if _key_of(labels, keys) else ", elementId(n) AS ref"
        query = f"MATCH ({_pattern('n', labels)}) WHERE size(labels(n)) = $size RETURN properties(n) AS props{ref}"
        async for row in _stream(graph, query, size=len(labels)):
            item: dict[str, Any] = {"node": labels, "props": row["props"]}
            if "ref" in row:
                item["ref"] = row["ref"]
            out.write(_line(item))
            counts.nodes += 1
            counts.by_label[":".join(labels)] = counts.by_label.get(":".join(labels), 0) + 1
    shapes = sorted(
        {(tuple(sorted(row["a"])), row["type"], tuple(sorted(row["b"]))) for row in await graph.read(EDGE_SHAPES)}
    )
    for a_labels, rel, b_labels in shapes:
        a, b = list(a_labels), list(b_labels)
        query = (
            f"MATCH ({_pattern('a', a)})-[r:{ident(rel)}]->({_pattern('b', b)}) "
            "WHERE size(labels(a)) = $a_size AND size(labels(b)) = $b_size "
            f"RETURN {_key_expression('a', a, keys)} AS a, properties(r) AS props, {_key_expression('b', b, keys)} AS b"
        )
        async for row in _stream(graph, query, a_size=len(a), b_size=len(b)):
            out.write(_line({"edge": rel, "from": [a, row["a"]], "to": [b, row["b"]], "props": row["props"]}))
            counts.edges += 1
            counts.by_type[rel] = counts.by_type.get(rel, 0) + 1
    out.write(_line({"end": True, "nodes": counts.nodes, "edges": counts.edges}))
    return counts


async def backup_file(graph: Graph, path: Path) -> Counts:
    """``backup`` into a gzip file, written beside it and renamed when complete (owner-only)."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as raw:
        partial.chmod(0o600)  # it holds every personal value the graph holds
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as out:
            counts = await backup(graph, out)
    partial.replace(path)
    return counts


# ---- restore -------------------------------------------------------------------------------------


async def is_empty(graph: Graph) -> bool:
    rows = await graph.read(ANY_NODE)
    return not (rows and rows[0]["found"])


async def wipe(graph: Graph) -> int:
    """Delete every node and edge, a batch per statement (one huge DETACH DELETE would not fit in memory)."""
    deleted = 0
    while True:
        rows = await graph.write(WIPE)
        n = int(rows[0]["n"]) if rows else 0
        deleted += n
        if n < WIPE_BATCH:
            return deleted


def _items(lines: IO[bytes]) -> Iterator[dict[str, Any]]:
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            try:
                item = json.loads(raw)
            except ValueError:
                raise BackupError(f"line {number} of the backup is not JSON") from None
            if not isinstance(item, dict):
                raise BackupError(f"line {number} of the backup is not an object")
            yield item


@dataclass
class _Batch:
    query: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    size: int = 0


class _Writer:
    """Rows grouped by the statement that writes them, each group sent when it is full."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.batches: dict[str, _Batch] = {}
        self.written = 0  # nodes and edges the server reports created

    async def add(self, query: str, row: dict[str, Any], size: int) -> None:
        batch = self.batches.setdefault(query, _Batch(query))
        batch.rows.append(row)
        batch.size += size
        if len(batch.rows) >= BATCH_ROWS or batch.size >= BATCH_BYTES:
            await self._send(batch)

    async def _send(self, batch: _Batch) -> None:
        if batch.rows:
            rows = await self.graph.write(batch.query, rows=batch.rows)
            self.written += int(rows[0]["n"]) if rows else 0
            batch.rows, batch.size = [], 0

    async def flush(self) -> None:
        for batch in self.batches.values():
            await self._send(batch)


def _node_query(labels: list[str]) -> str:
    return f"UNWIND $rows AS row CREATE ({_pattern('n', labels)}) SET n += row RETURN count(n) AS n"


def _edge_query(a: list[str], rel: str, b: list[str], keys: dict[str, str]) -> str:
    def end(variable: str, labels: list[str]) -> str:
        found = _key_of(labels, keys)
        prop = ident(found[1]) if found else ident(REF)
        return f"MATCH ({_pattern(variable, labels)} {{{prop}: row.{variable}}})"

    return (
        f"UNWIND $rows AS row {end('a', a)} {end('b', b)} "
        f"CREATE (a)-[r:{ident(rel)}]->(b) SET r += row.props RETURN count(r) AS n"
    )


async def restore(graph: Graph, lines: IO[bytes], *, force: bool = False) -> Counts:
    """Recreate the graph of a backup (its decompressed lines). The graph must be empty unless ``force``,
    which deletes everything in it first. The schema is created before any node."""
    items = _items(lines)
    header = next(items, None)
    if not header or header.get("format") != FORMAT:
        raise BackupError("not a custgraph backup (no header line)")
    if header.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format version {header.get('format_version')} is not {FORMAT_VERSION}")
    if not await is_empty(graph):
        if not force:
            raise BackupError("the graph is not empty: restore into an empty data dir, or pass --force to replace it")
        await wipe(graph)
    keys: dict[str, str] = {**header.get("keys", {}), **UNIQUE_KEYS}
    await ensure_schema(graph)
    for label, prop in sorted(keys.items()):
        if label not in UNIQUE_KEYS:  # a key this code does not declare (a newer version's label)
            await graph.write(
                f"CREATE CONSTRAINT {label.lower()}_{prop}_unique IF NOT EXISTS "
                f"FOR (n:{ident(label)}) REQUIRE n.{ident(prop)} IS UNIQUE"
            )
    writer = _Writer(graph)
    counts = Counts()
    referenced: set[tuple[str, ...]] = set()
    nodes_done = False
    trailer: dict[str, Any] | None = None
    for item in items:
        if "node" in item:
            if nodes_done:
                raise BackupError("a node after the edges: the backup is out of order")
            labels = [str(label) for label in item["node"]]
            props = _decode(item.get("props") or {})
            if "ref" in item:
                props[REF] = item["ref"]
                referenced.add(tuple(labels))
            await writer.add(_node_query(labels), props, len(str(props)))
            counts.nodes += 1
        elif "edge" in item:
            if not nodes_done:
                await writer.flush()  # every node exists before the first edge looks its ends up
                nodes_done = True
            (a, a_key), (b, b_key) = item["from"], item["to"]
            row = {"a": a_key, "b": b_key, "props": _decode(item.get("props") or {})}
            await writer.add(_edge_query(list(a), str(item["edge"]), list(b), keys), row, len(str(row)))
            counts.edges += 1
            counts.by_type[item["edge"]] = counts.by_type.get(item["edge"], 0) + 1
        elif item.get("end"):
            trailer = item
            break
    await writer.flush()
    for labels in sorted(referenced):
        # SET ... = null, not REMOVE: ArcadeDB silently ignored ``REMOVE n.`prop` `` (a backticked name) here
        query = (
            f"MATCH ({_pattern('n', list(labels))}) WHERE n.{ident(REF)} IS NOT NULL "
            f"WITH n LIMIT {WIPE_BATCH} SET n.{ident(REF)} = null RETURN count(*) AS n"
        )
        removed = WIPE_BATCH
        while removed >= WIPE_BATCH:
            removed = int((await graph.write(query))[0]["n"])
    if trailer is None:
        raise BackupError(f"the backup is truncated (no end line after {counts.nodes} nodes, {counts.edges} edges)")
    if (trailer.get("nodes"), trailer.get("edges")) != (counts.nodes, counts.edges):
        raise BackupError(
            f"the backup says {trailer.get('nodes')} nodes and {trailer.get('edges')} edges; read {counts.nodes} "
            f"and {counts.edges}"
        )
    if writer.written != counts.nodes + counts.edges:
        # an edge whose end was not found is not created: say so rather than restore a different graph
        raise BackupError(f"wrote {writer.written} of the {counts.nodes + counts.edges} nodes and edges read")
    return counts


def read_header(path: Path) -> dict[str, Any]:
    """The header of a backup file, checked (before any graph is touched)."""
    try:
        with gzip.open(path, "rb") as lines:
            first = lines.readline()
    except (OSError, EOFError) as exc:  # not gzip, or cut short inside the first block
        raise BackupError(f"{path} is not a gzipped custgraph backup ({exc})") from None
    try:
        header = json.loads(first)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a custgraph backup (no header line)")
    if header.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format version {header.get('format_version')} is not {FORMAT_VERSION}")
    return header


async def restore_file(graph: Graph, path: Path, *, force: bool = False) -> Counts:
    with gzip.open(path, "rb") as lines:
        return await restore(graph, lines, force=force)
