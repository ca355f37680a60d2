"""Access commands of the CLI: ``custgraph users …`` and ``custgraph keys …`` (docs/security.md).

They write the graph directly, as an operator on the server's machine: there is no API for users or
keys, so a stolen credential can't mint another.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import api_keys, users
from custgraph.graph.repositories.users import UserError
from custgraph.graph.schema import ensure_schema
from custgraph.service.cli_data import with_graph
from custgraph.service.settings import Settings
from custgraph.vocabulary import ROLES

users_app = typer.Typer(help="The users who may call the API (an owner in the data is the user of that name).")
keys_app = typer.Typer(help="API keys: shown once when created, stored only as a hash.")
users_app.info.no_args_is_help = True
keys_app.info.no_args_is_help = True

RoleChoice = Enum("RoleChoice", {role: role for role in ROLES}, type=str)  # type: ignore[misc]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _refuse(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


def _validation_message(exc: ValidationError) -> str:
    return "; ".join(str(error["msg"]).removeprefix("Value error, ") for error in exc.errors())


def _run(work: Any) -> Any:
    """Run ``work(graph)`` against the graph, its constraints ensured first (a fresh data dir has none)."""

    async def run(graph: Graph) -> Any:
        await ensure_schema(graph)
        return await work(graph)

    try:
        return with_graph(Settings.from_env(), run)
    except UserError as exc:
        raise _refuse(str(exc)) from None


def _table(rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(str(v)) for v in column) for column in zip(header, *rows, strict=True)]
    for row in [header, *rows]:
        typer.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


# --- users ----------------------------------------------------------------------------------------


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(metavar="USER", help="The user's name, as owners are named in the data.")],
    role: Annotated[RoleChoice, typer.Option("--role", help="What the user may do.")],
    team: Annotated[list[str] | None, typer.Option("--team", help="A team of the user (repeat for several).")] = None,
) -> None:
    """Add a user."""
    try:
        spec = users.UserIn(name=name, role=role.value, teams=team or [])
    except ValidationError as exc:
        raise _refuse(_validation_message(exc)) from None
    user = _run(lambda graph: users.add_user(graph, spec))
    teams = f" teams={','.join(user.teams)}" if user.teams else ""
    typer.echo(f"added user {user.name} role={user.role}{teams}")


@users_app.command("list")
def users_list(as_json: JsonOption = False) -> None:
    """List the users."""
    found = _run(users.list_users)
    if as_json:
        typer.echo(json.dumps([u.model_dump() for u in found], ensure_ascii=False, indent=2))
        return
    rows = [
        [u.name, u.role, ",".join(u.teams) or "-", "disabled" if u.disabled else "enabled", u.created_at]
        for u in found
    ]
    _table(rows, ["USER", "ROLE", "TEAMS", "STATE", "CREATED"])


@users_app.command("update")
def users_update(
    name: Annotated[str, typer.Argument(metavar="USER")],
    role: Annotated[RoleChoice | None, typer.Option("--role", help="The new role.")] = None,
    team: Annotated[list[str] | None, typer.Option("--team", help="The user's teams, replacing the old ones.")] = None,
    no_teams: Annotated[bool, typer.Option("--no-teams", help="Take the user out of every team.")] = False,
) -> None:
    """Change a user's role or teams (their API keys follow at once)."""
    teams = [] if no_teams else team
    if role is None and teams is None:
        raise _refuse("nothing to change: give --role, --team or --no-teams")
    try:
        user = _run(lambda graph: users.update_user(graph, name, role=role.value if role else None, teams=teams))
    except ValueError as exc:
        raise _refuse(str(exc)) from None
    typer.echo(f"updated user {user.name} role={user.role} teams={','.join(user.teams) or '-'}")


@users_app.command("disable")
def users_disable(name: Annotated[str, typer.Argument(metavar="USER")]) -> None:
    """Disable a user: every credential acting as them is refused from now on."""
    user = _run(lambda graph: users.disable_user(graph, name))
    typer.echo(f"disabled user {user.name}")


@users_app.command("enable")
def users_enable(name: Annotated[str, typer.Argument(metavar="USER")]) -> None:
    """Enable a disabled user again."""
    user = _run(lambda graph: users.enable_user(graph, name))
    typer.echo(f"enabled user {user.name}")


# --- keys -----------------------------------------------------------------------------------------


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option("--name", help="A name for the key (to list and revoke it).")],
    user: Annotated[str | None, typer.Option("--user", help="Act as this user, with their current role.")] = None,
    role: Annotated[RoleChoice | None, typer.Option("--role", help="Act as 'key:NAME' with this role.")] = None,
    gateway: Annotated[
        bool, typer.Option("--gateway", help="A portal's key: it may name the user it acts for in X-User.")
    ] = False,
) -> None:
    """Create an API key and print it (the last line): it is shown once, and stored only as a hash."""
    try:
        spec = api_keys.ApiKeyIn(name=name, user=user, role=role.value if role else None, gateway=gateway)
    except ValidationError as exc:
        raise _refuse(_validation_message(exc)) from None
    stored, key = _run(lambda graph: api_keys.create_key(graph, spec))
    who = f"user {stored.user}" if stored.user else f"role {stored.role}"
    typer.echo(f"created key {stored.name} acting as {who}{' (gateway)' if stored.gateway else ''}")
    typer.echo("send it as 'Authorization: Bearer <key>'; it is shown only this once:")
    typer.echo(key)


@keys_app.command("list")
def keys_list(as_json: JsonOption = False) -> None:
    """List the keys (never the keys themselves: only their hashes are stored)."""
    found = _run(api_keys.list_keys)
    if as_json:
        typer.echo(json.dumps([k.model_dump() for k in found], ensure_ascii=False, indent=2))
        return
    rows = [
        [
            k.name,
            f"user:{k.user}" if k.user else f"role:{k.role}",
            "yes" if k.gateway else "no",
            f"revoked {k.revoked_at}" if k.revoked else "active",
            k.created_at,
        ]
        for k in found
    ]
    _table(rows, ["NAME", "ACTS AS", "GATEWAY", "STATE", "CREATED"])


@keys_app.command("revoke")
def keys_revoke(name: Annotated[str, typer.Argument(metavar="NAME")]) -> None:
    """Revoke a key for good."""
    key = _run(lambda graph: api_keys.revoke_key(graph, name))
    typer.echo(f"revoked key {key.name}")
