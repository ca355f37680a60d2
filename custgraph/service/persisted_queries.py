"""Automatic persisted queries (Apollo APQ).

A client sends ``extensions.persistedQuery = {version: 1, sha256Hash}`` without the query; when this
worker has not seen the hash it answers ``PersistedQueryNotFound`` and the client sends the query
once more with the hash, which registers it. The store is a bounded in-memory LRU per worker
process: with several workers a client may register a query once per worker, which APQ allows.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

NOT_FOUND = "PersistedQueryNotFound"


class PersistedQueryError(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class PersistedQueryStore:
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._queries: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._queries)

    def resolve(self, query: str | None, extensions: Mapping[str, Any] | None) -> str | None:
        """The query to run: the one sent (registered under its hash) or the one stored for the hash."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            return query
        if not isinstance(persisted, Mapping) or persisted.get("version") != 1:
            raise PersistedQueryError("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or not digest:
            raise PersistedQueryError("persistedQuery needs a sha256Hash", "BAD_REQUEST")
        digest = digest.lower()
        if query is None:
            stored = self._queries.get(digest)
            if stored is None:
                raise PersistedQueryError(NOT_FOUND, "PERSISTED_QUERY_NOT_FOUND")
            self._queries.move_to_end(digest)
            return stored
        if hashlib.sha256(query.encode("utf-8")).hexdigest() != digest:
            raise PersistedQueryError("provided sha does not match query", "BAD_REQUEST")
        self._queries[digest] = query
        self._queries.move_to_end(digest)
        while len(self._queries) > self.capacity:
            self._queries.popitem(last=False)
        return query
