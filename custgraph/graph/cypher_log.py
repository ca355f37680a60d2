"""Record every distinct Cypher statement sent to the graph, for the Neo4j 5 lint in CI.

When ``CUSTGRAPH_CYPHER_LOG`` names a file, each process appends one JSON line
``{"query": ..., "where": ...}`` the first time it sends a query text; ``where`` is the function that
called the graph layer (e.g. ``custgraph.graph.repositories.records.upsert_records``). Several
processes (the test suite, the CLI it starts, uvicorn) may append to the same file: it is opened in
append mode and each line goes out in one ``write`` call. Duplicates across processes are harmless;
the lint reads each distinct query once. Unset, nothing is recorded and a query costs one ``is None``.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

ENV = "CUSTGRAPH_CYPHER_LOG"

# frames in these modules are the graph layer's plumbing, never the caller we want to name
_PLUMBING = frozenset({__name__, "custgraph.graph.connection"})


class CypherLog:
    """Appends each distinct query text once per process to ``path``."""

    _by_path: dict[str, CypherLog] = {}
    _registry_lock = threading.Lock()

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    @classmethod
    def shared(cls, path: str | Path) -> CypherLog:
        """One recorder (one dedupe set) per file per process."""
        key = os.path.abspath(path)
        with cls._registry_lock:
            log = cls._by_path.get(key)
            if log is None:
                log = cls._by_path[key] = cls(key)
            return log

    @classmethod
    def from_env(cls) -> CypherLog | None:
        path = os.environ.get(ENV)
        return cls.shared(path) if path else None

    def record(self, query: str, where: str | None = None) -> bool:
        """Append ``query`` unless this process has already recorded it; True when it was written."""
        if query in self._seen:
            return False
        with self._lock:
            if query in self._seen:
                return False
            self._seen.add(query)
        line = json.dumps({"query": query, "where": where or caller()}, ensure_ascii=False) + "\n"
        data = line.encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = os.write(fd, data)  # one write: lines from other processes never interleave
        finally:
            os.close(fd)
        if written != len(data):  # pragma: no cover - a full disk
            raise OSError(f"short write to {self.path}: {written} of {len(data)} bytes")
        return True


def caller(skip: frozenset[str] = _PLUMBING) -> str:
    """``module.qualname`` of the nearest function on the stack outside the graph layer's plumbing."""
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "?")
        if module not in skip:
            return f"{module}.{frame.f_code.co_qualname}"
        frame = frame.f_back
    return "?"


def record(query: str, where: str | None = None) -> None:
    """Record ``query`` in the file ``CUSTGRAPH_CYPHER_LOG`` names, if any (for senders without a Graph)."""
    log = CypherLog.from_env()
    if log is not None:
        log.record(query, where)
