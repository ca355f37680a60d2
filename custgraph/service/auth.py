"""Authentication: who is calling, decided once per request before any route runs.

A request names its caller with ``Authorization: Bearer <credential>``, where the credential is

* an API key (``custgraph keys create``): a ``--user`` key acts as that user with the user's current
  role and teams; a ``--role`` key acts as ``key:<name>`` with its role and no teams;
* a JWT signed with HS256 (``CUSTGRAPH_JWT_SECRET``) or RS256 (``CUSTGRAPH_JWT_PUBLIC_KEY``), with
  ``iss`` and ``aud`` equal to ``CUSTGRAPH_JWT_ISSUER`` and ``CUSTGRAPH_JWT_AUDIENCE``, an ``exp``, and a
  ``sub`` naming a registered user, who then acts with their role and teams.

``X-User`` and ``X-Role`` grant nothing, except ``X-User`` on a request authenticated with a gateway
key (``keys create --gateway``): a portal that signs its own users in names one of them there
(percent-encoded UTF-8), and the request acts as that registered, enabled user with the user's role
and teams. A request without a credential is refused (401), except in development, where one from
the loopback interface acts as the local admin. ``/healthz`` is open.

A refused request is logged as one line (no traceback, no token, no name) and passed to the hooks
registered with :func:`on_refused` (the audit log writes a "refused login" entry there).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import api_keys, users
from custgraph.graph.repositories.users import User
from custgraph.resolvers.identity import USER_HEADER, Principal, header_text
from custgraph.service.settings import Settings

log = logging.getLogger("custgraph.auth")

LOCAL_ADMIN = "local-admin"  # who an anonymous loopback request is in development
OPEN_PATHS = frozenset({"/healthz"})
JWT_LEEWAY_SECONDS = 10  # clock skew allowed on exp / nbf / iat
MIN_HS256_SECRET_BYTES = 32
CACHE_ENTRIES = 10_000


# --- refusals and their hook ----------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """One refused request, as the hooks see it.

    ``reason`` is a short fixed text ("expired token", "unknown user", ...), never a value from the
    request. ``claimed_user`` is the user the credential named (a JWT's sub, a key's user, a gateway's
    X-User), when there was one: for the audit log, never for the server log.
    """

    reason: str
    ip: str | None
    path: str
    method: str  # "api_key" | "jwt" | "none"
    claimed_user: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


RefusedHook = Callable[[Refusal, Graph], Awaitable[None]]
_refused_hooks: list[RefusedHook] = []


def on_refused(hook: RefusedHook) -> RefusedHook:
    """Register ``async hook(refusal, graph)``, called for every refused request (usable as a decorator).

    A hook that raises is logged in one line and changes nothing: the request is refused all the same.
    """
    if hook not in _refused_hooks:
        _refused_hooks.append(hook)
    return hook


def remove_refused_hook(hook: RefusedHook) -> None:
    with contextlib.suppress(ValueError):
        _refused_hooks.remove(hook)


class Refused(Exception):  # noqa: N818 - a verdict, not a failure of the code
    def __init__(self, reason: str, *, method: str = "none", claimed_user: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.method = method
        self.claimed_user = claimed_user


# --- configuration --------------------------------------------------------------------------------


class AuthConfigError(ValueError):
    """The JWT settings can't work; the service refuses to start rather than accept the wrong tokens."""


def load_public_key(value: str) -> Any:
    """``CUSTGRAPH_JWT_PUBLIC_KEY``: the PEM text itself, or the path of a file holding it."""
    text = value.strip()
    if not text.startswith("-----BEGIN"):
        path = Path(text).expanduser()
        try:
            text = path.read_text(encoding="ascii")
        except OSError as exc:
            raise AuthConfigError(f"CUSTGRAPH_JWT_PUBLIC_KEY: can't read {path}: {exc.strerror}") from None
    try:
        return load_pem_public_key(text.encode("ascii"))
    except ValueError:
        raise AuthConfigError("CUSTGRAPH_JWT_PUBLIC_KEY is not a PEM public key") from None


@dataclass(frozen=True)
class JwtConfig:
    keys: Mapping[str, Any]  # algorithm -> verification key
    issuer: str
    audience: str

    @classmethod
    def from_settings(cls, settings: Settings) -> JwtConfig | None:
        keys: dict[str, Any] = {}
        if settings.jwt_secret:
            if len(settings.jwt_secret.encode()) < MIN_HS256_SECRET_BYTES:
                raise AuthConfigError(f"CUSTGRAPH_JWT_SECRET must be at least {MIN_HS256_SECRET_BYTES} bytes")
            keys["HS256"] = settings.jwt_secret
        if settings.jwt_public_key:
            keys["RS256"] = load_public_key(settings.jwt_public_key)
        if not keys:
            return None
        if not (settings.jwt_issuer and settings.jwt_audience):
            raise AuthConfigError("JWTs need CUSTGRAPH_JWT_ISSUER and CUSTGRAPH_JWT_AUDIENCE set")
        return cls(keys=keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience)


# --- a short-lived cache of look-ups ----------------------------------------------------------------


class TtlCache:
    """Values kept ``seconds`` at most (0: nothing kept); cleared whole when full."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._items: dict[str, tuple[float, Any]] = {}

    def get(self, key: str) -> Any | None:
        found = self._items.get(key)
        if found is None:
            return None
        if found[0] <= self.clock():
            self._items.pop(key, None)
            return None
        return found[1]

    def put(self, key: str, value: Any) -> None:
        if self.seconds <= 0:
            return
        if len(self._items) >= CACHE_ENTRIES:
            self._items.clear()
        self._items[key] = (self.clock() + self.seconds, value)

    def clear(self) -> None:
        self._items.clear()


# --- the authenticator ----------------------------------------------------------------------------


def is_loopback(ip: str | None) -> bool:
    if not ip:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def _is_jwt(token: str) -> bool:
    return token.count(".") == 2 and not token.startswith(api_keys.KEY_PREFIX)


class Authenticator:
    """Turns a request's headers and client address into a :class:`Principal`, or raises :class:`Refused`."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.production = settings.production
        self.jwt = JwtConfig.from_settings(settings)
        self.keys = TtlCache(settings.auth_cache_seconds, clock)
        self.users = TtlCache(settings.auth_cache_seconds, clock)

    def startup_message(self) -> str:
        jwts = "/".join(sorted(self.jwt.keys)) if self.jwt else ""
        accepted = f"an API key or a {jwts} JWT" if jwts else "an API key (no JWT key set)"
        if self.production:
            return f"production: every request but /healthz needs a credential: {accepted}"
        return (
            f"development: anonymous requests from 127.0.0.1/::1 act as the admin {LOCAL_ADMIN!r}; "
            f"others need a credential: {accepted}; set CUSTGRAPH_ENV=production to refuse them too"
        )

    async def authenticate(self, graph: Graph, headers: Mapping[str, str], ip: str | None) -> Principal:
        authorization = (headers.get("authorization") or "").strip()
        if not authorization:
            if not self.production and is_loopback(ip):
                return Principal(user=LOCAL_ADMIN, role="admin", method="local", credential=f"local:{ip}")
            raise Refused("no credential")
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Refused("not a bearer credential")
        if _is_jwt(token):
            return await self._from_jwt(graph, token)
        return await self._from_key(graph, token, headers)

    async def _user(self, graph: Graph, name: str, method: str) -> User:
        user = self.users.get(name)
        if user is None:
            user = await users.get_user(graph, name)
            if user is None:
                raise Refused("unknown user", method=method, claimed_user=name)
            self.users.put(name, user)
        if user.disabled:
            raise Refused("disabled user", method=method, claimed_user=name)
        return user

    async def _from_jwt(self, graph: Graph, token: str) -> Principal:
        if self.jwt is None:
            raise Refused("JWT not accepted (no key configured)", method="jwt")
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.InvalidTokenError:
            raise Refused("malformed token", method="jwt") from None
        key = self.jwt.keys.get(algorithm) if isinstance(algorithm, str) else None
        if key is None:
            raise Refused("token algorithm not accepted", method="jwt")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.jwt.audience,
                issuer=self.jwt.issuer,
                leeway=JWT_LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise Refused("expired token", method="jwt") from None
        except jwt.InvalidAudienceError:
            raise Refused("wrong audience", method="jwt") from None
        except jwt.InvalidIssuerError:
            raise Refused("wrong issuer", method="jwt") from None
        except jwt.InvalidSignatureError:
            raise Refused("bad signature", method="jwt") from None
        except jwt.MissingRequiredClaimError as exc:
            raise Refused(f"token lacks the {exc.claim} claim", method="jwt") from None
        except jwt.InvalidTokenError:
            raise Refused("invalid token", method="jwt") from None
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip():
            raise Refused("token lacks the sub claim", method="jwt")
        user = await self._user(graph, subject.strip(), "jwt")
        return Principal(
            user=user.name, role=user.role, teams=user.teams, method="jwt", credential=f"jwt:{user.name}"
        )

    async def _from_key(self, graph: Graph, token: str, headers: Mapping[str, str]) -> Principal:
        digest = api_keys.hash_key(token)
        found: api_keys.KeyCredential | None = self.keys.get(digest)
        if found is None:
            found = await api_keys.credential_for(graph, token)
            if found is None:
                raise Refused("unknown API key", method="api_key")
            self.keys.put(digest, found)
            if found.user is not None:
                self.users.put(found.user.name, found.user)
        key = found.key
        if key.revoked:
            raise Refused("revoked API key", method="api_key", claimed_user=key.user)
        credential = f"key:{key.name}"
        if key.gateway:
            named = header_text(headers.get(USER_HEADER))
            if named:
                user = await self._user(graph, named, "api_key")
                return Principal(
                    user=user.name,
                    role=user.role,
                    teams=user.teams,
                    method="gateway",
                    gateway=True,
                    key=key.name,
                    credential=credential,
                )
        if key.user is not None:
            user = await self._user(graph, key.user, "api_key")
            return Principal(
                user=user.name,
                role=user.role,
                teams=user.teams,
                method="api_key",
                gateway=key.gateway,
                key=key.name,
                credential=credential,
            )
        assert key.role is not None  # a key has a user or a role (api_keys.ApiKeyIn)
        return Principal(
            user=f"key:{key.name}",
            role=key.role,
            method="api_key",
            gateway=key.gateway,
            key=key.name,
            credential=credential,
        )


# --- the middleware -------------------------------------------------------------------------------


def _client_ip(scope: Scope) -> str | None:
    client = scope.get("client")
    return client[0] if client else None


async def _notify(refusal: Refusal, graph: Graph | None) -> None:
    for hook in list(_refused_hooks):
        try:
            await hook(refusal, graph)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - a hook never changes the answer
            log.warning("refused-request hook %s failed: %s", getattr(hook, "__name__", hook), type(exc).__name__)


class AuthMiddleware:
    """Authenticates every HTTP and WebSocket request but those to OPEN_PATHS, the paths ``is_open`` lets
    through (the web pages, service/pages.py) and CORS preflights.

    The principal is left in ``scope["state"]["principal"]`` (``request.state.principal``); a refusal is
    answered 401 with a JSON body and ``WWW-Authenticate: Bearer`` before the route sees the request.
    """

    def __init__(
        self, app: ASGIApp, authenticator: Authenticator, is_open: Callable[[str], bool] = lambda path: False
    ) -> None:
        self.app = app
        self.authenticator = authenticator
        # the web pages' shells and assets hold no data: they must load to show the sign-in
        self.is_open = is_open

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] not in ("http", "websocket") or path in OPEN_PATHS or self.is_open(path):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["type"] == "http" and scope.get("method") == "OPTIONS" and "access-control-request-method" in headers:
            await self.app(scope, receive, send)  # a CORS preflight carries no credential by design
            return
        ip = _client_ip(scope)
        app_state = getattr(scope.get("app"), "state", None)
        graph: Graph | None = getattr(app_state, "graph", None)
        try:
            if graph is None:
                raise Refused("service starting")
            principal = await self.authenticator.authenticate(graph, headers, ip)
        except Refused as refused:
            log.warning("refused %s %s from %s: %s", scope.get("method", "WS"), path, ip, refused.reason)
            refusal = Refusal(refused.reason, ip, path, refused.method, refused.claimed_user)
            await _notify(refusal, graph)
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            response = JSONResponse(
                {"error": "unauthorized", "message": "a valid credential is required (Authorization: Bearer …)"},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="custgraph"'},
            )
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)
