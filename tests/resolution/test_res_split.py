"""Unmerge (splitCustomer) and splitRecords: the previous customers come back and stay apart."""

from __future__ import annotations

from custgraph.graph.connection import Graph
from custgraph.pipeline.resolve import resolve_pending
from custgraph.resolution.merge import merge_customers
from custgraph.resolution.split import split_customer

SPLIT = """
mutation Split($id: ID!, $note: String) {
  splitCustomer(id: $id, note: $note) {
    __typename
    ... on CustomerChange {
      kind message separatedPairs notes
      customers { id name email mobile sourceRecords { uid } }
      event { id kind by survivor absorbed recordUids }
    }
    ... on NotFoundError { message id }
    ... on ValidationError { message fields { field message } }
    ... on PermissionDenied { message }
  }
}
"""

SPLIT_RECORDS = """
mutation SplitRecords($id: ID!, $uids: [String!]!) {
  splitRecords(customerId: $id, uids: $uids) {
    __typename
    ... on CustomerChange {
      kind separatedPairs customers { id sourceRecords { uid } } event { id kind created recordUids }
    }
    ... on NotFoundError { message id }
    ... on ValidationError { message fields { field message } }
    ... on PermissionDenied { message }
  }
}
"""

CUSTOMER = "query One($id: ID!) { customer(id: $id) { id email mobile sourceRecords { uid } } }"

MOBILE = {"编号": "1", "姓名": "张伟", "手机": "13812345678", "城市": "深圳"}
EMAIL_ONLY = {"编号": "2", "邮箱": "zhangwei@qq.com", "城市": "深圳"}
BOTH = {"编号": "3", "姓名": "张伟", "手机": "13812345678", "邮箱": "zhangwei@qq.com", "城市": "深圳"}


async def _merged_by_the_matcher(clean_graph: Graph, importer) -> None:
    """C000001 (mobile) and C000002 (email) exist; a third record carrying both merges them."""
    for row in (MOBILE, EMAIL_ONLY, BOTH):
        await importer([row])
    merged = await clean_graph.read("MATCH (a)-[:MERGED_INTO]->(b) RETURN a.id AS a, b.id AS b")
    assert merged == [{"a": "C000002", "b": "C000001"}]


async def test_res_split_restores_the_customers_the_matcher_merged(
    clean_graph: Graph, importer, gql, customer_of, rules
) -> None:
    await _merged_by_the_matcher(clean_graph, importer)
    before = (await gql(CUSTOMER, id="C000002"))["customer"]
    assert before["id"] == "C000001" and before["email"] == "zhangwei@qq.com"
    result = (await gql(SPLIT, id="C000001", note="two people after all"))["splitCustomer"]
    assert result["kind"] == "unmerge" and result["separatedPairs"] == 2
    assert result["event"]["absorbed"] == ["C000002"] and result["event"]["recordUids"] == ["crm|2"]
    customers = {c["id"]: c for c in result["customers"]}
    assert {r["uid"] for r in customers["C000001"]["sourceRecords"]} == {"crm|1", "crm|3"}
    assert [r["uid"] for r in customers["C000002"]["sourceRecords"]] == ["crm|2"]
    assert customers["C000002"]["email"] == "zhangwei@qq.com" and customers["C000002"]["mobile"] is None
    # the absorbed id is a customer of its own again
    assert (await gql(CUSTOMER, id="C000002"))["customer"]["id"] == "C000002"
    state = await clean_graph.read(
        "MATCH (c:Customer {id: 'C000002'}) OPTIONAL MATCH (c)-[m:MERGED_INTO]->() "
        "RETURN c.merged_into AS merged_into, count(m) AS edges"
    )
    assert state == [{"merged_into": None, "edges": 0}]
    # re-resolution keeps the parts apart: each part's records are SEPARATE from the other's
    await resolve_pending(clean_graph, ["crm|2"], rules)
    placed = await customer_of()
    assert placed["crm|2"] not in (placed["crm|1"], None)
    await importer([{**BOTH, "公司": "腾讯"}])  # crm|3 changed: re-resolved, must not glue them again
    placed = await customer_of()
    assert placed["crm|3"] == placed["crm|1"] != placed["crm|2"]
    assert await clean_graph.read("MATCH ()-[m:MERGED_INTO]->() RETURN count(m) AS n") == [{"n": 0}]


async def test_res_split_undoes_one_merge_at_a_time(clean_graph: Graph, importer, rules, customer_of) -> None:
    await importer([{"编号": "1", "姓名": "李娜", "手机": "13911112222"}])
    await importer([{"编号": "2", "姓名": "王芳", "手机": "13933334444"}])
    await importer([{"编号": "3", "姓名": "陈静", "手机": "13955556666"}])
    # C000003 into C000002, then C000002 into C000001: crm|3 was moved twice
    await merge_customers(clean_graph, "C000002", "C000003", by="bob", rules=rules)
    await merge_customers(clean_graph, "C000001", "C000002", by="bob", rules=rules)
    assert set((await customer_of()).values()) == {"C000001"}
    first = await split_customer(clean_graph, "C000001", by="bob", rules=rules)
    assert first.customers == ["C000001", "C000002"]
    assert await customer_of() == {"crm|1": "C000001", "crm|2": "C000002", "crm|3": "C000002"}
    await split_customer(clean_graph, "C000002", by="bob", rules=rules)
    assert await customer_of() == {"crm|1": "C000001", "crm|2": "C000002", "crm|3": "C000003"}
    events = await clean_graph.read(
        "MATCH (e:MergeEvent) RETURN e.id AS id, e.kind AS kind, e.undone_event AS undone ORDER BY e.id"
    )
    assert [(e["kind"], e["undone"]) for e in events] == [
        ("merge", events[3]["id"]),
        ("merge", events[2]["id"]),
        ("unmerge", None),
        ("unmerge", None),
    ]


async def test_res_split_records_moves_them_to_a_new_customer(clean_graph: Graph, importer, gql, customer_of) -> None:
    await importer(
        [
            {"编号": "1", "姓名": "张伟", "手机": "13812345678", "公司": "华为技术有限公司"},
            {"编号": "2", "姓名": "张伟", "手机": "13812345678", "公司": "华为"},
            {"编号": "3", "姓名": "张伟", "手机": "13812345678", "邮箱": "zw@huawei.com", "公司": "华为技术"},
        ]
    )
    assert set((await customer_of()).values()) == {"C000001"}
    result = (await gql(SPLIT_RECORDS, id="C000001", uids=["crm|3"]))["splitRecords"]
    assert result["kind"] == "split" and result["separatedPairs"] == 2
    new_id = result["event"]["created"][0]
    assert [c["id"] for c in result["customers"]] == ["C000001", new_id]
    placed = await customer_of()
    assert placed == {"crm|1": "C000001", "crm|2": "C000001", "crm|3": new_id}
    # a re-import with changes re-resolves crm|3; the split holds
    changed = {"编号": "3", "姓名": "张伟", "手机": "13812345678", "邮箱": "zw@huawei.com", "城市": "深圳"}
    await importer([changed])
    placed = await customer_of()
    assert placed["crm|3"] != placed["crm|1"] == placed["crm|2"]


async def test_res_split_refusals(importer, gql) -> None:
    await importer([{"编号": "1", "姓名": "张伟", "手机": "13812345678"}])
    nothing = (await gql(SPLIT, id="C000001"))["splitCustomer"]
    assert nothing["__typename"] == "ValidationError" and nothing["fields"][0]["field"] == "id"
    assert "nothing was merged into C000001" in nothing["message"]
    missing = (await gql(SPLIT, id="C000404"))["splitCustomer"]
    assert missing == {"__typename": "NotFoundError", "message": "no customer C000404", "id": "C000404"}
    alone = (await gql(SPLIT_RECORDS, id="C000001", uids=["crm|1"]))["splitRecords"]
    assert alone["fields"] == [{"field": "uids", "message": alone["message"]}]
    assert "nothing would stay behind" in alone["message"]
    stranger = (await gql(SPLIT_RECORDS, id="C000001", uids=["crm|9"]))["splitRecords"]
    assert "not records of C000001: crm|9" in stranger["message"]
    denied = (await gql(SPLIT_RECORDS, id="C000001", uids=["crm|1"], role="rep"))["splitRecords"]
    assert denied["__typename"] == "PermissionDenied"


async def test_res_split_cli(clean_graph: Graph, importer, run_cli, customer_of) -> None:
    await _merged_by_the_matcher(clean_graph, importer)
    out = await run_cli("split", "C000001", "--note", "cli split", "--by", "carol")
    assert "C000002 restored" in out
    assert (await customer_of())["crm|2"] == "C000002"
    refused = await run_cli("split", "C000001", code=2)
    assert refused == ""  # the reason goes to stderr
