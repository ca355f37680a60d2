"""Saved searches ("quick templates"): create, list, run and delete, each user their own."""

from __future__ import annotations

from typing import Any

from custgraph.graph.connection import Graph

CREATE = """
mutation Save($input: SavedSearchInput!) {
  createSavedSearch(input: $input) {
    __typename
    ... on SavedSearchPayload { savedSearch { id name user filter orderBy createdAt } }
    ... on ValidationError { message fields { field message } }
  }
}
"""
MINE = "{ savedSearches { id name filter } }"
RUN = """
query Run($id: ID!, $first: Int! = 20, $after: String) {
  runSavedSearch(id: $id, first: $first, after: $after, purpose: "营销推送") {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id } }
  }
}
"""
DELETE = """
mutation Drop($id: ID!) {
  deleteSavedSearch(id: $id) { __typename ... on DeletedPayload { id } ... on NotFoundError { message id } }
}
"""
CHURN = {"industry": ["制造业"], "tags": {"all": ["value:high", "custom:流失风险"]}}


def save(api: Any, name: str, flt: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    variables = {"input": {"name": name, "filter": flt, "orderBy": {"field": "TOTAL_AMOUNT", "direction": "DESC"}}}
    return api.data(CREATE, variables, **kwargs)["createSavedSearch"]


def test_create_list_run_delete(fresh_world: Graph, api: Any) -> None:
    created = save(api, "高价值流失风险制造业", CHURN, role="manager", user="经理甲")
    assert created["__typename"] == "SavedSearchPayload"
    saved = created["savedSearch"]
    assert saved["user"] == "经理甲" and saved["filter"] == CHURN
    assert saved["orderBy"] == {"field": "TOTAL_AMOUNT", "descending": True}
    assert api.data(MINE, role="manager", user="经理甲")["savedSearches"] == [
        {"id": saved["id"], "name": "高价值流失风险制造业", "filter": CHURN}
    ]
    page = api.data(RUN, {"id": saved["id"], "first": 1}, role="manager", user="经理甲")["runSavedSearch"]
    # C000007 matches too, but nobody on the manager's team owns it
    assert page["totalCount"] == 2 and [e["node"]["id"] for e in page["edges"]] == ["C000001"]
    rest = api.data(RUN, {"id": saved["id"], "after": page["pageInfo"]["endCursor"]}, role="manager", user="经理甲")
    assert [e["node"]["id"] for e in rest["runSavedSearch"]["edges"]] == ["C000004"]
    dropped = api.data(DELETE, {"id": saved["id"]}, role="manager", user="经理甲")["deleteSavedSearch"]
    assert dropped == {"__typename": "DeletedPayload", "id": saved["id"]}
    assert api.data(MINE, role="manager", user="经理甲")["savedSearches"] == []


def test_saved_searches_are_per_user(fresh_world: Graph, api: Any) -> None:
    saved = save(api, "我的客户", {}, role="rep", user=api.rep)["savedSearch"]
    assert api.data(MINE, role="rep", user=api.other_rep)["savedSearches"] == []
    assert api.data(RUN, {"id": saved["id"]}, role="rep", user=api.other_rep)["runSavedSearch"] is None
    refused = api.data(DELETE, {"id": saved["id"]}, role="rep", user=api.other_rep)["deleteSavedSearch"]
    assert refused["__typename"] == "NotFoundError"
    # run by its owner, a rep's saved search is scoped to the rep's customers
    mine = api.data(RUN, {"id": saved["id"]}, role="rep", user=api.rep)["runSavedSearch"]
    assert [e["node"]["id"] for e in mine["edges"]] == ["C000001", "C000004", "C000003"]


def test_names_are_unique_per_user(fresh_world: Graph, api: Any) -> None:
    assert save(api, "重复", {}, user="a")["__typename"] == "SavedSearchPayload"
    again = save(api, "重复", {}, user="a")
    assert again["__typename"] == "ValidationError" and again["fields"][0]["field"] == "name"
    assert save(api, "重复", {}, user="b")["__typename"] == "SavedSearchPayload"
    blank = save(api, "  ", {}, user="a")
    assert blank["__typename"] == "ValidationError"


def test_runs_are_logged_as_saved_search(fresh_world: Graph, api: Any) -> None:
    saved = save(api, "日志", CHURN, user="admin")["savedSearch"]
    api.data(RUN, {"id": saved["id"]})
    entry = api.data('{ searchLog(kind: "saved_search", first: 1) { edges { node { filter purpose resultCount } } } }')
    assert entry["searchLog"]["edges"][0]["node"] == {
        "filter": CHURN,
        "purpose": "营销推送",
        "resultCount": 3,
    }
