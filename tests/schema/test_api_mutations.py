"""Mutations: validated input, typed errors, role checks, and edges people add are never derived."""

from __future__ import annotations

import json
from typing import Any

import pytest

from custgraph.bounds import max_length
from custgraph.graph.connection import Graph
from custgraph.graph.repositories.profiles import drop_derived

PAYLOAD = """
__typename
... on CustomerPayload { customer { id name mobile email lifecycle region notes companyName
                                    company { key } tags { key } owners { name } channels { name } } }
... on ValidationError { message fields { field message } }
... on NotFoundError { message id }
... on PermissionDenied { message }
"""
CREATE = f"mutation Create($input: CreateCustomerInput!) {{ createCustomer(input: $input) {{ {PAYLOAD} }} }}"
UPDATE = f"""mutation Update($id: ID!, $input: UpdateCustomerInput!) {{
  updateCustomer(id: $id, input: $input) {{ {PAYLOAD} }} }}"""
ADD_TAGS = f"mutation Tag($id: ID!, $tags: [TagInput!]!) {{ addTags(customerId: $id, tags: $tags) {{ {PAYLOAD} }} }}"
REMOVE_TAGS = f"""mutation Untag($id: ID!, $keys: [String!]!) {{
  removeTags(customerId: $id, keys: $keys) {{ {PAYLOAD} }} }}"""
ASSIGN = f"""mutation Assign($id: ID!, $owners: [String!]!, $replace: Boolean! = false) {{
  assignOwners(customerId: $id, owners: $owners, replace: $replace) {{ {PAYLOAD} }} }}"""
INTERACTION = """
mutation Visit($id: ID!, $input: InteractionInput!) {
  addInteraction(customerId: $id, input: $input) {
    __typename
    ... on InteractionPayload {
      customer { id lastContact firstContact }
      interaction { uid interactionType date satisfaction source }
    }
    ... on ValidationError { fields { field message } }
    ... on NotFoundError { id }
    ... on PermissionDenied { message }
  }
}
"""
ORDER = """
mutation Buy($id: ID!, $input: OrderInput!) {
  addOrder(customerId: $id, input: $input) {
    __typename
    ... on OrderPayload {
      counted customer { id totalAmount orderCount lastContact } order { orderId amount date }
    }
    ... on ValidationError { fields { field message } }
    ... on PermissionDenied { message }
  }
}
"""


async def edge_flags(graph: Graph, customer_id: str, rel: str) -> dict[str, Any]:
    rows = await graph.read(
        "MATCH (:Customer {id: $id})-[r]->(x) WHERE type(r) = $rel "
        "RETURN coalesce(x.key, x.name, x.uid) AS target, r.derived AS derived, r.by AS by",
        id=customer_id,
        rel=rel,
    )
    return {row["target"]: (row["derived"], row["by"]) for row in rows}


async def test_create_customer_standardizes_links_and_indexes(fresh_world: Graph, api: Any) -> None:
    result = api.data(
        CREATE,
        {
            "input": {
                "name": "歐陽娜娜",
                "mobile": "0086 136-0000-8888",
                "email": " NaNa@Example.COM ",
                "lifecycle": "潜在",
                "region": "北京",
                "company": "华为技术有限公司",
                "owners": ["林佳怡"],
                "channels": ["官网"],
                "tags": [{"dimension": "value", "name": "high"}, {"name": "新客户"}],
            }
        },
        user="admin",
    )["createCustomer"]
    assert result["__typename"] == "CustomerPayload"
    c = result["customer"]
    assert c["id"] == "C000013"  # the id sequence skips the ids seeded without it
    assert (c["name"], c["mobile"], c["email"]) == ("欧阳娜娜", "+8613600008888", "nana@example.com")
    assert (c["lifecycle"], c["region"], c["company"]) == ("prospect", "北京市", {"key": "华为技术"})
    keys = [t["key"] for t in c["tags"]]
    # the person's tags, beside those the rules compute on create (a person's value tier holds its dimension)
    assert {"custom:新客户", "value:high", "frequency:low", "region:华北"} <= set(keys)
    assert [k for k in keys if k.startswith("value:")] == ["value:high"]
    assert c["owners"] == [{"name": "林佳怡"}] and c["channels"] == [{"name": "官网"}]
    for rel in ("TAGGED", "OWNED_BY", "CAME_FROM", "WORKS_AT"):
        flags = await edge_flags(fresh_world, "C000013", rel)
        if rel == "TAGGED":
            flags = {k: v for k, v in flags.items() if k in ("custom:新客户", "value:high")}
        assert flags and all(derived is False and by == "admin" for derived, by in flags.values()), rel
    found = api.data('{ search(query: "8888") { customer { id } } }')["search"]
    assert found[0]["customer"]["id"] == "C000013"


def test_create_customer_validation_errors(fresh_world: Graph, api: Any) -> None:
    bad = api.data(
        CREATE,
        {
            "input": {
                "name": "张三",
                "mobile": "12345",
                "email": "not-an-email",
                "notes": "长" * (max_length("notes") + 1),
                "lifecycle": "火星",
            }
        },
    )["createCustomer"]
    assert bad["__typename"] == "ValidationError"
    assert {f["field"]: f["message"] for f in bad["fields"]} == {
        "mobile": "not a valid mobile number",
        "email": "not a valid email address",
        "notes": f"String should have at most {max_length('notes')} characters",
        "lifecycle": "not a recognised lifecycle status",
    }
    nameless = api.data(CREATE, {"input": {"mobile": "13800001111"}})["createCustomer"]
    assert nameless["fields"][0]["message"] == "a customer needs a name or a company"


def test_rep_creates_customers_for_themselves_only(fresh_world: Graph, api: Any) -> None:
    mine = api.data(CREATE, {"input": {"name": "新客户"}}, role="rep", user=api.rep)["createCustomer"]
    assert mine["customer"]["owners"] == [{"name": api.rep}]
    other = api.data(CREATE, {"input": {"name": "别人的", "owners": ["别人"]}}, role="rep", user=api.rep)
    assert other["createCustomer"]["__typename"] == "PermissionDenied"


def test_update_changes_only_what_is_sent(fresh_world: Graph, api: Any) -> None:
    result = api.data(UPDATE, {"id": "C000001", "input": {"lifecycle": "沉默", "notes": None, "region": "江苏"}})
    c = result["updateCustomer"]["customer"]
    assert (c["lifecycle"], c["notes"], c["region"]) == ("dormant", None, "江苏省")
    assert (c["name"], c["mobile"]) == ("张伟", "+8613812345678")
    moved = api.data(UPDATE, {"id": "C000001", "input": {"company": "腾讯科技有限公司"}})["updateCustomer"]["customer"]
    assert moved["company"] == {"key": "腾讯科技"} and moved["companyName"] == "腾讯科技有限公司"
    renamed = api.data(UPDATE, {"id": "C000002", "input": {"name": "张小玮"}})["updateCustomer"]["customer"]
    assert renamed["name"] == "张小玮"
    assert api.data('{ search(query: "张小玮") { customer { id } } }')["search"][0]["customer"]["id"] == "C000002"


async def test_an_edit_survives_re_resolution(fresh_world: Graph, api: Any) -> None:
    """Re-resolving a customer (a new record joins it) recomputes its profile from its records; a
    person's edit must win over that, and the fields nobody edited still follow the records."""
    from custgraph.matching.rules import load_rules
    from custgraph.pipeline.profiles import refresh_profiles

    api.data(UPDATE, {"id": "C000001", "input": {"name": "张伟伟", "lifecycle": "沉默"}})
    # C000006 was merged into C000001 after someone had edited it: its edits count too, C000001's win
    edited = json.dumps({"name": "张老师", "notes": "合并前的备注"}, ensure_ascii=False)
    await fresh_world.write("MATCH (c:Customer {id: 'C000006'}) SET c.manual_json = $m", m=edited)
    await refresh_profiles(fresh_world, ["C000001"], load_rules())
    c = api.data('{ customer(id: "C000001") { name lifecycle mobile notes } }')["customer"]
    assert (c["name"], c["lifecycle"], c["mobile"]) == ("张伟伟", "dormant", "+8613812345678")
    assert c["notes"] == "合并前的备注"


def test_update_errors_are_typed(fresh_world: Graph, api: Any) -> None:
    missing = api.data(UPDATE, {"id": "C999999", "input": {"notes": "x"}})["updateCustomer"]
    assert missing == {"__typename": "NotFoundError", "message": "no customer C999999", "id": "C999999"}
    denied = api.data(UPDATE, {"id": "C000002", "input": {"notes": "x"}}, role="rep", user=api.rep)
    # another rep's customer reads as missing: a refusal must not tell that it exists
    assert denied["updateCustomer"]["__typename"] == "NotFoundError"
    own = api.data(UPDATE, {"id": "C000001", "input": {"notes": "已回访"}}, role="rep", user=api.rep)
    assert own["updateCustomer"]["customer"]["notes"] == "已回访"
    unnamed = api.data(UPDATE, {"id": "C000001", "input": {"name": None}})["updateCustomer"]
    assert unnamed["__typename"] == "ValidationError"


def test_update_of_a_merged_away_id_changes_the_survivor(fresh_world: Graph, api: Any) -> None:
    c = api.data(UPDATE, {"id": "C000006", "input": {"notes": "合并后"}})["updateCustomer"]["customer"]
    assert (c["id"], c["notes"]) == ("C000001", "合并后")


async def test_add_and_remove_tags(fresh_world: Graph, api: Any) -> None:
    added = api.data(
        ADD_TAGS, {"id": "C000002", "tags": [{"name": "重点跟进"}, {"dimension": "value", "name": "high"}]}
    )
    # (the rules' tags of other dimensions come too: docs/tags-and-segments.md); the person's tier
    # outranks the value:low its record named: one value tier at a time
    assert [t["key"] for t in added["addTags"]["customer"]["tags"] if t["key"].startswith(("custom:", "value:"))] == [
        "custom:重点跟进",
        "value:high",
    ]
    flags = await edge_flags(fresh_world, "C000002", "TAGGED")
    assert flags["custom:重点跟进"] == (False, "admin") and "value:low" not in flags
    removed = api.data(REMOVE_TAGS, {"id": "C000002", "keys": ["value:high", "custom:重点跟进"]})
    kept = [t["key"] for t in removed["removeTags"]["customer"]["tags"] if t["key"].startswith(("custom:", "value:"))]
    assert "value:high" not in kept and "custom:重点跟进" not in kept  # the rules do not put a removed tier back
    # the removal is a fact with who (and when) on an UNTAGGED edge
    assert await edge_flags(fresh_world, "C000002", "UNTAGGED") == {
        "value:high": (None, "admin"),
        "custom:重点跟进": (None, "admin"),
    }
    bad = api.data(ADD_TAGS, {"id": "C000002", "tags": [{"dimension": "a:b", "name": "x"}]})["addTags"]
    assert bad["__typename"] == "ValidationError" and bad["fields"][0]["field"] == "tags.0.dimension"


async def test_a_person_confirming_a_derived_tag_makes_it_theirs(fresh_world: Graph, api: Any) -> None:
    api.data(ADD_TAGS, {"id": "C000001", "tags": [{"dimension": "value", "name": "high"}]})
    assert (await edge_flags(fresh_world, "C000001", "TAGGED"))["value:high"] == (False, "admin")


async def test_assign_owners(fresh_world: Graph, api: Any) -> None:
    denied = api.data(ASSIGN, {"id": "C000001", "owners": ["林佳怡"]}, role="rep", user=api.rep)["assignOwners"]
    assert denied["__typename"] == "PermissionDenied"
    added = api.data(ASSIGN, {"id": "C000001", "owners": ["林佳怡"]}, role="manager", user="经理")
    assert added["assignOwners"]["customer"]["owners"] == [{"name": "周晓明"}, {"name": "林佳怡"}]
    assert (await edge_flags(fresh_world, "C000001", "OWNED_BY"))["林佳怡"] == (False, "经理")
    replaced = api.data(ASSIGN, {"id": "C000001", "owners": ["林佳怡"], "replace": True})
    assert replaced["assignOwners"]["customer"]["owners"] == [{"name": "林佳怡"}]
    # 林佳怡 is on no team of the manager's: the customer left the manager's scope with the change
    assert api.data('{ customer(id: "C000001") { id } }', role="manager", user="经理")["customer"] is None
    empty = api.data(ASSIGN, {"id": "C000001", "owners": []})["assignOwners"]
    assert empty["__typename"] == "ValidationError"


async def test_add_interaction_widens_contact_dates(fresh_world: Graph, api: Any) -> None:
    result = api.data(
        INTERACTION,
        {
            "id": "C000001",
            "input": {
                "interactionType": "拜访",
                "date": "2024/8/9",
                "content": "现场演示",
                "satisfaction": 5,
            },
        },
    )["addInteraction"]
    assert result["customer"] == {"id": "C000001", "lastContact": "2024-08-09", "firstContact": "2024-02-10"}
    assert result["interaction"]["date"] == "2024-08-09" and result["interaction"]["source"] == "api"
    flags = await edge_flags(fresh_world, "C000001", "HAD")
    assert flags[result["interaction"]["uid"]] == (False, "admin")
    total = api.data('{ customer(id: "C000001") { interactions(first: 1) { totalCount edges { node { date } } } } }')
    assert total["customer"]["interactions"] == {"totalCount": 6, "edges": [{"node": {"date": "2024-08-09"}}]}
    bad = api.data(INTERACTION, {"id": "C000001", "input": {"interactionType": "电话", "satisfaction": 9}})
    assert bad["addInteraction"]["fields"][0]["field"] == "satisfaction"
    denied = api.data(INTERACTION, {"id": "C000002", "input": {"interactionType": "电话"}}, role="rep", user=api.rep)
    assert denied["addInteraction"]["__typename"] == "NotFoundError"  # another rep's: as if missing


def test_add_order_counts_each_order_id_once(fresh_world: Graph, api: Any) -> None:
    variables = {"id": "C000002", "input": {"orderId": "SO-API-1", "amount": 16800, "date": "2024-09-01"}}
    first = api.data(ORDER, variables)["addOrder"]
    assert first["counted"] is True
    assert first["customer"] == {
        "id": "C000002",
        "totalAmount": 19800.0,
        "orderCount": 2,
        "lastContact": "2024-09-01",
    }
    again = api.data(ORDER, variables)["addOrder"]
    assert again["counted"] is False and again["customer"]["totalAmount"] == 19800.0
    elsewhere = api.data(ORDER, {**variables, "id": "C000003"})["addOrder"]
    assert elsewhere["__typename"] == "ValidationError" and elsewhere["fields"][0]["field"] == "orderId"
    negative = api.data(ORDER, {"id": "C000002", "input": {"amount": -1}})["addOrder"]
    assert negative["fields"][0] == {"field": "amount", "message": "amount must not be negative"}


@pytest.mark.parametrize("role", ["rep", "manager", "admin"])
def test_unknown_customer_is_not_found_for_every_role(fresh_world: Graph, api: Any, role: str) -> None:
    result = api.data(ADD_TAGS, {"id": "C424242", "tags": [{"name": "x"}]}, role=role, user=api.rep)["addTags"]
    assert result["__typename"] == "NotFoundError"


async def test_edges_people_added_survive_re_resolution(fresh_world: Graph, api: Any) -> None:
    """Re-resolution drops a customer's derived edges (profiles.drop_derived) and rebuilds them."""
    api.data(ADD_TAGS, {"id": "C000003", "tags": [{"name": "重点跟进"}]})
    api.data(ASSIGN, {"id": "C000003", "owners": ["林佳怡"]})
    await drop_derived(fresh_world, ["C000003"])
    after = api.data('{ customer(id: "C000003") { tags { key } owners { name } } }')["customer"]
    # the rules' tags (computed, not derived) stay too
    assert [t for t in after["tags"] if t["key"].startswith("custom:")] == [{"key": "custom:重点跟进"}]
    assert after["owners"] == [{"name": "林佳怡"}] and {"key": "region:华东"} in after["tags"]
