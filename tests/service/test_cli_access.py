"""`custgraph users …` and `custgraph keys …` against the session graph, and a key they make used on the app."""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from custgraph.graph.connection import Graph
from custgraph.service.app import create_app
from custgraph.service.cli import app
from custgraph.service.settings import Settings


def cli(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    return result.output


@pytest.fixture
async def empty(clean_graph: Graph) -> Graph:
    return clean_graph


def test_users_add_list_update_and_disable(empty: Graph) -> None:
    added = cli("users", "add", "周晓明", "--role", "rep", "--team", "华东", "--team", "VIP")
    assert "added user 周晓明 role=rep teams=VIP,华东" in added
    cli("users", "add", "王经理", "--role", "manager")
    assert "exists" in cli("users", "add", "周晓明", "--role", "admin", code=1)
    assert "root" in cli("users", "add", "x", "--role", "root", code=2)
    assert "empty" in cli("users", "add", " ", "--role", "rep", code=1)

    listed = cli("users", "list")
    assert listed.splitlines()[0].split() == ["USER", "ROLE", "TEAMS", "STATE", "CREATED"]
    assert any(line.split()[:4] == ["周晓明", "rep", "VIP,华东", "enabled"] for line in listed.splitlines())

    assert "role=manager teams=华北" in cli("users", "update", "周晓明", "--role", "manager", "--team", "华北")
    assert "nothing to change" in cli("users", "update", "周晓明", code=1)
    assert "disabled user 王经理" in cli("users", "disable", "王经理")
    assert "no user 'nobody'" in cli("users", "disable", "nobody", code=1)
    users = {u["name"]: u for u in json.loads(cli("users", "list", "--json"))}
    assert users["王经理"]["disabled"] is True and users["周晓明"]["teams"] == ["华北"]
    assert users["周晓明"]["role"] == "manager" and users["周晓明"]["created_at"]


def test_keys_create_print_the_key_last_and_list_never_shows_it(empty: Graph) -> None:
    cli("users", "add", "周晓明", "--role", "rep")
    out = cli("keys", "create", "--name", "crm", "--user", "周晓明")
    key = out.strip().splitlines()[-1]
    assert key.startswith("cgk_") and len(key) >= 40 and " " not in key
    assert "crm" in out and "周晓明" in out

    gateway_out = cli("keys", "create", "--name", "portal", "--role", "rep", "--gateway")
    gateway_key = gateway_out.strip().splitlines()[-1]
    assert gateway_key != key

    listed = cli("keys", "list")
    assert key not in listed and gateway_key not in listed
    lines = {line.split()[0]: line.split() for line in listed.splitlines()[1:]}
    assert lines["crm"][1:4] == ["user:周晓明", "no", "active"]
    assert lines["portal"][1:4] == ["role:rep", "yes", "active"]

    assert "exists" in cli("keys", "create", "--name", "crm", "--role", "admin", code=1)
    assert "no user 'nobody'" in cli("keys", "create", "--name", "x", "--user", "nobody", code=1)
    assert "exactly one" in cli("keys", "create", "--name", "x", "--user", "周晓明", "--role", "rep", code=1)
    assert "exactly one" in cli("keys", "create", "--name", "x", code=1)

    assert "revoked key crm" in cli("keys", "revoke", "crm")
    assert "no key named 'nope'" in cli("keys", "revoke", "nope", code=1)
    keys = {k["name"]: k for k in json.loads(cli("keys", "list", "--json"))}
    assert keys["crm"]["revoked"] is True and keys["portal"]["revoked"] is False
    assert all("hash" not in field for k in keys.values() for field in k)


async def test_the_stored_value_is_not_the_key(empty: Graph) -> None:
    await asyncio.to_thread(cli, "users", "add", "周晓明", "--role", "rep")  # the CLI runs its own event loop
    out = await asyncio.to_thread(cli, "keys", "create", "--name", "crm", "--user", "周晓明")
    key = out.strip().splitlines()[-1]
    rows = await empty.read("MATCH (k:ApiKey) RETURN properties(k) AS p")
    assert len(rows) == 1
    stored = rows[0]["p"]
    assert key not in json.dumps(stored, ensure_ascii=False)
    assert stored["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert set(stored) == {"name", "key_hash", "user", "gateway", "created_at", "revoked"}


def test_a_key_from_the_cli_works_until_revoked(empty: Graph) -> None:
    cli("users", "add", "周晓明", "--role", "rep")
    key = cli("keys", "create", "--name", "crm", "--user", "周晓明").strip().splitlines()[-1]
    query = {"query": "{ customers(first: 1) { totalCount } }"}
    with TestClient(create_app(Settings.from_env())) as client:
        headers = {"Authorization": f"Bearer {key}"}
        answer = client.post("/graphql", json=query, headers=headers).json()
        assert answer == {"data": {"customers": {"totalCount": 0}}}
        cli("keys", "revoke", "crm")
        assert client.post("/graphql", json=query, headers=headers).status_code == 401
