"""Steward actions and imports in the audit log: a review decision, the merge and split it makes, a
direct split, and records ingested through the API; and refused ones leave no entry."""

from __future__ import annotations

from typing import Any

from custgraph.graph.connection import Graph

DECIDE = """
mutation Decide($key: ID!, $decision: ReviewDecision!, $note: String) {
  decideReview(key: $key, decision: $decision, note: $note) {
    __typename ... on DecideReviewPayload { change { kind event { id survivor absorbed } } }
  }
}
"""
SPLIT = """
mutation Split($id: ID!) {
  splitCustomer(id: $id) { __typename ... on CustomerChange { kind customers { id } event { id survivor } } }
}
"""
INGEST = """
mutation Ingest($records: [JSON!]!) {
  ingestRecords(source: "webform", records: $records) { __typename ... on IngestPayload { runId } }
}
"""
ROWS = [
    {"编号": "1", "姓名": "张伟", "手机": "13812345678"},
    {"编号": "2", "姓名": "张玮"},  # same pinyin, nothing else: review against 1
]
ZHANG = "crm|1||crm|2"


async def audit(graph: Graph) -> list[dict[str, Any]]:
    rows = await graph.read("MATCH (e:AuditEvent) RETURN properties(e) AS p ORDER BY e.at, e.id")
    return [row["p"] for row in rows]


async def test_res_decisions_merges_and_splits_are_audited(clean_graph: Graph, importer, gql) -> None:
    await importer(ROWS)
    denied = (await gql(DECIDE, key=ZHANG, decision="MERGE", role="rep", user="rita"))["decideReview"]
    assert denied["__typename"] != "DecideReviewPayload" and await audit(clean_graph) == []
    merged = (await gql(DECIDE, key=ZHANG, decision="MERGE", note="same phone"))["decideReview"]["change"]
    decided, merge = await audit(clean_graph)
    assert (decided["action"], decided["target"], decided["user"], decided["ip"]) == (
        "review.decide",
        ZHANG,
        "alice",
        "10.0.0.7",
    )
    assert '"decision": "MERGE"' in decided["after"] and '"note": "same phone"' in decided["after"]
    event = merged["event"]
    assert (merge["action"], merge["target"]) == ("merge", event["survivor"])
    assert event["id"] in merge["after"] and event["absorbed"][0] in merge["before"]

    split = (await gql(SPLIT, id=event["survivor"]))["splitCustomer"]
    assert split["kind"] == "unmerge"
    last = (await audit(clean_graph))[-1]
    assert (last["action"], last["target"], last["user"]) == ("split", event["survivor"], "alice")
    assert split["event"]["id"] in last["after"]


async def test_res_ingested_records_are_an_audited_import(clean_graph: Graph, gql) -> None:
    result = (await gql(INGEST, records=[{"name": "王芳", "mobile": "13900001111"}]))["ingestRecords"]
    (entry,) = await audit(clean_graph)
    assert (entry["action"], entry["target"], entry["user"], entry["ip"]) == (
        "import",
        result["runId"],
        "alice",
        "10.0.0.7",
    )
    assert '"source": "webform"' in entry["after"]
