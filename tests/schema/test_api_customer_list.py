"""customers(filter, orderBy, first, after): filters, ordering, Relay pagination, roles."""

from __future__ import annotations

from typing import Any

import pytest

from custgraph.graph.connection import Graph

LIST = """
query List($filter: CustomerFilterInput, $orderBy: CustomerOrderInput, $first: Int!, $after: String) {
  customers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id totalAmount } }
  }
}
"""


def ids(api: Any, flt: dict[str, Any] | None = None, **kwargs: Any) -> list[str]:
    page = api.data(LIST, {"filter": flt, "first": 100}, **kwargs)["customers"]
    assert page["totalCount"] == len(page["edges"])
    return [e["node"]["id"] for e in page["edges"]]


EVERYONE = [
    "C000001",
    "C000002",
    "C000003",
    "C000004",
    "C000005",
    "C000007",
    "C000008",
    "C000009",
    "C000010",
    "C000011",
    "C000012",
]

FILTERS: list[tuple[str, dict[str, Any] | None, list[str]]] = [
    ("no filter: all but the merged-away C000006", None, EVERYONE),
    ("tags all", {"tags": {"all": ["value:high", "custom:流失风险"]}}, ["C000001", "C000004", "C000007"]),
    ("tags any", {"tags": {"any": ["custom:VIP", "value:low"]}}, ["C000002", "C000003"]),
    ("tags none", {"tags": {"none": ["value:high", "custom:流失风险"], "any": ["value:low"]}}, ["C000002"]),
    (
        "all + none",
        {"tags": {"all": ["value:high"], "none": ["custom:VIP"]}},
        ["C000001", "C000004", "C000007"],
    ),
    ("a missing required tag", {"tags": {"all": ["value:high", "nope:x"]}}, []),
    (
        "tag dimension",
        {"tagDimensions": [{"dimension": "value"}]},
        ["C000001", "C000002", "C000003", "C000004", "C000007"],
    ),
    ("tag dimension with names", {"tagDimensions": [{"dimension": "value", "names": ["low"]}]}, ["C000002"]),
    ("industry", {"industry": ["制造业"]}, ["C000001", "C000003", "C000004", "C000007"]),
    ("industry any of", {"industry": ["IT", "零售"]}, ["C000002", "C000005"]),
    ("region", {"region": ["浙江省"]}, ["C000003", "C000004"]),
    ("lifecycle", {"lifecycle": ["dormant", "churned"]}, ["C000005", "C000007"]),
    ("customer type", {"customerType": ["company"]}, ["C000004"]),
    ("owner", {"owner": ["周晓明"]}, ["C000001", "C000003", "C000004"]),
    ("owners", {"owner": ["周晓明", "陈志强"]}, ["C000001", "C000002", "C000003", "C000004", "C000005"]),
    ("channel", {"channel": ["展会"]}, ["C000001", "C000004"]),
    (
        "first contact range",
        {"firstContact": {"from": "2024-01-01", "to": "2024-06-30"}},
        ["C000001", "C000004", "C000007"],
    ),
    ("last interaction from", {"lastInteraction": {"from": "2024-06-01"}}, ["C000002", "C000003"]),
    ("total amount >= 50000", {"totalAmount": {"min": 50000}}, ["C000001", "C000003", "C000004", "C000007"]),
    (
        "order count between",
        {"orderCount": {"min": 2, "max": 3}},
        ["C000003", "C000007", "C000008", "C000011"],
    ),
    (
        "churn-risk high-value manufacturers",
        {
            "industry": ["制造业"],
            "tags": {"all": ["value:high", "custom:流失风险"]},
            "totalAmount": {"min": 80000},
        },
        ["C000001", "C000004"],
    ),
]


@pytest.mark.parametrize(("why", "flt", "expected"), FILTERS, ids=[f[0] for f in FILTERS])
def test_filters(api_world: Graph, api: Any, why: str, flt: dict[str, Any] | None, expected: list[str]) -> None:
    assert ids(api, flt) == expected, why


def test_rep_lists_only_their_own_customers(api_world: Graph, api: Any) -> None:
    assert ids(api, None, role="rep", user=api.rep) == ["C000001", "C000003", "C000004"]
    assert ids(api, {"tags": {"all": ["custom:流失风险"]}}, role="rep", user=api.rep) == [
        "C000001",
        "C000004",
    ]
    assert ids(api, {"owner": [api.other_rep]}, role="rep", user=api.rep) == []


def test_order_by_amount_descending_breaks_ties_by_id(api_world: Graph, api: Any) -> None:
    variables = {
        "filter": {"industry": ["教育"]},
        "orderBy": {"field": "TOTAL_AMOUNT", "direction": "DESC"},
        "first": 10,
    }
    edges = api.data(LIST, variables)["customers"]["edges"]
    assert [(e["node"]["id"], e["node"]["totalAmount"]) for e in edges] == [
        ("C000011", 2000.0),
        ("C000008", 2000.0),
        ("C000010", 1000.0),
        ("C000012", 0.0),
        ("C000009", 0.0),
    ]
    ascending = api.data(LIST, {**variables, "orderBy": {"field": "TOTAL_AMOUNT"}})["customers"]["edges"]
    assert [e["node"]["id"] for e in ascending] == ["C000009", "C000012", "C000010", "C000008", "C000011"]


def test_order_by_name_and_dates(api_world: Graph, api: Any) -> None:
    by_contact = api.data(
        LIST,
        {
            "filter": {"industry": ["制造业"]},
            "first": 10,
            "orderBy": {"field": "LAST_INTERACTION", "direction": "DESC"},
        },
    )
    assert [e["node"]["id"] for e in by_contact["customers"]["edges"]] == [
        "C000003",
        "C000001",
        "C000004",
        "C000007",
    ]


def test_walking_every_page_visits_each_customer_once(api_world: Graph, api: Any) -> None:
    order = {"field": "TOTAL_AMOUNT", "direction": "DESC"}
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = api.data(LIST, {"first": 3, "after": after, "orderBy": order})["customers"]
        pages += 1
        assert page["totalCount"] == len(EVERYONE)
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 4 and sorted(seen) == EVERYONE and len(seen) == len(set(seen))


def test_after_the_last_cursor_is_an_empty_page_without_next(api_world: Graph, api: Any) -> None:
    page = api.data(LIST, {"first": 100})["customers"]
    last = page["pageInfo"]["endCursor"]
    assert page["pageInfo"]["hasNextPage"] is False
    after_last = api.data(LIST, {"first": 10, "after": last})["customers"]
    assert after_last["edges"] == []
    assert after_last["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }
    assert after_last["totalCount"] == len(EVERYONE)


def test_first_zero_counts_without_rows(api_world: Graph, api: Any) -> None:
    page = api.data(LIST, {"first": 0})["customers"]
    assert page["edges"] == [] and page["totalCount"] == len(EVERYONE) and page["pageInfo"]["hasNextPage"]


@pytest.mark.parametrize("first", [-1, 101])
def test_first_out_of_range_is_refused(api_world: Graph, api: Any, first: int) -> None:
    errors = api.errors(LIST, {"first": first})
    assert errors[0]["message"] == "first must be between 0 and 100"
    assert errors[0]["extensions"] == {"code": "BAD_REQUEST", "argument": "first"}


def test_cursors_are_opaque_and_checked(api_world: Graph, api: Any) -> None:
    cursor = api.data(LIST, {"first": 1})["customers"]["pageInfo"]["endCursor"]
    assert "C000001" not in cursor  # opaque: no raw ids to tamper with casually
    other_order = api.errors(LIST, {"first": 1, "after": cursor, "orderBy": {"field": "NAME"}})
    assert other_order[0]["message"] == "cursor does not belong to this list or sort order"
    assert api.errors(LIST, {"first": 1, "after": "not a cursor!"})[0]["message"] == "invalid cursor"


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        ({"firstContact": {"from": "2024/01/01"}}, "dates are YYYY-MM-DD"),
        ({"totalAmount": {"min": 10, "max": 5}}, "min is greater than max"),
        ({"firstContact": {"from": "2024-06-01", "to": "2024-01-01"}}, "from is after to"),
    ],
)
def test_invalid_filters_are_clear_errors(api_world: Graph, api: Any, flt: dict[str, Any], message: str) -> None:
    errors = api.errors(LIST, {"filter": flt, "first": 5})
    assert errors[0]["message"].startswith("invalid filter") and message in errors[0]["message"]


def test_list_with_edges_in_one_request(api_world: Graph, api: Any) -> None:
    query = """{ customers(filter: {owner: ["周晓明"]}, first: 10) {
        edges { node { id name tags { key } owners { name } company { name } } } } }"""
    nodes = [e["node"] for e in api.data(query)["customers"]["edges"]]
    assert nodes[0] == {
        "id": "C000001",
        "name": "张伟",
        "tags": [{"key": "custom:流失风险"}, {"key": "value:high"}],
        "owners": [{"name": "周晓明"}],
        "company": {"name": "华为技术有限公司"},
    }
    assert nodes[2]["company"] is None


def test_tag_changes_show_at_once_although_tag_sizes_are_cached(fresh_world: Graph, api: Any) -> None:
    """Tag sizes are counted once a minute per process (they only choose where the MATCH starts): a tag
    made, given or taken after a filter ran is still filtered on exactly."""
    add = "mutation T($id: ID!, $tags: [TagInput!]!) { addTags(customerId: $id, tags: $tags) { __typename } }"
    remove = "mutation U($id: ID!, $keys: [String!]!) { removeTags(customerId: $id, keys: $keys) { __typename } }"
    flt = {"tags": {"all": ["value:high", "custom:新标签"]}}
    assert ids(api, flt) == []  # the new tag does not exist yet
    api.data(add, {"id": "C000001", "tags": [{"name": "新标签"}]})
    assert ids(api, flt) == ["C000001"]
    api.data(add, {"id": "C000004", "tags": [{"name": "新标签"}]})
    assert ids(api, flt) == ["C000001", "C000004"]
    api.data(remove, {"id": "C000001", "keys": ["custom:新标签"]})
    assert ids(api, flt) == ["C000004"]
