"""The API keeps classification current: an order, an interaction, a tag or an owner set by hand
reclassifies the customer at once; a person's tags follow the tag library."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from custgraph.classification import config
from custgraph.classification.assignment import assignment_from_dict
from custgraph.classification.library import load_library
from custgraph.graph.connection import Graph

ORDER = """
mutation($id: ID!, $input: OrderInput!) { addOrder(customerId: $id, input: $input) { __typename } }
"""
VISIT = """
mutation($id: ID!, $input: InteractionInput!) {
  addInteraction(customerId: $id, input: $input) {
    __typename ... on InteractionPayload { interaction { interactionType interactionLabel satisfaction } }
  }
}
"""
TAG = """
mutation($id: ID!, $tags: [TagInput!]!) {
  addTags(customerId: $id, tags: $tags) {
    __typename ... on ValidationError { fields { field message } }
  }
}
"""
ASSIGN = "mutation($id: ID!, $o: [String!]!) { assignOwners(customerId: $id, owners: $o) { __typename } }"
VIEW = "query($id: ID!) { customer(id: $id) { lifecycle tags { key } owners { name } } }"
FALLBACK = {"rules": [{"name": "fallback", "priority": 0, "when": {}, "assign": {"owner": "公共池", "role": "sales"}}]}


@pytest.fixture
def with_fallback() -> Iterator[None]:
    config.install(config.Classifier(load_library(), assignment_from_dict(FALLBACK)))
    try:
        yield
    finally:
        config.install(config.load())


def view(api: Any, cid: str) -> tuple[str, set[str], list[str]]:
    c = api.data(VIEW, {"id": cid})["customer"]
    return c["lifecycle"], {t["key"] for t in c["tags"]}, [o["name"] for o in c["owners"]]


def test_an_order_reclassifies_the_customer(fresh_world: Graph, api: Any) -> None:
    _, before, _ = view(api, "C000005")  # seeded: no orders, only custom:流失风险 from its records
    assert not {t for t in before if t.startswith("frequency:")}
    today = date.today().isoformat()
    assert api.data(ORDER, {"id": "C000005", "input": {"amount": 130000, "date": today}})["addOrder"]["__typename"] == (
        "OrderPayload"
    )
    stage, tags, _ = view(api, "C000005")
    assert stage == "customer"
    assert {"frequency:medium", "value:high", "activity:active_30d", "region:华北", "industry:零售"} <= tags


def test_an_interaction_has_a_type_from_the_vocabulary_and_a_numeric_score(fresh_world: Graph, api: Any) -> None:
    today = date.today().isoformat()
    added = api.data(
        VISIT, {"id": "C000005", "input": {"interactionType": "满意度回访", "satisfaction": 4, "date": today}}
    )
    assert added["addInteraction"]["interaction"] == {
        "interactionType": "satisfaction",
        "interactionLabel": "满意度回访",
        "satisfaction": 4.0,
    }
    assert "activity:active_30d" in view(api, "C000005")[1]


def test_a_persons_tag_is_a_library_tag_and_one_per_exclusive_dimension(fresh_world: Graph, api: Any) -> None:
    assert api.data(TAG, {"id": "C000005", "tags": [{"name": "高价值"}]})["addTags"]["__typename"] == "CustomerPayload"
    tags = view(api, "C000005")[1]
    assert "value:high" in tags and "custom:高价值" not in tags
    assert [t for t in tags if t.startswith("value:")] == ["value:high"]  # the rules' tier gave way
    api.data(TAG, {"id": "C000005", "tags": [{"dimension": "value", "name": "medium"}]})
    assert [t for t in view(api, "C000005")[1] if t.startswith("value:")] == ["value:medium"]
    bad = api.data(TAG, {"id": "C000005", "tags": [{"dimension": "value", "name": "super"}]})["addTags"]
    assert bad["__typename"] == "ValidationError" and bad["fields"][0]["field"] == "tags.0.name"
    both = api.data(TAG, {"id": "C000005", "tags": [{"name": "高价值"}, {"name": "低价值"}]})["addTags"]
    assert both["__typename"] == "ValidationError"


def test_owners_set_by_hand_replace_the_rules(fresh_world: Graph, api: Any, with_fallback: None) -> None:
    api.data(TAG, {"id": "C000007", "tags": [{"name": "重点"}]})  # C000007 is owned by nobody
    assert view(api, "C000007")[2] == ["公共池"]
    assert api.data(ASSIGN, {"id": "C000007", "o": ["周晓明"]})["assignOwners"]["__typename"] == "CustomerPayload"
    assert view(api, "C000007")[2] == ["周晓明"]
