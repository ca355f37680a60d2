"""Request limits at the HTTP edge: a body-size cap (413) and a rate limit per credential (429).

Both are plain ASGI middleware (no body buffering of their own). The body cap sits outermost, so an
oversized body is refused before anything reads it: at once from its Content-Length, or as soon as a
chunked body passes the cap. The rate limit sits inside authentication (service/auth.py), so it is
keyed by who is calling (a user, an API key) and falls back to the client's IP for a request that
carries no credential (open paths, development's anonymous local admin).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNLIMITED_PATHS = frozenset({"/healthz"})  # health checks are never throttled


class BodyTooLarge(Exception):
    """The request body passed the cap while it was being read."""


def _too_large(limit: int) -> JSONResponse:
    message = f"the request body is over the limit of {limit} bytes"
    return JSONResponse({"error": "payload_too_large", "message": message}, status_code=413)


class BodyLimitMiddleware:
    """Answers 413 to a request whose body is longer than ``max_bytes``, without reading all of it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(self.max_bytes)(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:  # a chunked body (no Content-Length) or one that lied
                    raise BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if started:  # too late for a status: the connection is dropped instead
                raise
            await _too_large(self.max_bytes)(scope, receive, send)


@dataclass
class _Bucket:
    tokens: float
    at: float


class TokenBuckets:
    """One token bucket per key: ``per_minute`` requests a minute on average, bursts up to ``burst``.

    Keys are kept in LRU order and the least recently seen dropped past ``max_keys``: a flood of
    new client addresses cannot grow memory without bound (a dropped key starts again with a full bucket).
    """

    def __init__(self, per_minute: float, burst: int, *, max_keys: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, key: str, now: float | None = None) -> float:
        """0 when a request for ``key`` may go ahead (one token taken), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.pop(key, None) or _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        self._buckets[key] = bucket
        if len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate


def caller_key(scope: Scope) -> str:
    """Who a request counts against: its credential (``key:<name>``, ``jwt:<user>``; the principal
    service/auth.py leaves on the request), else the client's IP."""
    principal = scope.get("state", {}).get("principal")
    credential = getattr(principal, "credential", "")
    if isinstance(credential, str) and credential:
        return credential
    client = scope.get("client")
    return f"ip:{client[0] if client else 'unknown'}"


class RateLimitMiddleware:
    """Answers 429 with ``Retry-After`` (whole seconds) to a caller over its rate."""

    def __init__(self, app: ASGIApp, per_minute: float, burst: int) -> None:
        self.app = app
        self.buckets = TokenBuckets(per_minute, burst)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(caller_key(scope))
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        response = JSONResponse(
            {"error": "rate_limited", "message": f"too many requests: retry after {retry_after} s"},
            status_code=429,
            headers={"Retry-After": str(retry_after)},
        )
        await response(scope, receive, send)
