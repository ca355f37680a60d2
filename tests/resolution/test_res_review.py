"""The review queue over GraphQL, decisions applied to the graph, and decisions remembered."""

from __future__ import annotations

import asyncio
import json

from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from custgraph.pipeline.resolve import resolve_pending
from custgraph.service.app import create_app
from custgraph.service.settings import Settings
from tests.credentials import as_user

QUEUE = """
query Queue($first: Int!, $after: String, $status: ReviewStatus!) {
  reviewQueue(first: $first, after: $after, status: $status) {
    totalCount hasNextPage endCursor
    nodes {
      key score status decision decidedBy timesFlagged sameCustomer customerA customerB evidenceUid
      recordA { uid fields } recordB { uid fields }
      evidence { comparison field level weight valueA valueB comparedWith }
    }
  }
}
"""

DECIDE = """
mutation Decide($key: ID!, $decision: ReviewDecision!, $note: String) {
  decideReview(key: $key, decision: $decision, note: $note) {
    __typename
    ... on DecideReviewPayload {
      item { key status decision decidedBy decidedAt note history }
      change {
        kind message separatedPairs customers { id name mobile }
        event { id kind by survivor absorbed created recordUids reviewKey }
      }
    }
    ... on NotFoundError { message id }
    ... on ValidationError { message fields { field message } }
    ... on PermissionDenied { message }
  }
}
"""

CUSTOMER = "query One($id: ID!) { customer(id: $id) { id name mobile sourceRecords { uid } } }"

ROWS = [
    {"编号": "1", "姓名": "张伟", "手机": "13812345678"},
    {"编号": "2", "姓名": "张玮"},  # same pinyin, nothing else: review against 1
    {"编号": "3", "姓名": "John Smith", "邮箱": "john.smith@acme.com"},
    {"编号": "4", "姓名": "Jon Smith"},  # review against 3
]
ZHANG = "crm|1||crm|2"


async def test_res_queue_pages_with_records_and_evidence(importer, gql) -> None:
    await importer(ROWS)
    first = (await gql(QUEUE, first=1, status="OPEN"))["reviewQueue"]
    assert first["totalCount"] == 2 and first["hasNextPage"] is True
    second = (await gql(QUEUE, first=1, after=first["endCursor"], status="OPEN"))["reviewQueue"]
    assert second["hasNextPage"] is False
    items = first["nodes"] + second["nodes"]
    assert sorted(i["key"] for i in items) == [ZHANG, "crm|3||crm|4"]
    assert items[0]["score"] >= items[1]["score"]
    zhang = next(i for i in items if i["key"] == ZHANG)
    assert zhang["status"] == "open" and zhang["decision"] is None and zhang["timesFlagged"] == 1
    assert zhang["recordA"]["fields"]["name"] == "张伟" and zhang["recordB"]["fields"]["name"] == "张玮"
    assert zhang["customerA"] != zhang["customerB"] and zhang["sameCustomer"] is False
    assert zhang["evidenceUid"] == "crm|2"  # the record being resolved when the pair was queued
    by_comparison = {e["comparison"]: e for e in zhang["evidence"]}
    assert by_comparison["family_name"]["level"] == "exact" and by_comparison["family_name"]["weight"] > 0
    assert by_comparison["given_name"]["level"] == "pinyin"
    assert {by_comparison["given_name"]["valueA"], by_comparison["given_name"]["valueB"]} == {"伟", "玮"}
    assert by_comparison["mobile"]["valueA"] is None  # only crm|1 has a mobile: kept, weighs nothing
    assert all(e["valueA"] is not None or e["valueB"] is not None for e in zhang["evidence"])


async def test_res_bad_cursor_and_rep_role_are_refused(importer, gql) -> None:
    await importer(ROWS)
    bad = await gql(QUEUE, first=5, after="not-a-cursor", status="OPEN", errors=True)
    assert "not a review cursor" in bad["errors"][0]
    refused = await gql(QUEUE, first=5, status="OPEN", role="rep", errors=True)
    assert refused["errors"] == ["only managers and admins may do this"]


async def test_res_merge_decision_merges_customers_and_is_remembered(
    clean_graph: Graph, importer, gql, customer_of, rules
) -> None:
    await importer(ROWS)
    before = await customer_of()
    older, newer = sorted((before["crm|1"], before["crm|2"]))
    note = "same person, checked by phone"
    result = (await gql(DECIDE, key=ZHANG, decision="MERGE", note=note))["decideReview"]
    item, change = result["item"], result["change"]
    assert (item["status"], item["decision"], item["decidedBy"]) == ("decided", "MERGE", "alice")
    assert item["note"] == note and item["decidedAt"]
    assert change["kind"] == "merge" and [c["id"] for c in change["customers"]] == [older]
    assert change["event"]["survivor"] == older and change["event"]["absorbed"] == [newer]
    assert change["event"]["reviewKey"] == ZHANG and change["event"]["by"] == "alice"
    audit = await clean_graph.read(
        "MATCH (e:MergeEvent {id: $id}) MATCH (r:ReviewItem {key: $key}) RETURN e.ip AS ip, r.decided_ip AS rip",
        id=change["event"]["id"],
        key=ZHANG,
    )
    assert audit == [{"ip": "10.0.0.7", "rip": "10.0.0.7"}]  # who, when and from where
    # the survivor's profile now holds both records; the absorbed id still answers, with the survivor
    after = await customer_of()
    assert after["crm|1"] == after["crm|2"] == older
    survivor = (await gql(CUSTOMER, id=newer))["customer"]
    assert survivor["id"] == older and survivor["mobile"] == "+8613812345678"
    assert {r["uid"] for r in survivor["sourceRecords"]} == {"crm|1", "crm|2"}
    rows = await clean_graph.read("MATCH (c:Customer {id: $id}) RETURN c.record_count AS n", id=older)
    assert rows == [{"n": 2}]
    # decided pairs leave the queue
    open_keys = [n["key"] for n in (await gql(QUEUE, first=10, status="OPEN"))["reviewQueue"]["nodes"]]
    assert open_keys == ["crm|3||crm|4"]
    # re-resolving both records from scratch: the engine honours the decision
    await resolve_pending(clean_graph, ["crm|1", "crm|2"], rules)
    again = await customer_of()
    assert again["crm|1"] == again["crm|2"]
    decided = (await gql(QUEUE, first=10, status="DECIDED"))["reviewQueue"]["nodes"]
    assert [(n["key"], n["decision"]) for n in decided] == [(ZHANG, "MERGE")]


async def test_res_separate_decision_survives_reimport_with_changes(
    clean_graph: Graph, importer, gql, customer_of, rules
) -> None:
    await importer(ROWS)
    await gql(DECIDE, key=ZHANG, decision="SEPARATE", note="different people")
    # the same rows again, one of them changed: crm|2 is re-resolved against crm|1
    changed = [dict(r) for r in ROWS]
    changed[1]["城市"] = "深圳"
    changed[0]["城市"] = "深圳"
    await importer(changed)
    placed = await customer_of()
    assert placed["crm|1"] != placed["crm|2"]
    await resolve_pending(clean_graph, ["crm|1", "crm|2"], rules)
    placed = await customer_of()
    assert placed["crm|1"] != placed["crm|2"]
    queue = (await gql(QUEUE, first=10, status="OPEN"))["reviewQueue"]["nodes"]
    assert ZHANG not in [n["key"] for n in queue]
    items = await clean_graph.read("MATCH (r:ReviewItem {key: $k}) RETURN r.decision AS d", k=ZHANG)
    assert items == [{"d": "SEPARATE"}]


async def test_res_separate_after_merge_moves_the_later_record_out(clean_graph: Graph, importer, gql) -> None:
    await importer(ROWS)
    merged = (await gql(DECIDE, key=ZHANG, decision="MERGE"))["decideReview"]["change"]
    survivor = merged["customers"][0]["id"]
    result = (await gql(DECIDE, key=ZHANG, decision="SEPARATE", note="changed my mind"))["decideReview"]
    change, item = result["change"], result["item"]
    assert change["kind"] == "split" and change["event"]["recordUids"] == ["crm|2"]  # the later record
    new_id = change["event"]["created"][0]
    assert [c["id"] for c in change["customers"]] == [survivor, new_id]
    assert item["decision"] == "SEPARATE"
    assert [h["decision"] for h in item["history"]] == ["MERGE"]
    rows = await clean_graph.read(
        "MATCH (s:SourceRecord)-[r:RESOLVED_TO]->(c:Customer) RETURN s.uid AS uid, c.id AS cid, "
        "r.split_from AS split_from, r.event_id AS event ORDER BY uid"
    )
    by_uid = {r["uid"]: r for r in rows}
    assert by_uid["crm|1"]["cid"] == survivor
    assert by_uid["crm|2"]["cid"] == new_id and by_uid["crm|2"]["split_from"] == survivor
    assert by_uid["crm|2"]["event"] == change["event"]["id"]
    # the survivor's golden profile no longer shows what only crm|2 had
    profile = await clean_graph.read(
        "MATCH (c:Customer {id: $id}) RETURN c.name AS name, c.record_count AS n", id=survivor
    )
    assert profile == [{"name": "张伟", "n": 1}]


async def test_res_decide_refusals_are_typed(importer, gql, customer_of) -> None:
    await importer(ROWS)
    before = await customer_of()
    missing = (await gql(DECIDE, key="crm|1||crm|9", decision="MERGE"))["decideReview"]
    key = "crm|1||crm|9"
    assert missing == {"__typename": "NotFoundError", "message": f"no review item {key}", "id": key}
    denied = (await gql(DECIDE, key=ZHANG, decision="MERGE", role="rep", user="rita"))["decideReview"]
    assert denied["__typename"] == "PermissionDenied"
    assert await customer_of() == before


async def test_res_review_cli_lists_and_decides(importer, run_cli) -> None:
    await importer(ROWS)
    listed = await run_cli("review", "list", "--json")
    keys = [i["key"] for i in json.loads(listed)]
    assert ZHANG in keys
    out = await run_cli("review", "decide", ZHANG, "merge", "--note", "cli", "--by", "bob")
    assert "MERGE" in out
    decided = json.loads(await run_cli("review", "list", "--status", "decided", "--json"))
    assert [(i["key"], i["decision"]) for i in decided] == [(ZHANG, "MERGE")]


async def test_res_decide_over_http_records_the_caller(clean_graph: Graph, importer, own_all) -> None:
    await importer(ROWS)
    await own_all("周晓明")  # the manager's own customers: the pair is in scope
    body = {"query": DECIDE, "variables": {"key": ZHANG, "decision": "SEPARATE", "note": "http"}}

    def call() -> dict:
        with TestClient(create_app(Settings.from_env())) as client:
            return client.post("/graphql", json=body, headers=as_user(client, "周晓明", "manager")).json()

    reply = await asyncio.to_thread(call)  # the app runs its own event loop and driver
    item = reply["data"]["decideReview"]["item"]
    assert (item["decision"], item["decidedBy"]) == ("SEPARATE", "周晓明")


async def test_res_queue_masks_personal_values_for_managers(importer, gql, own_all) -> None:
    await importer(ROWS)
    await own_all("alice")  # the manager's own customers: the pairs are in scope
    nodes = (await gql(QUEUE, first=10, status="OPEN", role="manager"))["reviewQueue"]["nodes"]
    zhang = next(n for n in nodes if n["key"] == ZHANG)
    fields = zhang["recordA"]["fields"]
    assert (fields["name"], fields["mobile"]) == ("张*", "138****5678")
    given = next(e for e in zhang["evidence"] if e["comparison"] == "given_name")
    assert (given["valueA"], given["valueB"]) == ("*", "*")
    family = next(e for e in zhang["evidence"] if e["comparison"] == "family_name")
    assert family["valueA"] == "张"  # the family name is what a masked name shows anyway
