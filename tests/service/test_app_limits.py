"""The limits through the real app (custgraph/service/app.py): 413, 429 with Retry-After, bounded
arguments, `_entities`, strings and amounts; each would have caught a hole probed from outside."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from custgraph.bounds import MAX_TEXT
from custgraph.graph.connection import Graph
from custgraph.service.app import create_app
from custgraph.service.settings import Settings
from tests.credentials import as_user

MB = 1024 * 1024
ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id } } }"
ORDER = """mutation($id: ID!, $input: OrderInput!) {
  addOrder(customerId: $id, input: $input) { __typename ... on ValidationError { fields { field message } } }
}"""


def app_client(**limits: Any) -> TestClient:
    return TestClient(create_app(dataclasses.replace(Settings.from_env(), **limits)))


@pytest.fixture(scope="module")
def client(graph: Graph) -> Iterator[TestClient]:
    with app_client(rate_limit_per_minute=0) as c:
        yield c


def gql(client: TestClient, query: str, variables: dict[str, Any] | None = None, **who: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers=as_user(client, **who))
    assert response.status_code == 200, response.text
    return response.json()


def test_a_10_mb_body_is_refused_with_413(client: TestClient) -> None:
    body = b'{"query": "{ __typename }", "pad": "' + b"x" * (10 * MB) + b'"}'
    response = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"


def test_the_body_cap_is_configurable(graph: Graph) -> None:
    with app_client(max_body_bytes=100, rate_limit_per_minute=0) as small:
        response = small.post("/graphql", json={"query": "{ __typename }", "pad": "x" * 200}, headers=as_user(small))
        assert response.status_code == 413
        assert small.post("/graphql", json={"query": "{ __typename }"}, headers=as_user(small)).status_code == 200


def test_a_caller_over_its_rate_gets_429_with_retry_after(graph: Graph) -> None:
    with app_client(rate_limit_per_minute=60, rate_limit_burst=2) as limited:
        alice = as_user(limited, "限流甲", "admin")
        bob = as_user(limited, "限流乙", "admin")
        query = {"query": "{ __typename }"}
        statuses = [limited.post("/graphql", json=query, headers=alice).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        refused = limited.post("/graphql", json=query, headers=alice)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert limited.post("/graphql", json=query, headers=bob).status_code == 200  # per credential
        assert limited.get("/healthz").status_code == 200  # never limited


def test_entities_are_bounded(client: TestClient) -> None:
    many = [{"__typename": "Customer", "id": f"C{i:06d}"} for i in range(10_000)]
    body = gql(client, ENTITIES, {"r": many})
    assert body["data"] is None
    assert body["errors"][0]["message"] == "representations takes at most 100 items (10000 given)"
    assert "errors" not in gql(client, ENTITIES, {"r": many[:100]})


def test_import_run_issues_are_bounded(client: TestClient) -> None:
    body = gql(client, '{ importRun(id: "IR-none") { issues(first: 100000) { row } } }')
    assert body["errors"][0]["message"] == "first must be between 0 and 100"


def test_strings_are_bounded(client: TestClient) -> None:
    body = gql(client, "query($q: String!) { search(query: $q) { score } }", {"q": "张" * (MAX_TEXT + 1)})
    assert body["errors"][0]["extensions"]["argument"] == "query"


@pytest.mark.parametrize("amount", [1e308, 1e13])
def test_amounts_are_finite_and_in_range(client: TestClient, amount: float) -> None:
    body = gql(client, ORDER, {"id": "C-none", "input": {"amount": amount, "orderId": "SO-big"}})
    result = body["data"]["addOrder"]
    assert result["__typename"] == "ValidationError"
    assert result["fields"][0]["field"] == "amount" and "at most" in result["fields"][0]["message"]
