"""The data-quality report over GraphQL and `custgraph quality`, on a few imported records."""

from __future__ import annotations

import json

from custgraph.graph.connection import Graph

REPORT = """
{
  qualityReport {
    records activeCustomers
    fieldFailures { field missing invalid failed rate }
    sources { source records matched review new unmatched pending incomplete unmatchedShare reviewShare }
    completeness { field filled share }
    recurring {
      customersMergedRepeatedly { customerId merges }
      reopenedReviews reopenedReviewKeys changedRecords changedBySource
      mostChanged { uid versions }
    }
  }
}
"""

DECIDE = """mutation D($key: ID!, $d: ReviewDecision!) {
  decideReview(key: $key, decision: $d) { __typename }
}"""
SPLIT = "mutation S($id: ID!) { splitCustomer(id: $id) { __typename } }"

CRM = [
    {"编号": "1", "姓名": "张伟", "手机": "12345", "邮箱": "not-an-email", "城市": "深圳"},  # both invalid
    {"编号": "2", "姓名": "李娜", "手机": "13912345678"},  # no region
    {"编号": "3", "姓名": "John Smith", "邮箱": "john.smith@acme.com", "城市": "London"},
    {"编号": "4", "姓名": "Jon Smith"},  # review against 3
    {"编号": "5", "城市": "北京"},  # unmatched
]
WEB = [{"id": "w1", "name": "Mary Jones", "mobile": "13700001111", "city": "上海"}]


async def test_res_quality_report_counts_failures_sources_and_completeness(importer, gql) -> None:
    await importer(CRM)
    await importer(WEB, source="web")
    report = (await gql(REPORT))["qualityReport"]
    assert report["records"] == 6
    failures = {f["field"]: f for f in report["fieldFailures"]}
    assert failures["mobile"] == {"field": "mobile", "missing": 0, "invalid": 1, "failed": 1, "rate": round(1 / 6, 4)}
    assert failures["email"]["invalid"] == 1
    assert failures["mobile|email"]["missing"] == 3 and failures["mobile|email"]["rate"] == 0.5
    assert failures["region"]["missing"] == 2  # 李娜 and Jon Smith: neither region nor city
    assert failures["name"]["missing"] == 1
    assert report["fieldFailures"][0]["field"] == "mobile|email"  # worst first
    sources = {s["source"]: s for s in report["sources"]}
    crm = sources["crm"]
    assert (crm["records"], crm["new"], crm["review"], crm["unmatched"], crm["matched"]) == (5, 3, 1, 1, 0)
    assert (crm["unmatchedShare"], crm["reviewShare"], crm["incomplete"]) == (0.2, 0.2, 4)
    assert (sources["web"]["records"], sources["web"]["new"], sources["web"]["incomplete"]) == (1, 1, 0)
    assert report["activeCustomers"] == 5
    completeness = {c["field"]: c for c in report["completeness"]}
    assert completeness["name"] == {"field": "name", "filled": 5, "share": 1.0}
    assert completeness["mobile"]["filled"] == 2 and completeness["mobile"]["share"] == 0.4


async def test_res_quality_report_finds_recurring_duplicates(clean_graph: Graph, importer, gql) -> None:
    await importer(CRM)
    # fixed at the source and imported again: the mobile is no longer a failure, the record has history
    fixed = [dict(r) for r in CRM]
    fixed[0]["手机"] = "13812345678"
    fixed[3]["备注"] = "called twice"  # Jon Smith changes too: the matcher flags the same pair again
    await importer(fixed)
    # a steward merges the Smiths, splits them, merges them again
    await gql(DECIDE, key="crm|3||crm|4", d="MERGE")
    await gql(SPLIT, id="C000003")
    await gql(DECIDE, key="crm|3||crm|4", d="MERGE")
    report = (await gql(REPORT))["qualityReport"]
    failures = {f["field"]: f for f in report["fieldFailures"]}
    assert "mobile" not in failures and failures["email"]["invalid"] == 1
    recurring = report["recurring"]
    assert recurring["customersMergedRepeatedly"] == [{"customerId": "C000003", "merges": 2}]
    assert recurring["reopenedReviews"] == 1 and recurring["reopenedReviewKeys"] == ["crm|3||crm|4"]
    assert recurring["changedRecords"] == 2 and recurring["changedBySource"] == {"crm": 2}
    assert {c["uid"]: c["versions"] for c in recurring["mostChanged"]} == {"crm|1": 1, "crm|4": 1}


async def test_res_quality_cli(importer, run_cli) -> None:
    await importer(CRM)
    text = await run_cli("quality")
    assert "field failures" in text and "mobile|email" in text and "crm" in text
    data = json.loads(await run_cli("quality", "--json"))
    assert data["records"] == 5
    assert {s["source"] for s in data["sources"]} == {"crm"}
