"""explainCustomer and `custgraph explain`: rule, fields compared, levels, weights, matched record."""

from __future__ import annotations

import json

from custgraph.graph.connection import Graph

EXPLAIN = """
query Explain($id: ID!) {
  explainCustomer(id: $id) {
    requestedId customerId
    absorbed { id reason }
    goldenFields { field value policy fromUid }
    events { id kind by }
    records {
      uid source sourceKey fields outcome rule score matchedUid movedPath splitFrom summary
      matchedRecord { uid fields }
      evidence { comparison field level weight valueA valueB similarity comparedWith }
    }
  }
}
"""

ROWS = [
    {"编号": "1", "姓名": "张伟", "手机": "13812345678", "邮箱": "old@huawei.com", "公司": "华为技术有限公司"},
    {"编号": "2", "姓名": "张伟", "手机": "138-1234-5678", "邮箱": "new@huawei.com", "公司": "华为技术"},
]


async def test_res_explanation_names_rule_evidence_and_matched_record(importer, gql) -> None:
    await importer(ROWS)
    ex = (await gql(EXPLAIN, id="C000001"))["explainCustomer"]
    assert ex["customerId"] == ex["requestedId"] == "C000001"
    first, second = ex["records"]
    assert (first["uid"], first["outcome"], first["rule"]) == ("crm|1", "new", "no_candidate")
    assert "no earlier record" in first["summary"] and first["evidence"] == []
    assert (second["uid"], second["outcome"], second["rule"]) == ("crm|2", "matched", "mobile_company")
    assert second["matchedUid"] == "crm|1" and second["matchedRecord"]["fields"]["name"] == "张伟"
    assert second["score"] > 0.9
    evidence = {e["comparison"]: e for e in second["evidence"]}
    assert evidence["mobile"]["level"] == "exact" and evidence["mobile"]["weight"] > 10
    assert evidence["mobile"]["valueA"] == evidence["mobile"]["valueB"] == "+8613812345678"
    assert evidence["mobile"]["comparedWith"] == "crm|1"
    assert evidence["email"]["level"] != "exact" and evidence["email"]["weight"] < 0
    assert (evidence["email"]["valueA"], evidence["email"]["valueB"]) == ("new@huawei.com", "old@huawei.com")
    assert "by rule mobile_company" in second["summary"] and "mobile exact" in second["summary"]
    golden = {g["field"]: g for g in ex["goldenFields"]}
    # the shipped policies: email 'latest', company 'most_complete'
    assert (golden["email"]["value"], golden["email"]["policy"], golden["email"]["fromUid"]) == (
        "new@huawei.com",
        "latest",
        "crm|2",
    )
    assert (golden["company"]["value"], golden["company"]["policy"]) == ("华为技术有限公司", "most_complete")


async def test_res_explaining_an_absorbed_id_explains_the_survivor(clean_graph: Graph, importer, gql) -> None:
    for row in (
        {"编号": "1", "姓名": "张伟", "手机": "13812345678"},
        {"编号": "2", "邮箱": "zhangwei@qq.com"},
        {"编号": "3", "姓名": "张伟", "手机": "13812345678", "邮箱": "zhangwei@qq.com"},
    ):
        await importer([row])
    ex = (await gql(EXPLAIN, id="C000002"))["explainCustomer"]
    assert (ex["requestedId"], ex["customerId"]) == ("C000002", "C000001")
    assert ex["absorbed"] == [{"id": "C000002", "reason": "matched"}]
    moved = next(r for r in ex["records"] if r["uid"] == "crm|2")
    assert moved["movedPath"] == ["C000002"]
    assert "moved here from C000002" in moved["summary"]
    assert (await gql(EXPLAIN, id="C000999"))["explainCustomer"] is None


async def test_res_explain_cli_prints_the_same(importer, run_cli) -> None:
    await importer(ROWS)
    text = await run_cli("explain", "C000001")
    assert "customer C000001: 2 record(s)" in text
    assert "crm|2 [matched / mobile_company" in text
    assert "mobile" in text and "+8613812345678 | +8613812345678" in text
    assert "email" in text and "(latest, crm|2)" in text
    data = json.loads(await run_cli("explain", "C000001", "--json"))
    assert [r["rule"] for r in data["records"]] == ["no_candidate", "mobile_company"]
    assert data["records"][1]["evidence"][0]["comparison"]
    missing = await run_cli("explain", "C000404", code=3)
    assert missing == ""


async def test_res_explanation_is_masked_for_managers(importer, gql, own_all) -> None:
    await importer(ROWS)
    await own_all("alice")  # the manager's own customers: in scope
    ex = (await gql(EXPLAIN, id="C000001", role="manager"))["explainCustomer"]
    second = ex["records"][1]
    mobile = next(e for e in second["evidence"] if e["comparison"] == "mobile")
    assert mobile["valueA"] == mobile["valueB"] == "138****5678"
    assert second["fields"]["email"] == "n***@huawei.com"
    golden = {g["field"]: g["value"] for g in ex["goldenFields"]}
    assert golden["name"] == "张*" and golden["company"] == "华为技术有限公司"
