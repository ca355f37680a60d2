"""The one retry loop behind Graph.read, write and transaction (pure: no server)."""

from __future__ import annotations

import asyncio

import pytest
from neo4j.exceptions import ConstraintError, TransientError

from custgraph.graph import connection
from custgraph.graph.connection import RETRYABLE, _retrying


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    async def instant(_: float) -> None:
        return None

    monkeypatch.setattr(connection.asyncio, "sleep", instant)


def failing(errors: list[Exception], result: str = "done"):
    calls: list[int] = []

    async def attempt() -> str:
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return result

    return attempt, calls


def test_a_conflicting_merge_is_tried_again_until_it_succeeds() -> None:
    attempt, calls = failing([ConstraintError("dup"), TransientError("deadlock")])
    assert asyncio.run(_retrying(attempt, RETRYABLE, 5, "write")) == "done"
    assert len(calls) == 3


def test_the_last_error_is_raised_when_every_attempt_fails() -> None:
    attempt, calls = failing([TransientError("a"), TransientError("b"), TransientError("c")])
    with pytest.raises(TransientError, match="c"):
        asyncio.run(_retrying(attempt, RETRYABLE, 3, "write"))
    assert len(calls) == 3


def test_other_errors_are_not_retried() -> None:
    attempt, calls = failing([ValueError("bad statement")])
    with pytest.raises(ValueError):
        asyncio.run(_retrying(attempt, RETRYABLE, 5, "write"))
    assert len(calls) == 1
