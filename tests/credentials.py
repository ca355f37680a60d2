"""Real credentials for tests that call the app: registered users and the JWTs or API keys they send.

The session's environment (tests/conftest.py ``graph_data_dir``) configures HS256 JWTs with
``SECRET``, ``ISSUER`` and ``AUDIENCE`` and turns the look-up cache off, so a user whose role a test
changes acts with the new role on the next request. ``as_user(client, user, role)`` registers the
user with that role (and teams) in the graph the client's app uses and returns the headers of a JWT
naming them: tests that wipe the graph between requests still get a registered user.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import jwt
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import api_keys, users

SEED_TEAM = "销售一部"  # the team of tests/schema's seeded reps, and of its managers unless a test says otherwise
SECRET = "tests-only-hs256-secret-0123456789abcdef"  # 32+ bytes: PyJWT warns on shorter HMAC keys
ISSUER = "https://login.example.com"
AUDIENCE = "custgraph"
ENV = {
    "CUSTGRAPH_JWT_SECRET": SECRET,
    "CUSTGRAPH_JWT_ISSUER": ISSUER,
    "CUSTGRAPH_JWT_AUDIENCE": AUDIENCE,
    "CUSTGRAPH_AUTH_CACHE_SECONDS": "0",
}


def token(
    sub: str,
    *,
    key: Any = SECRET,
    algorithm: str = "HS256",
    expires_in: float = 300,
    issuer: str | None = ISSUER,
    audience: str | None = AUDIENCE,
    **claims: Any,
) -> str:
    """A signed JWT; pass None for ``issuer``/``audience`` to leave the claim out."""
    now = int(time.time())
    payload: dict[str, Any] = {"sub": sub, "iat": now, "exp": now + int(expires_in), **claims}
    if issuer is not None:
        payload["iss"] = issuer
    if audience is not None:
        payload["aud"] = audience
    return jwt.encode(payload, key, algorithm=algorithm)


def bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


async def register(graph: Graph, name: str, role: str = "admin", teams: Iterable[str] = ()) -> users.User:
    """The user ``name`` with exactly this role and these teams, enabled (added, or changed to fit)."""
    wanted = sorted(set(teams))
    found = await users.get_user(graph, name)
    if found is None:
        return await users.add_user(graph, users.UserIn(name=name, role=role, teams=wanted))
    if found.role != role or list(found.teams) != wanted or found.disabled:
        return await users.update_user(graph, name, role=role, teams=wanted, disabled=False)  # type: ignore[arg-type]
    return found


async def new_key(graph: Graph, name: str, **spec: Any) -> str:
    """Create an API key (``user=`` or ``role=``, ``gateway=``) and return the key itself."""
    _, key = await api_keys.create_key(graph, api_keys.ApiKeyIn(name=name, **spec))
    return key


def app_graph(client: TestClient) -> Graph:
    return client.app.state.graph  # type: ignore[attr-defined] - the Starlette app's lifespan set it


def as_user(client: TestClient, user: str = "admin", role: str = "admin", teams: Iterable[str] = ()) -> dict[str, str]:
    """Headers acting as ``user``, registered with ``role`` and ``teams`` in the client's graph first."""
    client.portal.call(register, app_graph(client), user, role, tuple(teams))  # type: ignore[union-attr]
    return bearer(token(user))
