"""CUSTGRAPH_FULL_VALUE_ROLES: the roles that see personal values unmasked (docs/security.md#masking).

A manager is masked by default and sees full values once the deployment lists ``manager``; a rep stays
masked either way; an unknown role name stops the start-up with a one-line message."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from custgraph.graph.connection import Graph
from custgraph.service.app import create_app
from custgraph.service.cli import app as cli
from custgraph.service.settings import Settings
from tests.credentials import as_user
from tests.schema import rbac_world as world

CUSTOMER = "query($id: ID!) { customer(id: $id) { name mobile email } }"


@pytest.fixture(scope="module")
async def rbac(graph: Graph) -> Graph:
    await world.seed(graph)
    return graph


@contextmanager
def serving(roles: str | None) -> Iterator[TestClient]:
    env = {k: v for k, v in os.environ.items() if k != "CUSTGRAPH_FULL_VALUE_ROLES"}
    if roles is not None:
        env["CUSTGRAPH_FULL_VALUE_ROLES"] = roles
    with TestClient(create_app(Settings.from_env(env))) as client:
        yield client


def customer_as(client: TestClient, user: str, customer_id: str) -> dict[str, Any]:
    role, teams = world.USERS[user]
    body = {"query": CUSTOMER, "variables": {"id": customer_id}}
    answer = client.post("/graphql", json=body, headers=as_user(client, user, role, teams)).json()
    assert "errors" not in answer, answer
    return answer["data"]["customer"]


async def test_a_manager_sees_full_values_only_when_the_deployment_says_so(rbac: Graph) -> None:
    both = world.visible_live(world.MANAGER_EAST) & world.visible_live(world.REP_A)
    person = next(p for p in world.PEOPLE if p.id in both)
    with serving(None) as client:  # the default: admin only
        masked = customer_as(client, world.MANAGER_EAST, person.id)
        assert masked["name"] != person.name and masked["name"].endswith("*")
        assert re.fullmatch(r"\d{3}\*{4}\d{4}", masked["mobile"])
    with serving("admin, manager") as client:
        full = customer_as(client, world.MANAGER_EAST, person.id)
        assert (full["name"], full["mobile"]) == (person.name, person.mobile)
        rep = customer_as(client, world.REP_A, person.id)
        assert rep["name"] == masked["name"] and rep["mobile"] == masked["mobile"]


def test_the_setting_reads_role_names_and_refuses_unknown_ones() -> None:
    assert Settings.from_env({}).full_value_roles == ("admin",)
    assert Settings.from_env({"CUSTGRAPH_FULL_VALUE_ROLES": " "}).full_value_roles == ("admin",)
    roles = Settings.from_env({"CUSTGRAPH_FULL_VALUE_ROLES": "admin,manager,admin"}).full_value_roles
    assert roles == ("admin", "manager")
    with pytest.raises(ValueError, match="CUSTGRAPH_FULL_VALUE_ROLES: unknown role 'managers'"):
        Settings.from_env({"CUSTGRAPH_FULL_VALUE_ROLES": "admin,managers"})


def test_serve_refuses_an_unknown_role_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTGRAPH_FULL_VALUE_ROLES", "Admin")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["error: CUSTGRAPH_FULL_VALUE_ROLES: unknown role 'Admin' (roles are rep, manager, admin, auditor)"]
