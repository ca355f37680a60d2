"""Request limits at the HTTP edge (custgraph/service/limits.py): 413 and 429."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import Message, Receive, Scope, Send

from custgraph.service.limits import BodyLimitMiddleware, TokenBuckets, caller_key

MB = 1024 * 1024


async def echo_length(scope: Scope, receive: Receive, send: Send) -> None:
    body = await Request(scope, receive).body()
    await PlainTextResponse(str(len(body)))(scope, receive, send)


async def call(app: Any, headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> tuple[int, int]:
    """(status, chunks the app pulled) for a POST sent as ``chunks``."""
    pulled = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal pulled
        pulled += 1
        more = pulled < len(chunks)
        return {"type": "http.request", "body": chunks[pulled - 1], "more_body": more}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/graphql", "headers": headers, "query_string": b""}
    await app(scope, receive, send)
    return sent[0]["status"], pulled


async def test_a_declared_10_mb_body_is_refused_unread() -> None:
    app = BodyLimitMiddleware(echo_length, max_bytes=MB)
    status, pulled = await call(app, [(b"content-length", str(10 * MB).encode())], [b"x" * MB] * 10)
    assert (status, pulled) == (413, 0)


async def test_a_chunked_10_mb_body_is_refused_once_past_the_cap() -> None:
    app = BodyLimitMiddleware(echo_length, max_bytes=MB)
    status, pulled = await call(app, [], [b"x" * (64 * 1024)] * 160)  # 10 MB, no Content-Length
    assert status == 413
    assert pulled == 17  # 16 chunks make the cap; the 17th passes it; the other 143 are never read


async def test_a_body_under_the_cap_goes_through() -> None:
    app = BodyLimitMiddleware(echo_length, max_bytes=MB)
    status, pulled = await call(app, [(b"content-length", b"1000")], [b"x" * 1000])
    assert (status, pulled) == (200, 1)


def test_token_buckets_allow_a_burst_then_say_how_long_to_wait() -> None:
    buckets = TokenBuckets(per_minute=60, burst=3)
    assert [buckets.take("key:a", now=100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("key:a", now=100.0) == 1.0  # one token a second
    assert buckets.take("key:b", now=100.0) == 0.0  # another credential has its own bucket
    assert buckets.take("key:a", now=101.0) == 0.0  # refilled


def test_token_buckets_forget_the_least_recent_keys() -> None:
    buckets = TokenBuckets(per_minute=60, burst=1, max_keys=2)
    for key in ("ip:1", "ip:2", "ip:3"):
        buckets.take(key, now=0.0)
    assert buckets.take("ip:1", now=0.0) == 0.0  # dropped, so a full bucket again
    assert buckets.take("ip:3", now=0.0) > 0


class _Principal:
    credential = "key:portal"


def test_the_caller_is_its_credential_else_its_ip() -> None:
    assert caller_key({"state": {"principal": _Principal()}, "client": ("10.0.0.1", 5)}) == "key:portal"
    assert caller_key({"client": ("10.0.0.1", 5)}) == "ip:10.0.0.1"
