"""The 360° view, customer(id), through HTTP against the real graph."""

from __future__ import annotations

from typing import Any

from custgraph.graph.connection import Graph

VIEW = """
query View($id: ID!) {
  customer(id: $id) {
    id name customerType lifecycle industry region city mobile email companyName notes
    firstContact lastContact totalAmount orderCount
    contacts { kind value primary sources }
    company { key name }
    channels { name }
    owners { name }
    tags { key name dimension }
    sourceRecords { uid source kind row fields raw resolution { score rule outcome evidence matchedUid } }
    relatedCustomers { customer { id name } reasons { kind value description } }
  }
}
"""

PAGES = """
query Pages($id: ID!, $first: Int!, $after: String) {
  customer(id: $id) {
    interactions(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { uid interactionType date content satisfaction } }
    }
    orders(first: $first) { totalCount edges { node { orderId date amount product } } }
  }
}
"""


def view(api: Any, customer_id: str, **kwargs: Any) -> dict[str, Any] | None:
    return api.data(VIEW, {"id": customer_id}, **kwargs)["customer"]


def test_admin_sees_the_whole_profile(api_world: Graph, api: Any) -> None:
    c = view(api, "C000001")
    assert c["name"] == "张伟" and c["mobile"] == "+8613812345678" and c["email"] == "zhangwei@huawei.com"
    assert (c["customerType"], c["lifecycle"], c["industry"], c["region"]) == (
        "person",
        "customer",
        "制造业",
        "上海市",
    )
    assert (c["firstContact"], c["lastContact"]) == ("2024-02-10", "2024-05-01")
    assert (c["totalAmount"], c["orderCount"]) == (120000.0, 5)
    assert c["company"] == {"key": "华为技术", "name": "华为技术有限公司"}
    assert c["channels"] == [{"name": "展会"}] and c["owners"] == [{"name": "周晓明"}]
    assert [t["key"] for t in c["tags"]] == ["custom:流失风险", "value:high"]
    assert c["contacts"][0] == {
        "kind": "mobile",
        "value": "+8613812345678",
        "primary": True,
        "sources": ["crm"],
    }


def test_source_records_carry_provenance_and_the_match_explanation(api_world: Graph, api: Any) -> None:
    records = {r["uid"]: r for r in view(api, "C000001")["sourceRecords"]}
    assert set(records) == {"crm|1", "orders|9"}
    assert records["crm|1"]["raw"] == {"客户姓名": "张伟", "手机号": "138 1234 5678"}
    assert records["crm|1"]["row"] == 2
    explained = records["orders|9"]["resolution"]
    assert explained == {
        "score": 0.97,
        "rule": "mobile_exact",
        "outcome": "matched",
        "matchedUid": "crm|1",
        "evidence": [{"field": "mobile", "level": "exact", "weight": 9.5}],
    }


def test_related_customers_by_company_and_by_shared_mobile(api_world: Graph, api: Any) -> None:
    related = {r["customer"]["id"]: r["reasons"] for r in view(api, "C000001")["relatedCustomers"]}
    assert related["C000002"] == [
        {"kind": "company", "value": "华为技术有限公司", "description": "same company 华为技术有限公司"}
    ]
    assert related["C000007"][0]["kind"] == "mobile" and related["C000007"][0]["value"] == "+8613812345678"
    assert "C000006" not in related  # merged away: never listed


def test_manager_sees_masked_personal_data(api_world: Graph, api: Any) -> None:
    c = view(api, "C000001", role="manager", user="经理")
    assert (c["name"], c["mobile"], c["email"]) == ("张*", "138****5678", "z***@huawei.com")
    assert c["contacts"][0]["value"] == "138****5678"
    crm = next(r for r in c["sourceRecords"] if r["uid"] == "crm|1")
    assert crm["fields"] == {"name": "张*", "mobile": "138****5678"}
    related = {r["customer"]["id"]: r for r in c["relatedCustomers"]}
    assert "C000007" not in related  # it shares the mobile, but nobody on the manager's team owns it
    assert related["C000002"]["reasons"][0]["kind"] == "company"
    everyone = {r["customer"]["id"]: r for r in view(api, "C000001")["relatedCustomers"]}
    assert everyone["C000007"]["reasons"][0]["value"] == "+8613812345678"  # an admin sees it, in full
    assert view(api, "C000004", role="manager")["name"] == "永泰软件(杭州)股份有限公司"  # companies stay


def test_merged_away_id_returns_the_survivor(api_world: Graph, api: Any) -> None:
    assert view(api, "C000006")["id"] == "C000001"


def test_unknown_id_is_null(api_world: Graph, api: Any) -> None:
    assert view(api, "C999999") is None


def test_rep_sees_only_customers_they_own(api_world: Graph, api: Any) -> None:
    assert view(api, "C000001", role="rep", user=api.rep)["id"] == "C000001"
    assert view(api, "C000002", role="rep", user=api.rep) is None
    assert view(api, "C000002", role="rep", user=api.other_rep)["id"] == "C000002"
    related = view(api, "C000001", role="rep", user=api.rep)["relatedCustomers"]
    assert related == []  # C000002 and C000007 belong to others


def test_interactions_page_newest_first_with_cursors(api_world: Graph, api: Any) -> None:
    first = api.data(PAGES, {"id": "C000001", "first": 2})["customer"]
    page = first["interactions"]
    assert page["totalCount"] == 5
    assert [e["node"]["date"] for e in page["edges"]] == ["2024-05-01", "2024-04-01"]
    assert page["pageInfo"]["hasNextPage"] and not page["pageInfo"]["hasPreviousPage"]
    assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
    assert first["orders"]["totalCount"] == 2 and first["orders"]["edges"][0]["node"]["orderId"] == "SO2"
    seen = [e["node"]["uid"] for e in page["edges"]]
    after = page["pageInfo"]["endCursor"]
    while after:
        page = api.data(PAGES, {"id": "C000001", "first": 2, "after": after})["customer"]["interactions"]
        assert page["pageInfo"]["hasPreviousPage"]
        seen += [e["node"]["uid"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    assert seen == ["hd|5", "hd|4", "hd|3", "hd|2", "hd|1"]


def test_interactions_after_the_last_cursor_is_an_empty_last_page(api_world: Graph, api: Any) -> None:
    everything = api.data(PAGES, {"id": "C000001", "first": 5})["customer"]["interactions"]
    assert not everything["pageInfo"]["hasNextPage"]
    last = everything["pageInfo"]["endCursor"]
    page = api.data(PAGES, {"id": "C000001", "first": 5, "after": last})["customer"]["interactions"]
    assert page["edges"] == [] and page["pageInfo"]["hasNextPage"] is False and page["totalCount"] == 5


def test_interaction_page_size_is_checked(api_world: Graph, api: Any) -> None:
    errors = api.errors(PAGES, {"id": "C000001", "first": -1})
    assert errors[0]["message"] == "first must be between 0 and 100"
    empty = api.data(PAGES, {"id": "C000001", "first": 0})["customer"]["interactions"]
    assert empty["edges"] == [] and empty["pageInfo"]["hasNextPage"] is True and empty["totalCount"] == 5
