"""Segments: saved by managers, listed with a live count, each caller seeing only their own scope."""

from __future__ import annotations

from typing import Any

from custgraph.graph.connection import Graph

SAVE = """
mutation Save($input: SegmentInput!) {
  saveSegment(input: $input) {
    __typename
    ... on SegmentPayload { segment { id name filter createdBy count } }
    ... on ValidationError { message fields { field message } }
    ... on PermissionDenied { message }
  }
}
"""
LIST = """
query($first: Int! = 20, $after: String) {
  segments { id name filter count customers(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id name } } } }
}
"""
ADD_TAGS = """
mutation($id: ID!, $tags: [TagInput!]!) { addTags(customerId: $id, tags: $tags) { __typename } }
"""
CHURN = {"industry": ["制造业"], "tags": {"all": ["value:high", "custom:流失风险"]}}


def save(api: Any, name: str, flt: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return api.data(SAVE, {"input": {"name": name, "filter": flt}}, **kwargs)["saveSegment"]


def segments(api: Any, **kwargs: Any) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in api.data(LIST, **kwargs)["segments"]}


def ids(segment: dict[str, Any]) -> list[str]:
    return [e["node"]["id"] for e in segment["customers"]["edges"]]


def test_save_and_list_with_counts_in_each_callers_scope(fresh_world: Graph, api: Any) -> None:
    saved = save(api, "制造业高价值流失风险", CHURN, role="manager", user="经理甲")
    assert saved["__typename"] == "SegmentPayload"
    assert saved["segment"]["filter"] == CHURN and saved["segment"]["createdBy"] == "经理甲"
    admin = segments(api)["制造业高价值流失风险"]
    assert admin["count"] == 3 and ids(admin) == ["C000001", "C000004", "C000007"]
    mine = segments(api, role="rep", user=api.rep)["制造业高价值流失风险"]
    assert mine["count"] == 2 and ids(mine) == ["C000001", "C000004"]
    other = segments(api, role="rep", user=api.other_rep)["制造业高价值流失风险"]
    assert other["count"] == 0 and ids(other) == []
    team = segments(api, role="manager", user="经理甲")["制造业高价值流失风险"]
    assert team["count"] == 2  # C000007 is owned by nobody on the team
    assert api.data(LIST, role="auditor", user="审计员")["segments"] == []


def test_counts_are_live_and_saving_a_name_again_replaces_its_filter(fresh_world: Graph, api: Any) -> None:
    first = save(api, "VIP", {"tags": {"all": ["custom:VIP"]}})["segment"]
    assert first["count"] == 1
    api.data(ADD_TAGS, {"id": "C000002", "tags": [{"name": "VIP"}]})
    assert segments(api)["VIP"]["count"] == 2
    again = save(api, "VIP", {"tags": {"all": ["custom:VIP"]}, "region": ["广东省"]})["segment"]
    assert again["id"] == first["id"] and again["count"] == 1
    assert list(segments(api)) == ["VIP"]


def test_pages_through_a_segments_customers(fresh_world: Graph, api: Any) -> None:
    save(api, "制造业", {"industry": ["制造业"]})
    page = segments(api)["制造业"]
    seen = ids(page)
    first = api.data(LIST, {"first": 2})["segments"][0]["customers"]
    assert [e["node"]["id"] for e in first["edges"]] == seen[:2] and first["pageInfo"]["hasNextPage"]
    rest = api.data(LIST, {"first": 2, "after": first["pageInfo"]["endCursor"]})["segments"][0]["customers"]
    assert [e["node"]["id"] for e in rest["edges"]] == seen[2:4]


def test_reps_may_not_save_and_a_name_is_required(fresh_world: Graph, api: Any) -> None:
    refused = save(api, "我的", {}, role="rep", user=api.rep)
    assert refused["__typename"] == "PermissionDenied"
    blank = save(api, "   ", {})
    assert blank["__typename"] == "ValidationError" and blank["fields"][0]["field"] == "name"
    assert api.data(LIST)["segments"] == []
