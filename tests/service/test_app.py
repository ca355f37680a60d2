"""The HTTP service against the real graph: health, GraphiQL and the customer(id) query."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from custgraph.graph.models import CustomerNode, OwnerNode, SourceRecordNode, TagNode
from custgraph.graph.repositories.nodes import link, upsert_nodes
from custgraph.service.app import create_app
from custgraph.service.settings import Settings
from tests.credentials import as_user

CUSTOMER_QUERY = """
query One($id: ID!) {
  customer(id: $id) {
    id name customerType region totalAmount
    tags { key name dimension }
    owners { name }
    sourceRecords { uid source sourceKey fields raw }
  }
}
"""


@pytest.fixture
def client(graph: Graph) -> Iterator[TestClient]:
    with TestClient(create_app(Settings.from_env())) as c:
        yield c


@pytest.fixture
async def seeded(clean_graph: Graph) -> Graph:
    await upsert_nodes(
        clean_graph,
        [
            CustomerNode(id="C000007", name="陈静", customer_type="person", region="上海市", total_amount=5200.0),
            CustomerNode(id="C000009", name="陈静", merged_into="C000007"),
        ],
    )
    await upsert_nodes(clean_graph, [TagNode(key="value:high", name="high", dimension="value")])
    await upsert_nodes(clean_graph, [OwnerNode(name="李销售")])
    await upsert_nodes(
        clean_graph,
        [
            SourceRecordNode(
                uid="crm|7", source="crm", source_key="7", fields_json='{"name": "陈静"}', raw_json='{"name": " 陳靜 "}'
            )
        ],
    )
    await link(clean_graph, "Customer", "TAGGED", "Tag", [("C000007", "value:high", {})])
    await link(clean_graph, "Customer", "OWNED_BY", "Owner", [("C000007", "李销售", {})])
    await link(clean_graph, "SourceRecord", "RESOLVED_TO", "Customer", [("crm|7", "C000007", {"score": 1.0})])
    await link(clean_graph, "Customer", "MERGED_INTO", "Customer", [("C000009", "C000007", {})])
    return clean_graph


def fetch(client: TestClient, cid: str) -> Any:
    return client.post("/graphql", json={"query": CUSTOMER_QUERY, "variables": {"id": cid}}, headers=as_user(client))


def test_healthz_reports_the_graph(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "graph": {"connected": True, "server": "arcadedb"}}


def test_graphiql_is_served(client: TestClient) -> None:
    response = client.get("/graphql", headers={"Accept": "text/html", **as_user(client)})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_customer_by_id_reads_the_graph(seeded: Graph, client: TestClient) -> None:
    response = fetch(client, "C000007")
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body
    customer = body["data"]["customer"]
    assert customer["id"] == "C000007" and customer["name"] == "陈静"
    assert customer["customerType"] == "person" and customer["totalAmount"] == 5200.0
    assert customer["tags"] == [{"key": "value:high", "name": "high", "dimension": "value"}]
    assert customer["owners"] == [{"name": "李销售"}]
    assert customer["sourceRecords"] == [
        {"uid": "crm|7", "source": "crm", "sourceKey": "7", "fields": {"name": "陈静"}, "raw": {"name": " 陳靜 "}}
    ]


def test_merged_away_id_finds_the_survivor(seeded: Graph, client: TestClient) -> None:
    response = fetch(client, "C000009")
    assert response.json()["data"]["customer"]["id"] == "C000007"


def test_unknown_customer_is_null(seeded: Graph, client: TestClient) -> None:
    response = fetch(client, "C999999")
    assert response.json() == {"data": {"customer": None}}
