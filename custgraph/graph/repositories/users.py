"""The users who may call the API: ``(:User {name, role, teams, disabled, created_at})``.

``name`` is unique (graph/schema.py). An owner in the data, ``(:Customer)-[:OWNED_BY]->(:Owner {name})``,
is the user of the same name: a rep called 周晓明 owns the customers OWNED_BY ``(:Owner {name: '周晓明'})``,
and a manager's teams are matched against the ``teams`` of those owners' users. ``role`` is one of
rep, manager, admin, auditor (vocabulary.ROLES); ``teams`` is a list of team names, possibly empty.

Users are never deleted: a user who leaves is disabled, so the audit log's names keep their meaning.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from neo4j.exceptions import ConstraintError
from pydantic import BaseModel, Field, field_validator

from custgraph.graph.connection import Graph
from custgraph.vocabulary import Role

MAX_NAME_LENGTH = 100

GET = "MATCH (u:User {name: $name}) RETURN properties(u) AS props"
ALL = "MATCH (u:User) RETURN properties(u) AS props ORDER BY u.name"
CREATE = "CREATE (u:User {name: $name}) SET u += $props RETURN properties(u) AS props"
UPDATE = "MATCH (u:User {name: $name}) SET u += $props RETURN properties(u) AS props"


class UserError(ValueError):
    """A user operation that can't be done; the message says why."""


class UserExists(UserError):
    pass


class UnknownUser(UserError):
    pass


def clean_name(value: str, what: str = "user name") -> str:
    """A user or team name: trimmed, NFC, 1 to 100 characters, no control characters."""
    text = unicodedata.normalize("NFC", str(value)).strip()
    if not text:
        raise ValueError(f"the {what} is empty")
    if len(text) > MAX_NAME_LENGTH:
        raise ValueError(f"the {what} is longer than {MAX_NAME_LENGTH} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise ValueError(f"the {what} holds a control character")
    return text


def _teams(values: Any) -> list[str]:
    return sorted({clean_name(v, "team name") for v in values or ()})


class UserIn(BaseModel):
    """A user to add."""

    name: str
    role: Role
    teams: list[str] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return clean_name(value)

    @field_validator("teams")
    @classmethod
    def _team_names(cls, value: list[str]) -> list[str]:
        return _teams(value)


class User(BaseModel):
    """A stored user."""

    name: str
    role: Role
    teams: tuple[str, ...] = ()
    disabled: bool = False
    created_at: str
    updated_at: str | None = None

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> User:
        return cls.model_validate(
            {
                **{k: v for k, v in props.items() if k in cls.model_fields},
                "teams": tuple(props.get("teams") or ()),
                "disabled": bool(props.get("disabled")),
            }
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


async def get_user(graph: Graph, name: str) -> User | None:
    rows = await graph.read(GET, name=name)
    return User.from_props(rows[0]["props"]) if rows else None


async def list_users(graph: Graph) -> list[User]:
    return [User.from_props(row["props"]) for row in await graph.read(ALL)]


async def add_user(graph: Graph, user: UserIn) -> User:
    """Store a new user (enabled); ``UserExists`` if the name is taken."""
    if await get_user(graph, user.name) is not None:
        raise UserExists(f"user {user.name!r} exists")
    props = {"role": user.role, "teams": list(user.teams), "disabled": False, "created_at": _now()}
    try:
        rows = await graph.write(CREATE, name=user.name, props=props, attempts=1)
    except ConstraintError:  # added at the same moment by someone else
        raise UserExists(f"user {user.name!r} exists") from None
    return User.from_props(rows[0]["props"])


async def update_user(
    graph: Graph,
    name: str,
    *,
    role: Role | None = None,
    teams: list[str] | None = None,
    disabled: bool | None = None,
) -> User:
    """Change a user's role, teams (replaced as a whole) or disabled flag; ``UnknownUser`` if missing."""
    props: dict[str, Any] = {"updated_at": _now()}
    if role is not None:
        props["role"] = UserIn(name=name, role=role).role
    if teams is not None:
        props["teams"] = _teams(teams)
    if disabled is not None:
        props["disabled"] = disabled
    rows = await graph.write(UPDATE, name=name, props=props)
    if not rows:
        raise UnknownUser(f"no user {name!r}")
    return User.from_props(rows[0]["props"])


async def disable_user(graph: Graph, name: str) -> User:
    """Disable a user: every credential naming them (their API keys, JWTs, a gateway's X-User) is refused."""
    return await update_user(graph, name, disabled=True)


async def enable_user(graph: Graph, name: str) -> User:
    return await update_user(graph, name, disabled=False)
