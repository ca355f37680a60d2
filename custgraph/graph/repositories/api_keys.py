"""API keys: ``(:ApiKey {name, key_hash, user | role, gateway, created_at, revoked, revoked_at})``.

A key is 256 random bits, shown once when created and stored only as its SHA-256 (``key_hash``): a
key that random needs no salt or slow hash, and a request is checked with one indexed look-up. A key
either acts as a user (``user``: the User's name; their role and teams are read when it is used, so a
role change applies at once) or carries a role of its own (``role``; the caller is then
``key:<name>``, with no teams). A ``gateway`` key may name the user it acts for in ``X-User``.
Keys are revoked, never deleted.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any

from neo4j.exceptions import ConstraintError
from pydantic import BaseModel, field_validator, model_validator

from custgraph.graph.connection import Graph
from custgraph.graph.repositories.users import User, UserError, clean_name
from custgraph.vocabulary import Role

KEY_PREFIX = "cgk_"  # tells a key from a JWT at a glance, and lets secret scanners spot a leaked one

GET = "MATCH (k:ApiKey {name: $name}) RETURN properties(k) AS props"
ALL = "MATCH (k:ApiKey) RETURN properties(k) AS props ORDER BY k.name"
CREATE = "CREATE (k:ApiKey {name: $name}) SET k += $props RETURN properties(k) AS props"
REVOKE = """
MATCH (k:ApiKey {name: $name})
SET k.revoked = true, k.revoked_at = coalesce(k.revoked_at, $now)
RETURN properties(k) AS props
"""
# a key and the user it acts as, in one round trip (the per-request look-up)
BY_HASH = """
MATCH (k:ApiKey {key_hash: $hash})
OPTIONAL MATCH (u:User {name: k.user})
RETURN properties(k) AS key, properties(u) AS user
"""
USER_EXISTS = "MATCH (u:User {name: $name}) RETURN u.name AS name"


class KeyNameTaken(UserError):
    pass


class UnknownKey(UserError):
    pass


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiKeyIn(BaseModel):
    """A key to create: exactly one of ``user`` and ``role``."""

    name: str
    user: str | None = None
    role: Role | None = None
    gateway: bool = False

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return clean_name(value, "key name")

    @field_validator("user")
    @classmethod
    def _user(cls, value: str | None) -> str | None:
        return None if value is None else clean_name(value)

    @model_validator(mode="after")
    def _one_of(self) -> ApiKeyIn:
        if (self.user is None) == (self.role is None):
            raise ValueError("a key acts either as a user or with a role: give exactly one of user and role")
        return self


class ApiKey(BaseModel):
    """A stored key, without its hash."""

    name: str
    user: str | None = None
    role: Role | None = None
    gateway: bool = False
    created_at: str
    revoked: bool = False
    revoked_at: str | None = None

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> ApiKey:
        return cls.model_validate(
            {
                **{k: v for k, v in props.items() if k in cls.model_fields},
                "gateway": bool(props.get("gateway")),
                "revoked": bool(props.get("revoked")),
            }
        )


class KeyCredential(BaseModel):
    """What one presented key stands for: the key and, for a user key, the user (None if missing)."""

    key: ApiKey
    user: User | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


async def create_key(graph: Graph, spec: ApiKeyIn) -> tuple[ApiKey, str]:
    """Store a new key; returns it and the key itself, which is never stored and can't be shown again."""
    if spec.user is not None and not await graph.read(USER_EXISTS, name=spec.user):
        raise UserError(f"no user {spec.user!r}; add it first (custgraph users add)")
    if await graph.read(GET, name=spec.name):
        raise KeyNameTaken(f"a key named {spec.name!r} exists")
    key = generate_key()
    props: dict[str, Any] = {
        "key_hash": hash_key(key),
        "gateway": spec.gateway,
        "created_at": _now(),
        "revoked": False,
    }
    if spec.user is not None:
        props["user"] = spec.user
    else:
        props["role"] = spec.role
    try:
        rows = await graph.write(CREATE, name=spec.name, props=props, attempts=1)
    except ConstraintError:
        raise KeyNameTaken(f"a key named {spec.name!r} exists") from None
    return ApiKey.from_props(rows[0]["props"]), key


async def get_key(graph: Graph, name: str) -> ApiKey | None:
    rows = await graph.read(GET, name=name)
    return ApiKey.from_props(rows[0]["props"]) if rows else None


async def list_keys(graph: Graph) -> list[ApiKey]:
    return [ApiKey.from_props(row["props"]) for row in await graph.read(ALL)]


async def revoke_key(graph: Graph, name: str) -> ApiKey:
    """Revoke a key for good; ``UnknownKey`` if there is none of that name. Revoking twice changes nothing."""
    rows = await graph.write(REVOKE, name=name, now=_now())
    if not rows:
        raise UnknownKey(f"no key named {name!r}")
    return ApiKey.from_props(rows[0]["props"])


async def credential_for(graph: Graph, key: str) -> KeyCredential | None:
    """The stored key a presented key hashes to (revoked ones too), with its user; None if unknown."""
    rows = await graph.read(BY_HASH, hash=hash_key(key))
    if not rows:
        return None
    user = rows[0]["user"]
    return KeyCredential(key=ApiKey.from_props(rows[0]["key"]), user=User.from_props(user) if user else None)
