"""What a person set on a customer by hand follows it through a merge and comes back when it is undone.

Against the real graph, through the GraphQL mutations people use (addTags, removeTags, assignOwners)
and the 360° view: a steward merge, its split, a review decision and its undo, a matcher merge, and the
conflicts (the same tag on both sides, a tag against a removal, an exclusive dimension). The planning
rules (custgraph/pipeline/carry.py) are also checked without a server.
"""

from __future__ import annotations

import json
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.pipeline.carry import carry, changes, give_back
from custgraph.resolution.merge import merge_customers
from custgraph.resolution.split import split_customer

TAG = """
mutation Tag($id: ID!, $tags: [TagInput!]!) { addTags(customerId: $id, tags: $tags) { __typename } }
"""
UNTAG = "mutation Untag($id: ID!, $keys: [String!]!) { removeTags(customerId: $id, keys: $keys) { __typename } }"
OWN = """
mutation Own($id: ID!, $owners: [String!]!) { assignOwners(customerId: $id, owners: $owners) { __typename } }
"""
VIEW = "query One($id: ID!) { customer(id: $id) { id tags { key } owners { name } } }"
DECIDE = """
mutation Decide($key: ID!) {
  decideReview(key: $key, decision: MERGE) { __typename ... on DecideReviewPayload { change { kind } } }
}
"""
UNDO = "mutation Undo($key: ID!) { undoReviewDecision(key: $key) { __typename } }"

ZHANG = {"编号": "1", "姓名": "张伟", "手机": "13812345678", "城市": "深圳"}
# the absorbed one's record names 高价值 (value:high), which a person removes from it
LI = {"编号": "9", "姓名": "李娜", "邮箱": "lina@qq.com", "城市": "北京", "标签": "高价值"}
EXPO = "custom:展会客户"


async def _ok(gql: Any, query: str, **variables: Any) -> None:
    data = await gql(query, **variables)
    (payload,) = data.values()
    assert payload["__typename"] in ("CustomerPayload", "DecideReviewPayload"), payload


async def _view(gql: Any, customer_id: str) -> tuple[set[str], set[str]]:
    """(tag keys, owner names) the 360° view shows."""
    customer = (await gql(VIEW, id=customer_id))["customer"]
    return {t["key"] for t in customer["tags"]}, {o["name"] for o in customer["owners"]}


async def _edges(graph: Graph, customer_id: str, rel: str) -> dict[str, dict[str, Any]]:
    """The person-made edges of a type on a customer (merged away or not): node key -> edge props."""
    rows = await graph.read(
        f"MATCH (:Customer {{id: $id}})-[r:{rel}]->(x) WHERE coalesce(r.derived, false) = false "
        "AND coalesce(r.computed, false) = false RETURN coalesce(x.key, x.name) AS k, properties(r) AS p",
        id=customer_id,
    )
    return {r["k"]: r["p"] for r in rows}


async def _set_at(graph: Graph, customer_id: str, rel: str, key: str, at: str) -> None:
    """Date a person's act: ``at`` has one-second resolution, too coarse to order acts a test makes."""
    await graph.write(
        f"MATCH (:Customer {{id: $id}})-[r:{rel}]->(t:Tag {{key: $key}}) SET r.at = $at RETURN count(r) AS n",
        id=customer_id,
        key=key,
        at=at,
    )


async def test_res_a_steward_merge_carries_tags_removals_and_owners_and_the_split_returns_them(
    clean_graph: Graph, importer: Any, gql: Any, rules: Any
) -> None:
    await importer([ZHANG])
    await importer([LI])
    assert "value:high" in (await _view(gql, "C000002"))[0]  # from its record
    await _ok(gql, TAG, id="C000001", tags=[{"name": "老客户"}])
    await _ok(gql, TAG, id="C000002", tags=[{"name": "展会客户"}])
    await _ok(gql, UNTAG, id="C000002", keys=["value:high"])
    await _ok(gql, OWN, id="C000002", owners=["王芳"])
    await _ok(gql, OWN, id="C000001", owners=["陈志强"])

    await merge_customers(clean_graph, "C000001", "C000002", by="steward", rules=rules)
    tags, owners = await _view(gql, "C000001")
    assert {EXPO, "custom:老客户"} <= tags and owners == {"王芳", "陈志强"}
    # the absorbed record still names 高价值: the person's removal keeps it off the survivor too
    assert "value:high" not in tags
    untagged = await _edges(clean_graph, "C000001", "UNTAGGED")
    assert untagged["value:high"]["moved_path"] == ["C000002"] and untagged["value:high"]["by"] == "alice"
    assert (await _edges(clean_graph, "C000001", "TAGGED"))[EXPO]["moved_path"] == ["C000002"]
    assert await _edges(clean_graph, "C000002", "TAGGED") == {}  # nothing left on the pointer

    await _ok(gql, OWN, id="C000001", owners=["赵磊"])  # set after the merge: the survivor's
    await split_customer(clean_graph, "C000001", by="steward", rules=rules)
    kept_tags, kept_owners = await _view(gql, "C000001")
    back_tags, back_owners = await _view(gql, "C000002")
    assert EXPO not in kept_tags and "custom:老客户" in kept_tags and kept_owners == {"陈志强", "赵磊"}
    assert EXPO in back_tags and "value:high" not in back_tags and back_owners == {"王芳"}
    assert "moved_path" not in (await _edges(clean_graph, "C000002", "TAGGED"))[EXPO]
    assert set(await _edges(clean_graph, "C000002", "UNTAGGED")) == {"value:high"}
    assert await _edges(clean_graph, "C000001", "UNTAGGED") == {}


async def test_res_an_undone_review_merge_gives_the_tags_back(
    clean_graph: Graph, importer: Any, gql: Any, customer_of: Any
) -> None:
    # same pinyin, nothing else: a review pair
    await importer([{"编号": "1", "姓名": "张伟", "手机": "13812345678"}, {"编号": "2", "姓名": "张玮"}])
    placed = await customer_of()
    survivor, absorbed = sorted((placed["crm|1"], placed["crm|2"]))
    await _ok(gql, TAG, id=absorbed, tags=[{"name": "展会客户"}])
    await _ok(gql, OWN, id=absorbed, owners=["王芳"])
    await _ok(gql, DECIDE, key="crm|1||crm|2")
    tags, owners = await _view(gql, survivor)
    assert EXPO in tags and "王芳" in owners

    await _ok(gql, UNDO, key="crm|1||crm|2")
    tags, owners = await _view(gql, survivor)
    assert EXPO not in tags and "王芳" not in owners
    tags, owners = await _view(gql, absorbed)
    assert EXPO in tags and owners == {"王芳"}


async def test_res_conflicts_keep_the_later_act_and_the_split_restores_the_loser(
    clean_graph: Graph, importer: Any, gql: Any, rules: Any
) -> None:
    await importer([ZHANG])
    await importer([{k: v for k, v in LI.items() if k != "标签"}])
    # the same tag on both sides; a tag (later) against a removal; two tiers of exclusive value
    for cid in ("C000001", "C000002"):
        await _ok(gql, TAG, id=cid, tags=[{"name": "老客户"}, {"name": "展会客户"}])
    await _ok(gql, UNTAG, id="C000001", keys=[EXPO])
    await _set_at(clean_graph, "C000001", "UNTAGGED", EXPO, "2024-01-01T00:00:00+00:00")
    await _set_at(clean_graph, "C000002", "TAGGED", EXPO, "2024-02-01T00:00:00+00:00")
    await _ok(gql, TAG, id="C000001", tags=[{"name": "medium", "dimension": "value"}])
    await _ok(gql, TAG, id="C000002", tags=[{"name": "low", "dimension": "value"}])
    await _set_at(clean_graph, "C000001", "TAGGED", "value:medium", "2024-03-01T00:00:00+00:00")
    await _set_at(clean_graph, "C000002", "TAGGED", "value:low", "2024-04-01T00:00:00+00:00")

    await merge_customers(clean_graph, "C000001", "C000002", by="steward", rules=rules)
    tags = (await _view(gql, "C000001"))[0]
    assert {EXPO, "custom:老客户", "value:low"} <= tags and "value:medium" not in tags
    survivor = await _edges(clean_graph, "C000001", "TAGGED")
    assert "moved_path" not in survivor["custom:老客户"]  # one edge: the survivor's own
    displaced = json.loads(survivor["value:low"]["displaced_json"])
    assert [[d["target"] for d in level] for level in displaced] == [["value:medium"]]
    assert await _edges(clean_graph, "C000001", "UNTAGGED") == {}
    assert set(await _edges(clean_graph, "C000002", "TAGGED")) == {"custom:老客户"}  # stays on the pointer

    await split_customer(clean_graph, "C000001", by="steward", rules=rules)
    kept, back = (await _view(gql, "C000001"))[0], (await _view(gql, "C000002"))[0]
    assert "value:medium" in kept and "value:low" not in kept and EXPO not in kept
    assert set(await _edges(clean_graph, "C000001", "UNTAGGED")) == {EXPO}
    assert {"value:low", EXPO, "custom:老客户"} <= back and "value:medium" not in back


async def test_res_a_matcher_merge_carries_what_people_set(clean_graph: Graph, importer: Any, gql: Any) -> None:
    await importer([ZHANG])
    await importer([{"编号": "2", "邮箱": "zhangwei@qq.com", "城市": "深圳"}])
    await _ok(gql, TAG, id="C000002", tags=[{"name": "展会客户"}])
    await _ok(gql, OWN, id="C000002", owners=["王芳"])
    await importer([{**ZHANG, "编号": "3", "邮箱": "zhangwei@qq.com"}])  # both identifiers: one customer
    merged = await clean_graph.read("MATCH (a)-[:MERGED_INTO]->(b) RETURN a.id AS a, b.id AS b")
    assert merged == [{"a": "C000002", "b": "C000001"}]
    tags, owners = await _view(gql, "C000001")
    assert EXPO in tags and "王芳" in owners


# --- the planning rules, without a server --------------------------------------------------------


def _tag(at: str, **more: Any) -> dict[str, Any]:
    return {"derived": False, "by": "p", "at": at, **more}


def _exclusive(dimension: str) -> bool:
    return dimension == "value"


def test_carry_keeps_the_later_act_and_give_back_undoes_nested_displacements() -> None:
    before = {
        "S": {("UNTAGGED", "custom:a"): _tag("1"), ("TAGGED", "value:high"): _tag("1")},
        "A1": {("TAGGED", "custom:a"): _tag("2"), ("OWNED_BY", "王芳"): _tag("1")},
        "A2": {("UNTAGGED", "custom:a"): _tag("3"), ("TAGGED", "value:low"): _tag("0")},
    }
    after = carry(before, [("S", "A1"), ("S", "A2")], _exclusive)
    s = after["S"]
    # A1's tag beat S's older removal, then A2's later removal beat A1's tag; S's value:high is newer
    assert set(s) == {("UNTAGGED", "custom:a"), ("TAGGED", "value:high"), ("OWNED_BY", "王芳")}
    assert s[("UNTAGGED", "custom:a")]["moved_path"] == ["A2"]
    assert s[("OWNED_BY", "王芳")]["moved_path"] == ["A1"]
    assert after["A2"] == {("TAGGED", "value:low"): _tag("0")} and after["A1"] == {}

    only_a2 = give_back(after, "S", ["A2"])  # undoing the last merge: as after the first one
    assert only_a2 == carry(before, [("S", "A1")], _exclusive)
    both = give_back(after, "S", ["A1", "A2"])  # a split of both: everything where it was
    assert both == before
    drop, put = changes(before, after)
    assert ("A1", "TAGGED", "custom:a") in drop and ("S", "UNTAGGED", "custom:a") in drop
    assert {(e.customer, e.rel, e.target) for e in put} == {("S", "UNTAGGED", "custom:a"), ("S", "OWNED_BY", "王芳")}


def test_carry_ties_keep_the_survivors_and_a_chain_stacks_the_path() -> None:
    before = {
        "S": {("TAGGED", "value:high"): _tag("5")},
        "B": {("TAGGED", "value:low"): _tag("5"), ("CAME_FROM", "展会"): _tag("1")},
        "A": {("PLACED", "SO-1"): {"derived": False, "at": "1"}},
    }
    after = carry(before, [("B", "A"), ("S", "B")], _exclusive)
    assert after["B"] == {("TAGGED", "value:low"): _tag("5")}  # a tie: the survivor's tier stays
    assert after["S"][("PLACED", "SO-1")]["moved_path"] == ["A", "B"]
    assert after["S"][("CAME_FROM", "展会")]["moved_path"] == ["B"]
    assert give_back(give_back(after, "S", ["B"]), "B", ["A"]) == before
