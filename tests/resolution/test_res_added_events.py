"""Orders and interactions added over the API survive re-resolution, with the totals they add.

Each test adds them through the GraphQL mutations to an imported customer, then re-resolves it the
ways the graph does: a matcher merge, a steward merge and its split, a re-import of a changed row.
"""

from __future__ import annotations

from typing import Any

from custgraph.graph.connection import Graph
from custgraph.resolution.merge import merge_customers
from custgraph.resolution.split import split_customer

ORDER = """
mutation Buy($id: ID!, $input: OrderInput!) {
  addOrder(customerId: $id, input: $input) { __typename ... on OrderPayload { counted customer { id totalAmount } } }
}
"""
VISIT = """
mutation Visit($id: ID!, $input: InteractionInput!) {
  addInteraction(customerId: $id, input: $input) { __typename ... on InteractionPayload { customer { id } } }
}
"""
VIEW = """
query One($id: ID!) { customer(id: $id) {
  id totalAmount orderCount firstContact lastContact
  orders(first: 50) { totalCount edges { node { orderId amount source } } }
  interactions(first: 50) { totalCount edges { node { interactionType date source } } }
} }
"""

MOBILE = {"编号": "1", "姓名": "张伟", "手机": "13812345678", "城市": "深圳", "累计消费": "1000"}
EMAIL_ONLY = {"编号": "2", "邮箱": "zhangwei@qq.com", "城市": "深圳"}
BOTH = {"编号": "3", "姓名": "张伟", "手机": "13812345678", "邮箱": "zhangwei@qq.com", "城市": "深圳"}


async def _view(gql: Any, customer_id: str) -> dict[str, Any]:
    return (await gql(VIEW, id=customer_id))["customer"]


def _orders(view: dict[str, Any]) -> set[tuple[str | None, float | None]]:
    return {(e["node"]["orderId"], e["node"]["amount"]) for e in view["orders"]["edges"]}


async def _add(gql: Any, customer_id: str, order_id: str, amount: float, day: str) -> None:
    variables = {"orderId": order_id, "amount": amount, "date": day}
    bought = (await gql(ORDER, id=customer_id, input=variables))["addOrder"]
    assert bought["__typename"] == "OrderPayload" and bought["counted"] is True


async def test_res_added_orders_survive_a_changed_row(clean_graph: Graph, importer: Any, gql: Any) -> None:
    await importer([MOBILE])
    await _add(gql, "C000001", "SO-1", 500, "2024-09-01")
    visit = {"interactionType": "拜访", "date": "2024-10-02"}
    assert (await gql(VISIT, id="C000001", input=visit))["addInteraction"]["__typename"] == "InteractionPayload"
    before = await _view(gql, "C000001")
    assert (before["totalAmount"], before["orderCount"], before["lastContact"]) == (1500.0, 1, "2024-10-02")
    # the row changes: the customer is re-resolved and its profile recomputed from its records
    await importer([{**MOBILE, "城市": "广州", "累计消费": "2000"}])
    after = await _view(gql, "C000001")
    assert (after["totalAmount"], after["orderCount"]) == (2500.0, 1)
    assert _orders(after) == {("SO-1", 500.0)}
    assert after["interactions"]["totalCount"] == 1 and after["lastContact"] == "2024-10-02"


async def test_res_added_orders_follow_a_matcher_merge(clean_graph: Graph, importer: Any, gql: Any) -> None:
    await importer([MOBILE])
    await importer([EMAIL_ONLY])
    await _add(gql, "C000001", "SO-1", 500, "2024-09-01")
    await _add(gql, "C000002", "SO-2", 300, "2024-09-03")
    assert (await _view(gql, "C000002"))["totalAmount"] == 300.0
    await importer([BOTH])  # carries both identifiers: C000002 is merged into C000001
    merged = await clean_graph.read("MATCH (a)-[:MERGED_INTO]->(b) RETURN a.id AS a, b.id AS b")
    assert merged == [{"a": "C000002", "b": "C000001"}]
    survivor = await _view(gql, "C000001")
    assert _orders(survivor) == {("SO-1", 500.0), ("SO-2", 300.0)}
    assert (survivor["totalAmount"], survivor["orderCount"]) == (1800.0, 2)
    assert survivor["firstContact"] == "2024-09-01" and survivor["lastContact"] == "2024-09-03"


async def test_res_added_orders_follow_a_merge_and_its_split(
    clean_graph: Graph, importer: Any, gql: Any, rules: Any
) -> None:
    await importer([MOBILE])
    await importer([{"编号": "9", "姓名": "李娜", "邮箱": "lina@qq.com", "城市": "北京"}])
    await _add(gql, "C000001", "SO-1", 500, "2024-09-01")
    await _add(gql, "C000002", "SO-2", 300, "2024-09-03")
    visit = {"interactionType": "电话", "date": "2024-09-05"}
    await gql(VISIT, id="C000002", input=visit)
    await merge_customers(clean_graph, "C000001", "C000002", by="steward", rules=rules)
    merged = await _view(gql, "C000001")
    assert _orders(merged) == {("SO-1", 500.0), ("SO-2", 300.0)} and merged["interactions"]["totalCount"] == 1
    assert (merged["totalAmount"], merged["orderCount"]) == (1800.0, 2)
    # an order added after the merge belongs to the survivor and stays there after the split
    await _add(gql, "C000001", "SO-3", 200, "2024-09-10")
    await split_customer(clean_graph, "C000001", by="steward", rules=rules)
    kept, revived = await _view(gql, "C000001"), await _view(gql, "C000002")
    assert _orders(kept) == {("SO-1", 500.0), ("SO-3", 200.0)}
    assert (kept["totalAmount"], kept["orderCount"]) == (1700.0, 2)
    assert kept["interactions"]["totalCount"] == 0
    assert _orders(revived) == {("SO-2", 300.0)} and revived["interactions"]["totalCount"] == 1
    assert (revived["totalAmount"], revived["orderCount"], revived["lastContact"]) == (300.0, 1, "2024-09-05")
    moved = await clean_graph.read(
        "MATCH (:Customer {id: 'C000002'})-[r:PLACED]->(o:Order) RETURN r.moved_path AS path, r.derived AS derived"
    )
    assert moved == [{"path": None, "derived": False}]
