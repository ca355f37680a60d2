"""undoReviewDecision: a review decision taken back leaves the customers as they were before it,
forgets the decision and puts the pair back in the queue; what cannot be undone is refused."""

from __future__ import annotations

from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import review as review_repo
from custgraph.graph.repositories.resolution import decisions_for
from custgraph.pipeline.resolve import resolve_pending

DECIDE = """
mutation Decide($key: ID!, $decision: ReviewDecision!, $note: String) {
  decideReview(key: $key, decision: $decision, note: $note) {
    __typename
    ... on DecideReviewPayload {
      item { status decision } change { kind customers { id } event { id survivor absorbed created } }
    }
    ... on ValidationError { message }
  }
}
"""
UNDO = """
mutation Undo($key: ID!, $note: String) {
  undoReviewDecision(key: $key, note: $note) {
    __typename
    ... on DecideReviewPayload {
      item { key status decision decidedBy history }
      change { kind message notes customers { id } event { id kind survivor absorbed reason reviewKey } }
    }
    ... on ValidationError { message }
    ... on NotFoundError { message }
    ... on PermissionDenied { message }
  }
}
"""
SPLIT = """
mutation Split($id: ID!, $uids: [String!]!) {
  splitRecords(customerId: $id, uids: $uids) { __typename ... on CustomerChange { event { id } } }
}
"""
OPEN = "query { reviewQueue(first: 20, status: OPEN) { nodes { key status } } }"
ORDER = """
mutation Buy($id: ID!, $input: OrderInput!) {
  addOrder(customerId: $id, input: $input) { __typename }
}
"""
CUSTOMER = """
query One($id: ID!) {
  customer(id: $id) { id name sourceRecords { uid } orders(first: 10) { edges { node { orderId } } } }
}
"""
ROWS = [
    {"编号": "1", "姓名": "张伟", "手机": "13812345678"},
    {"编号": "2", "姓名": "张玮"},  # same pinyin, nothing else: review against 1
    {"编号": "3", "姓名": "John Smith", "邮箱": "john.smith@acme.com"},
    {"编号": "4", "姓名": "Jon Smith"},  # review against 3
]
ZHANG = "crm|1||crm|2"
SMITH = "crm|3||crm|4"


async def _open_keys(gql: Any) -> list[str]:
    return sorted(n["key"] for n in (await gql(OPEN))["reviewQueue"]["nodes"])


async def _customers(graph: Graph) -> list[dict[str, Any]]:
    """Every customer with its state and records, to compare before and after."""
    rows = await graph.read(
        "MATCH (c:Customer) OPTIONAL MATCH (s:SourceRecord)-[:RESOLVED_TO]->(c) "
        "RETURN c.id AS id, c.merged_into AS merged_into, c.name AS name, c.record_count AS n, "
        "collect(s.uid) AS uids ORDER BY id"
    )
    return [{**r, "uids": sorted(r["uids"])} for r in rows]


async def test_res_undo_merge_restores_customers_and_reopens_the_pair(
    clean_graph: Graph, importer, gql, customer_of, rules
) -> None:
    await importer(ROWS)
    placed = await customer_of()
    absorbed = max(placed["crm|1"], placed["crm|2"])
    await gql(ORDER, id=absorbed, input={"orderId": "O-1", "amount": 99.0, "date": "2026-01-05"})
    before = await _customers(clean_graph)
    merged = (await gql(DECIDE, key=ZHANG, decision="MERGE"))["decideReview"]
    assert merged["change"]["event"]["absorbed"] == [absorbed]
    assert await _open_keys(gql) == [SMITH]

    undone = (await gql(UNDO, key=ZHANG, note="wrong pair"))["undoReviewDecision"]
    assert undone["__typename"] == "DecideReviewPayload", undone
    item, change = undone["item"], undone["change"]
    assert (item["status"], item["decision"], item["decidedBy"]) == ("open", None, None)
    assert [(h["decision"], h["undone_by"], h["undone_note"]) for h in item["history"]] == [
        ("MERGE", "alice", "wrong pair")
    ]
    assert change["kind"] == "unmerge" and change["event"]["reason"] == "undo"
    assert change["event"]["reviewKey"] == ZHANG and change["event"]["absorbed"] == [absorbed]
    assert sorted(c["id"] for c in change["customers"]) == sorted({placed["crm|1"], placed["crm|2"]})
    # the customers as before: records, ids, golden names, and the order added to the absorbed one
    assert await _customers(clean_graph) == before
    revived = (await gql(CUSTOMER, id=absorbed))["customer"]
    assert [e["node"]["orderId"] for e in revived["orders"]["edges"]] == ["O-1"]
    # the pair is in the queue again and no resolution applies the decision any more
    assert await _open_keys(gql) == sorted([ZHANG, SMITH])
    assert await decisions_for(clean_graph, ["crm|1", "crm|2"]) == {}
    merge_event = await clean_graph.read(
        "MATCH (e:MergeEvent {id: $id}) RETURN e.undone_event AS u", id=merged["change"]["event"]["id"]
    )
    assert merge_event == [{"u": change["event"]["id"]}]
    await resolve_pending(clean_graph, ["crm|1", "crm|2"], rules)
    again = await customer_of()
    assert again["crm|1"] != again["crm|2"]
    audit = await clean_graph.read(
        "MATCH (e:AuditEvent {action: 'review.undo'}) RETURN e.target AS target, e.user AS user, e.after AS after"
    )
    assert [(a["target"], a["user"]) for a in audit] == [(ZHANG, "alice")]
    assert '"decision": "MERGE"' in audit[0]["after"]
    # decided again after the undo: an ordinary decision
    again_merged = (await gql(DECIDE, key=ZHANG, decision="MERGE"))["decideReview"]
    assert again_merged["item"] == {"status": "decided", "decision": "MERGE"}


async def test_res_undo_merge_restores_the_separate_decisions_it_lifted(
    clean_graph: Graph, importer, gql, customer_of
) -> None:
    rows = [*ROWS, {"编号": "5", "姓名": "张伟", "手机": "13812345678"}]  # joins crm|1 on its own
    await importer(rows)
    placed = await customer_of()
    assert placed["crm|5"] == placed["crm|1"] != placed["crm|2"]
    # someone kept crm|5 and crm|2 apart earlier; merging the customers lifts that
    await review_repo.set_decisions(
        clean_graph,
        [("crm|5", "crm|2")],
        "SEPARATE",
        by="bob",
        at="2026-01-01T00:00:00+00:00",
        note="no",
        origin="review",
    )
    merged = (await gql(DECIDE, key=ZHANG, decision="MERGE"))["decideReview"]
    lifted = await review_repo.get_items(clean_graph, ["crm|2||crm|5"])
    assert lifted["crm|2||crm|5"].status == "lifted"

    undone = (await gql(UNDO, key=ZHANG))["undoReviewDecision"]
    assert undone["change"]["notes"] == ["1 SEPARATE decision(s) the merge had lifted hold again"]
    back = (await review_repo.get_items(clean_graph, ["crm|2||crm|5"]))["crm|2||crm|5"]
    assert (back.status, back.decision, back.decided_by, back.note) == ("decided", "SEPARATE", "bob", "no")
    assert back.history == [] and merged["change"]["event"]["id"] != back.event_id
    assert await decisions_for(clean_graph, ["crm|5"]) == {frozenset({"crm|2", "crm|5"}): "SEPARATE"}


async def test_res_undo_separate(clean_graph: Graph, importer, gql, customer_of) -> None:
    await importer(ROWS)
    before = await _customers(clean_graph)
    # apart already: the decision moved nothing, undoing it only reopens the pair
    await gql(DECIDE, key=ZHANG, decision="SEPARATE")
    undone = (await gql(UNDO, key=ZHANG))["undoReviewDecision"]
    assert undone["item"]["status"] == "open" and undone["change"]["kind"] == "none"
    assert await _customers(clean_graph) == before and await _open_keys(gql) == sorted([ZHANG, SMITH])
    assert await decisions_for(clean_graph, ["crm|1", "crm|2"]) == {}

    # merged, then separated: undoing the SEPARATE puts crm|2 back and the MERGE holds again
    merged = (await gql(DECIDE, key=ZHANG, decision="MERGE"))["decideReview"]["change"]
    merged_state = await _customers(clean_graph)
    path = await clean_graph.read(
        "MATCH (:SourceRecord {uid: 'crm|2'})-[r:RESOLVED_TO]->() RETURN r.moved_path AS p, r.moved_from AS f"
    )
    split = (await gql(DECIDE, key=ZHANG, decision="SEPARATE"))["decideReview"]["change"]
    created = split["event"]["created"][0]
    undone = (await gql(UNDO, key=ZHANG))["undoReviewDecision"]
    assert undone["change"]["kind"] == "merge" and undone["change"]["event"]["absorbed"] == [created]
    assert undone["item"]["status"] == "decided" and undone["item"]["decision"] == "MERGE"
    assert await decisions_for(clean_graph, ["crm|2"]) == {frozenset({"crm|1", "crm|2"}): "MERGE"}
    after = [c for c in await _customers(clean_graph) if c["id"] != created]
    assert after == merged_state
    pointer = await clean_graph.read("MATCH (c:Customer {id: $id}) RETURN c.merged_into AS m", id=created)
    assert pointer == [{"m": merged["customers"][0]["id"]}]
    # the record's merge history is back: undoing the MERGE next revives its first customer
    assert path == await clean_graph.read(
        "MATCH (:SourceRecord {uid: 'crm|2'})-[r:RESOLVED_TO]->() RETURN r.moved_path AS p, r.moved_from AS f"
    )
    undone = (await gql(UNDO, key=ZHANG))["undoReviewDecision"]
    assert undone["__typename"] == "DecideReviewPayload", undone
    assert undone["change"]["kind"] == "unmerge" and undone["item"]["status"] == "open"
    assert [c for c in await _customers(clean_graph) if c["id"] != created] == before


async def test_res_undo_refusals(clean_graph: Graph, importer, gql, customer_of) -> None:
    await importer([*ROWS, {"编号": "5", "姓名": "张伟", "手机": "13812345678"}])  # crm|5 joins crm|1
    nothing = (await gql(UNDO, key=ZHANG))["undoReviewDecision"]
    message = f"review item {ZHANG} is open: there is no decision to undo"
    assert nothing == {"__typename": "ValidationError", "message": message}
    assert (await gql(UNDO, key="crm|1||crm|9"))["undoReviewDecision"]["__typename"] == "NotFoundError"
    survivor = (await gql(DECIDE, key=ZHANG, decision="MERGE"))["decideReview"]["change"]["customers"][0]["id"]
    rep = (await gql(UNDO, key=ZHANG, role="rep", user="rita"))["undoReviewDecision"]
    assert rep["__typename"] == "PermissionDenied"
    # a later split of the merged customer builds on the merge: undo refused, nothing written
    split = (await gql(SPLIT, id=survivor, uids=["crm|5"]))["splitRecords"]
    state = await _customers(clean_graph)
    refused = (await gql(UNDO, key=ZHANG))["undoReviewDecision"]
    assert refused == {
        "__typename": "ValidationError",
        "message": f"{split['event']['id']} (split of {survivor}) changed these customers since; undo that first",
    }
    assert await _customers(clean_graph) == state
    item = (await review_repo.get_items(clean_graph, [ZHANG]))[ZHANG]
    assert (item.status, item.decision) == ("decided", "MERGE")
    # a SEPARATE a split wrote on the pair is no review decision to undo
    apart = (await gql(SPLIT, id=survivor, uids=["crm|2"]))["splitRecords"]
    refused = (await gql(UNDO, key=ZHANG))["undoReviewDecision"]
    message = f"the decision on {ZHANG} came from split {apart['event']['id']}, not from a review"
    assert refused == {"__typename": "ValidationError", "message": message}
    assert [a["e"] for a in await clean_graph.read("MATCH (e:AuditEvent) RETURN e.action AS e")].count(
        "review.undo"
    ) == 0
