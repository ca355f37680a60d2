"""One async Neo4j driver, wrapped with the few helpers every repository needs.

Everything speaks Bolt through the official driver: Neo4j 5 in production, the embedded ArcadeDB
server otherwise. Repositories receive a ``Graph``; they never build drivers themselves.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, LiteralString, TypeVar, cast

from neo4j import READ_ACCESS, AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, RoutingControl
from neo4j.exceptions import ConstraintError, ServiceUnavailable, SessionExpired, TransientError

from custgraph.graph import embedded
from custgraph.graph.cypher_log import CypherLog

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRYABLE = (ConstraintError, TransientError)
DEFAULT_BATCH = 5000
# ArcadeDB drops a Bolt message over 16 MiB without answering (the client then waits forever), so
# batches are also cut by their approximate encoded size.
MAX_BATCH_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class GraphConfig:
    """Where the graph is. ``uri=None`` means the embedded server under ``data_dir``."""

    uri: str | None
    user: str = "neo4j"
    password: str = ""
    database: str = "neo4j"
    data_dir: Path = Path(".custgraph")

    @property
    def embedded(self) -> bool:
        return self.uri is None

    @property
    def flavour(self) -> str:
        return "arcadedb" if self.embedded else "neo4j"

    def resolve(self) -> GraphConfig:
        """Start (or reuse) the embedded server when needed and return a config with a concrete URI."""
        if self.uri is not None:
            return self
        info = embedded.ensure_running(self.data_dir)
        return GraphConfig(info.uri, embedded.USER, info.password, embedded.DATABASE, self.data_dir)


class Transaction:
    """One write transaction: statements run through ``run`` commit together or not at all."""

    def __init__(self, tx: AsyncManagedTransaction, graph: Graph) -> None:
        self._tx = tx
        self._graph = graph

    async def run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        if self._graph.cypher_log is not None:
            self._graph.cypher_log.record(query)
        self._graph.queries_run += 1
        result = await self._tx.run(cast(LiteralString, query), params)
        return [record.data() async for record in result]


@dataclass
class Graph:
    """The async driver plus the database name, with retrying batched writes and a query counter."""

    driver: AsyncDriver
    database: str
    flavour: str = "neo4j"
    queries_run: int = field(default=0)
    reads_run: int = field(default=0)  # of which reads: a request's round trips (its audit entry is queued apart)
    # A server that drops a request never answers it; fail loudly instead of waiting forever.
    query_timeout: float = 900.0
    # Set by CUSTGRAPH_CYPHER_LOG: every distinct statement sent is recorded for the Neo4j 5 lint.
    cypher_log: CypherLog | None = field(default_factory=CypherLog.from_env)
    # Schema statements (graph/schema.py) this connection has run: each runs once per connection, not
    # once per call (an ingestRecords call ran all ~40 of them: most of its 150 ms).
    schema_ensured: set[str] = field(default_factory=set, repr=False)

    @classmethod
    def connect(cls, config: GraphConfig) -> Graph:
        concrete = config.resolve()
        driver = AsyncGraphDatabase.driver(concrete.uri, auth=(concrete.user, concrete.password))
        return cls(driver=driver, database=concrete.database, flavour=config.flavour)

    async def close(self) -> None:
        await self.driver.close()

    async def read(self, query: str, *, attempts: int = 3, **params: Any) -> list[dict[str, Any]]:
        """Run one read in an auto-commit transaction: one round trip (RUN and PULL pipelined), where a
        managed transaction (``execute_query``) adds BEGIN and COMMIT, which doubled the API's latency."""
        return await self._read(query, attempts, params, plain=False)

    async def read_values(self, query: str, *, attempts: int = 3, **params: Any) -> list[dict[str, Any]]:
        """``read`` for statements returning only values (scalars, lists, maps such as ``properties(n)``),
        never nodes or relationships: the rows as the driver decoded them, without ``Record.data()``'s
        recursive conversion (a third of a keyword search's CPU on its 200 candidate maps)."""
        return await self._read(query, attempts, params, plain=True)

    async def _read(self, query: str, attempts: int, params: dict[str, Any], *, plain: bool) -> list[dict[str, Any]]:
        if self.cypher_log is not None:
            self.cypher_log.record(query)

        async def attempt() -> list[dict[str, Any]]:
            self.queries_run += 1
            self.reads_run += 1
            return await asyncio.wait_for(self._auto_read(query, params, plain), self.query_timeout)

        return await _retrying(attempt, (TransientError, ServiceUnavailable, SessionExpired), attempts, "read")

    async def _auto_read(self, query: str, params: dict[str, Any], plain: bool) -> list[dict[str, Any]]:
        # The bookmarks of execute_query's writes: on a Neo4j cluster a read routed to a secondary still
        # sees what this process wrote before it (causal consistency); a single server ignores them.
        async with self.driver.session(
            database=self.database,
            default_access_mode=READ_ACCESS,
            bookmark_manager=self.driver.execute_query_bookmark_manager,
        ) as session:
            result = await session.run(cast(LiteralString, query), params)
            if plain:
                return [dict(zip(record.keys(), record.values(), strict=True)) async for record in result]
            return [record.data() async for record in result]

    async def write(self, query: str, *, attempts: int = 5, **params: Any) -> list[dict[str, Any]]:
        """Run one write, retrying the errors concurrent MERGEs raise."""
        if self.cypher_log is not None:
            self.cypher_log.record(query)

        async def attempt() -> list[dict[str, Any]]:
            self.queries_run += 1
            records, _, _ = await asyncio.wait_for(
                self.driver.execute_query(
                    cast(LiteralString, query), params, database_=self.database, routing_=RoutingControl.WRITE
                ),
                self.query_timeout,
            )
            return [record.data() for record in records]

        return await _retrying(attempt, RETRYABLE, attempts, "write")

    async def transaction(self, work: Callable[[Transaction], Awaitable[T]], *, attempts: int = 5) -> T:
        """Run ``work`` in one write transaction, run again from the start when it conflicts.

        ``work`` may run more than once, so it must not change anything outside the graph. The driver
        itself retries TransientError (a deadlock, a concurrent modification); the loop here adds the
        ConstraintError of two concurrent MERGEs of one new key.
        """

        async def attempt() -> T:
            async with self.driver.session(
                database=self.database, bookmark_manager=self.driver.execute_query_bookmark_manager
            ) as session:
                return await asyncio.wait_for(
                    session.execute_write(lambda tx: work(Transaction(tx, self))), self.query_timeout
                )

        return await _retrying(attempt, RETRYABLE, attempts, "transaction")

    async def write_batches(
        self,
        query: str,
        rows: Sequence[dict[str, Any]] | Iterable[dict[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH,
        **params: Any,
    ) -> int:
        """Send ``rows`` as ``$rows`` in chunks; each chunk is one idempotent UNWIND statement."""
        chunk: list[dict[str, Any]] = []
        sent = size = 0
        for row in rows:
            chunk.append(row)
            size += len(json.dumps(row, default=str, ensure_ascii=False).encode())
            if len(chunk) >= batch_size or size >= MAX_BATCH_BYTES:
                await self.write(query, rows=chunk, **params)
                sent += len(chunk)
                chunk, size = [], 0
        if chunk:
            await self.write(query, rows=chunk, **params)
            sent += len(chunk)
        return sent

    async def ping(self) -> bool:
        try:
            rows = await self.read("RETURN 1 AS one")
        except Exception:  # noqa: BLE001 - health checks report, they don't raise
            return False
        return bool(rows) and rows[0]["one"] == 1


async def _retrying(
    attempt: Callable[[], Awaitable[T]], retry_on: tuple[type[Exception], ...], attempts: int, what: str
) -> T:
    """Run ``attempt`` until it succeeds, at most ``attempts`` times, backing off exponentially after
    the errors worth another try (a conflicting MERGE, a transient failure); the last one is raised."""
    for number in range(1, attempts + 1):
        try:
            return await attempt()
        except retry_on as exc:
            if number == attempts:
                raise
            log.debug("retrying %s after %s (attempt %d)", what, type(exc).__name__, number)
            await asyncio.sleep(0.05 * 2**number)
    raise AssertionError("unreachable")
