"""ingestRecords and importRun over GraphQL: posted records take the import path into the real graph."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from custgraph.service.app import create_app
from custgraph.service.settings import Settings
from tests.credentials import as_user

INGEST = """
mutation Post($source: String!, $kind: RecordKind!, $records: [JSON!]!) {
  ingestRecords(source: $source, kind: $kind, records: $records) {
    __typename
    ... on IngestPayload { runId summary records { index uid outcome customerId issues { field reason } } }
    ... on ValidationError { message }
    ... on PermissionDenied { message }
  }
}
"""

RUN = """
query Run($id: ID!) { importRun(id: $id) { id source status files counts issues { row field value reason } } }
"""


@pytest.fixture
def client(clean_graph: Graph) -> Iterator[TestClient]:
    with TestClient(create_app(Settings.from_env())) as c:
        yield c


def post(client: TestClient, records: list, role: str = "manager", kind: str = "CUSTOMERS") -> dict:
    response = client.post(
        "/graphql",
        json={"query": INGEST, "variables": {"source": "webform", "kind": kind, "records": records}},
        headers=as_user(client, "integration", role),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["ingestRecords"]


def test_posted_records_are_stored_resolved_and_reported(client: TestClient) -> None:
    first = post(client, [{"id": "F1", "姓名": "林静", "手机": "+86 135 0000 1234", "email": "LIN.JING@EXAMPLE.COM"}])
    assert first["__typename"] == "IngestPayload"
    [created] = first["records"]
    assert created["uid"] == "webform|F1" and created["outcome"] == "new" and created["customerId"]

    second = post(
        client,
        [
            {"id": "F2", "name": "林静", "mobile": "13500001234", "email": "lin.jing@example.com"},
            {"id": "F3", "name": "周敏", "mobile": "not a phone", "birth_date": "1980-02-30"},
            {"name": "", "mobile": ""},
            "not an object",
        ],
    )
    same, flawed, empty, garbage = second["records"]
    assert same["outcome"] == "matched" and same["customerId"] == created["customerId"]
    assert flawed["outcome"] == "new"
    assert {i["field"] for i in flawed["issues"]} >= {"mobile", "birth_date"}
    assert empty["uid"] is None and empty["outcome"] is None
    assert garbage["uid"] is None and "JSON object" in garbage["issues"][0]["reason"]
    assert "rejected=2" in second["summary"]

    run = client.post("/graphql", json={"query": RUN, "variables": {"id": second["runId"]}}, headers=as_user(client))
    run = run.json()
    run = run["data"]["importRun"]
    assert run["status"] == "completed" and run["files"] == ["api"] and run["source"] == "webform"
    assert run["counts"]["matched"] == 1 and run["counts"]["rejected"] == 2
    assert any(i["field"] == "birth_date" and i["value"] == "1980-02-30" for i in run["issues"])


def test_posting_the_same_record_twice_changes_nothing(client: TestClient, clean_graph: Graph) -> None:
    record = {"name": "Alice Brown", "email": "alice@example.org"}  # no key: keyed by its content
    one = post(client, [record])["records"][0]
    two = post(client, [record])["records"][0]
    assert one["uid"] == two["uid"] and one["customerId"] == two["customerId"]
    assert two["outcome"] == one["outcome"] == "new"


def test_reps_may_not_ingest(client: TestClient) -> None:
    refused = post(client, [{"name": "x"}], role="rep")
    assert refused["__typename"] == "PermissionDenied"


def test_unknown_run_is_null(client: TestClient) -> None:
    body = client.post("/graphql", json={"query": RUN, "variables": {"id": "IR-missing"}}, headers=as_user(client))
    body = body.json()
    assert body == {"data": {"importRun": None}}


def test_ingested_customers_are_searchable(client: TestClient) -> None:
    record = {"id": "S1", "name": "欧阳明", "mobile": "13912348765", "company": "杭州云栖科技有限公司"}
    [posted] = post(client, [record])["records"]
    query = "query S($q: String!) { search(query: $q, first: 5) { score customer { id } } }"
    for text in ("欧阳明", "8765", "云栖科技"):
        body = client.post("/graphql", json={"query": query, "variables": {"q": text}}, headers=as_user(client))
        body = body.json()
        assert "errors" not in body, body
        assert posted["customerId"] in [hit["customer"]["id"] for hit in body["data"]["search"]], text
