"""Protection and embedding: depth, token, alias and cost limits, masked errors in production,
automatic persisted queries, federation, CORS and the identity headers."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import search_index
from custgraph.service.app import create_app
from custgraph.service.settings import Settings
from tests.credentials import as_user


def nested_related(levels: int) -> str:
    inner = "id"
    for _ in range(levels):
        inner = f"relatedCustomers {{ customer {{ {inner} }} }}"
    return f'{{ customer(id: "C000001") {{ {inner} }} }}'


def test_depth_limit(api_world: Graph, api: Any) -> None:
    assert api.data(nested_related(2))["customer"]["relatedCustomers"]
    errors = api.errors(nested_related(5))
    assert "exceeds maximum operation depth of 10" in errors[0]["message"]


def test_limits_hold_for_a_query_text_already_parsed_and_validated(api_world: Graph, api: Any) -> None:
    """Parsing and validation are cached per query text (schema/limits.py): a refused query stays refused."""
    for _ in range(3):
        assert "exceeds maximum operation depth" in api.errors(nested_related(5))[0]["message"]
        assert api.errors(aliased(16))[0]["message"] == "16 aliases found. Allowed: 15"
        assert len(api.data(aliased(15))) == 15


def test_token_limit(api_world: Graph, api: Any) -> None:
    query = '{ customer(id: "C000001") { ' + "id " * 2100 + "} }"
    errors = api.errors(query)
    assert "token" in errors[0]["message"].lower()


def aliased(count: int) -> str:
    return "{ " + " ".join(f'c{n}: customer(id: "C00000{n % 5 + 1}") {{ id }}' for n in range(count)) + " }"


def test_alias_limit(api_world: Graph, api: Any) -> None:
    assert len(api.data(aliased(15))) == 15
    assert api.errors(aliased(16))[0]["message"] == "16 aliases found. Allowed: 15"


def test_cost_limit_refuses_before_running(api_world: Graph, api: Any) -> None:
    graph_queries_before = api_world.queries_run
    query = """{ customers(first: 100) { edges { node { id
        relatedCustomers { customer { relatedCustomers { customer { id tags { key } } } } } } } } }"""
    body = api.post(query)
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_EXPENSIVE"
    assert error["extensions"]["maxCost"] == 5000 and error["extensions"]["cost"] > 5000
    assert error["message"].startswith(f"query cost {error['extensions']['cost']} is over the limit of 5000")
    assert api_world.queries_run == graph_queries_before  # nothing ran (this process's counter)


def test_a_normal_page_is_well_under_budget(api_world: Graph, api: Any) -> None:
    query = """query($first: Int!) { customers(first: $first) { edges { node { id tags { key } owners { name }
        company { name } interactions(first: 5) { edges { node { date } } } } } } }"""
    assert api.data(query, {"first": 100})["customers"]["edges"]


def test_x_role_is_ignored(api_world: Graph, api: Any) -> None:
    """The role is the registered user's: an X-Role header neither refuses nor grants anything."""
    query = '{ customer(id: "C000002") { id } }'  # 陈志强's customer
    for role in ("boss", "admin"):
        headers = {**as_user(api.client, api.rep, "rep"), "X-Role": role}
        response = api.client.post("/graphql", json={"query": query}, headers=headers)
        assert response.json() == {"data": {"customer": None}}


class TestPersistedQueries:
    QUERY = '{ customer(id: "C000001") { id name } }'
    HASH = hashlib.sha256(QUERY.encode()).hexdigest()

    def ext(self, digest: str | None = None) -> dict[str, Any]:
        return {"persistedQuery": {"version": 1, "sha256Hash": digest or self.HASH}}

    def test_register_then_use_by_hash(self, api_world: Graph, api: Any) -> None:
        unknown = api.post(None, extensions=self.ext())  # type: ignore[arg-type]
        assert unknown == {
            "data": None,
            "errors": [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}],
        }
        registered = api.post(self.QUERY, extensions=self.ext())
        assert registered["data"]["customer"]["id"] == "C000001"
        by_hash = api.post(None, extensions=self.ext())  # type: ignore[arg-type]
        assert by_hash == registered
        via_get = api.client.get("/graphql", params={"extensions": json.dumps(self.ext())}, headers=as_user(api.client))
        assert via_get.json() == registered

    def test_wrong_hash_is_refused(self, api_world: Graph, api: Any) -> None:
        body = api.post(self.QUERY, extensions=self.ext("0" * 64))
        assert body["errors"][0]["message"] == "provided sha does not match query"


def test_federation_service_and_entities(api_world: Graph, api: Any) -> None:
    sdl = api.data("{ _service { sdl } }")["_service"]["sdl"]
    assert 'type Customer @key(fields: "id")' in sdl
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name } } }"
    entities = api.data(query, {"r": [{"__typename": "Customer", "id": "C000006"}]})["_entities"]
    assert entities == [{"id": "C000001", "name": "张伟"}]


@pytest.fixture
def production(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("CUSTGRAPH_ENV", "production")
    settings = dataclasses.replace(Settings.from_env(), cors_origins=("https://portal.example.com",))
    with TestClient(create_app(settings)) as client:
        yield client


def test_production_masks_internal_errors_but_not_client_errors(
    api_world: Graph, production: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("bolt://10.0.0.7 refused: secret internals")

    monkeypatch.setattr(search_index, "candidates", broken)
    admin = as_user(production, "admin", "admin")
    body = production.post("/graphql", json={"query": '{ search(query: "张伟") { score } }'}, headers=admin).json()
    assert body["errors"][0]["message"] == "Unexpected error."
    bad = production.post("/graphql", json={"query": "{ customers(first: -1) { totalCount } }"}, headers=admin)
    assert bad.json()["errors"][0]["message"] == "first must be between 0 and 100"
    invalid = production.post("/graphql", json={"query": "{ nope }"}, headers=admin).json()
    assert "Cannot query field 'nope'" in invalid["errors"][0]["message"]


def test_production_refuses_a_request_without_a_credential(api_world: Graph, production: TestClient) -> None:
    """The hole: production used to make an anonymous request a rep called "anonymous"."""
    response = production.post("/graphql", json={"query": '{ customer(id: "C000001") { id } }'})
    assert response.status_code == 401 and "data" not in response.json()
    with_headers = production.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"X-Role": "admin", "X-User": "admin"}
    )
    assert with_headers.status_code == 401


def test_cors_for_configured_origins(api_world: Graph, production: TestClient) -> None:
    preflight = production.options(
        "/graphql",
        headers={
            "Origin": "https://portal.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-user,x-role",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://portal.example.com"
    other = production.options(
        "/graphql", headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"}
    )
    assert other.status_code == 400
