"""Stable ids across merges (the older id survives, old ids keep answering) and golden-field policies."""

from __future__ import annotations

from custgraph.graph.connection import Graph
from custgraph.matching.rules import Rules, rules_from_dict

CUSTOMER = "query One($id: ID!) { customer(id: $id) { id name email sourceRecords { uid } } }"
DECIDE = """
mutation D($key: ID!) {
  decideReview(key: $key, decision: MERGE) {
    ... on DecideReviewPayload { change { customers { id } event { survivor absorbed } } }
  }
}
"""


async def test_res_matcher_merge_keeps_the_older_id_and_old_ids_answer(
    clean_graph: Graph, importer, gql, customer_of
) -> None:
    for row in (
        {"编号": "1", "姓名": "张伟", "手机": "13812345678"},
        {"编号": "2", "邮箱": "zhangwei@qq.com"},
        {"编号": "3", "姓名": "张伟", "手机": "13812345678", "邮箱": "zhangwei@qq.com"},
    ):
        await importer([row])
    assert set((await customer_of()).values()) == {"C000001"}
    for asked in ("C000001", "C000002"):
        customer = (await gql(CUSTOMER, id=asked))["customer"]
        assert customer["id"] == "C000001"
        assert {r["uid"] for r in customer["sourceRecords"]} == {"crm|1", "crm|2", "crm|3"}
    # later records keep landing on the surviving id
    await importer([{"编号": "4", "姓名": "张伟", "邮箱": "zhangwei@qq.com", "城市": "深圳"}])
    assert set((await customer_of()).values()) == {"C000001"}
    pointer = await clean_graph.read("MATCH (c:Customer {id: 'C000002'}) RETURN c.merged_into AS m")
    assert pointer == [{"m": "C000001"}]


async def test_res_steward_merge_keeps_the_numerically_older_id(importer, gql, customer_of) -> None:
    # crm|10 sorts before crm|9 as text, but its customer is the newer one
    await importer([{"编号": "9", "姓名": "Jon Smith"}])
    await importer([{"编号": "10", "姓名": "John Smith", "邮箱": "john.smith@acme.com"}])
    placed = await customer_of()
    assert (placed["crm|9"], placed["crm|10"]) == ("C000001", "C000002")
    change = (await gql(DECIDE, key="crm|10||crm|9"))["decideReview"]["change"]
    assert change["event"] == {"survivor": "C000001", "absorbed": ["C000002"]}
    assert set((await customer_of()).values()) == {"C000001"}
    assert (await gql(CUSTOMER, id="C000002"))["customer"]["id"] == "C000001"


def _with_survivorship(rules: Rules, **settings: object) -> Rules:
    data = rules.model_dump()
    data["survivorship"] = {**data["survivorship"], **settings}
    return rules_from_dict(data)


CRM_ROW = {"编号": "1", "姓名": "张伟", "手机": "13812345678", "邮箱": "old@huawei.com", "公司": "华为技术有限公司"}
WEB_ROW = {"id": "w1", "name": "Zhang Wei", "mobile": "13812345678", "email": "new@huawei.com", "company": "华为"}


async def _golden(graph: Graph, customer_id: str) -> dict[str, object]:
    rows = await graph.read("MATCH (c:Customer {id: $id}) RETURN properties(c) AS p", id=customer_id)
    return rows[0]["p"]


async def test_res_golden_fields_follow_the_shipped_policies(clean_graph: Graph, importer, customer_of) -> None:
    await importer([CRM_ROW])
    await importer([WEB_ROW], source="web")
    placed = await customer_of()
    assert placed["crm|1"] == placed["web|w1"]
    golden = await _golden(clean_graph, placed["crm|1"])
    assert golden["email"] == "new@huawei.com"  # email: latest
    assert golden["company"] == "华为技术有限公司"  # default most_complete: the fuller name
    assert golden["name"] == "张伟"  # most_complete, hanzi before the romanized spelling


async def test_res_golden_fields_follow_a_configured_source_priority(
    clean_graph: Graph, importer, customer_of, rules
) -> None:
    policies = {"name": "source_priority", "email": "source_priority"}
    trusted = _with_survivorship(rules, source_priority=["crm", "web"], fields=policies)
    await importer([CRM_ROW], rule_set=trusted)
    await importer([WEB_ROW], source="web", rule_set=trusted)
    placed = await customer_of()
    assert placed["crm|1"] == placed["web|w1"]
    golden = await _golden(clean_graph, placed["crm|1"])
    assert (golden["name"], golden["email"]) == ("张伟", "old@huawei.com")  # the CRM is trusted first
