"""No N+1: a page of customers with their edges costs the same number of graph round trips
whatever its size: every edge the query selects of the page comes in one statement for the whole page
(resolvers/customers.py ``prefetch``), and what it does not cover (related customers) in one UNWIND
query per kind per request (DataLoaders)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from custgraph.graph.models import CompanyNode, CustomerNode, InteractionNode, OwnerNode, TagNode
from custgraph.graph.repositories.customer_list import forget_tag_degrees
from custgraph.graph.repositories.nodes import link, upsert_nodes
from tests.wipe import wipe

PAGE = """
query Page($first: Int!) {
  customers(filter: {tags: {all: ["batch:yes"]}}, first: $first) {
    totalCount
    edges { node { id name tags { key } owners { name } company { name } } }
  }
}
"""

DEEP = """
query Deep($first: Int!) {
  customers(filter: {tags: {all: ["batch:yes"]}}, first: $first) {
    edges { node {
      id channels { name } contacts { kind value } sourceRecords { uid }
      interactions(first: 2) { totalCount edges { node { date } } }
      orders(first: 2) { totalCount }
      relatedCustomers { customer { id tags { key } } reasons { kind } }
    } }
  }
}
"""


async def seed(graph: Graph, count: int) -> None:
    await wipe(graph)
    ids = [f"C{n:06d}" for n in range(1, count + 1)]
    await upsert_nodes(graph, [CustomerNode(id=cid, name=f"客户{cid}", customer_type="person") for cid in ids])
    await upsert_nodes(
        graph,
        [
            TagNode(key="batch:yes", name="yes", dimension="batch"),
            TagNode(key="value:high", name="high", dimension="value"),
        ],
    )
    await upsert_nodes(graph, [OwnerNode(name="周晓明"), OwnerNode(name="陈志强")])
    await upsert_nodes(graph, [CompanyNode(key=f"公司{n % 7}", name=f"公司{n % 7}有限公司") for n in range(7)])
    await link(graph, "Customer", "TAGGED", "Tag", [(cid, t, {}) for cid in ids for t in ("batch:yes", "value:high")])
    await link(
        graph,
        "Customer",
        "OWNED_BY",
        "Owner",
        [(cid, ("周晓明", "陈志强")[i % 2], {}) for i, cid in enumerate(ids)],
    )
    await link(graph, "Customer", "WORKS_AT", "Company", [(cid, f"公司{i % 7}", {}) for i, cid in enumerate(ids)])
    await upsert_nodes(
        graph,
        [InteractionNode(uid=f"i|{cid}|{d}", interaction_date=f"2024-0{d}-01") for cid in ids for d in (1, 2, 3)],
    )
    await link(graph, "Customer", "HAD", "Interaction", [(cid, f"i|{cid}|{d}", {}) for cid in ids for d in (1, 2, 3)])


def round_trips(client: TestClient, query: str, first: int) -> tuple[int, dict[str, Any]]:
    graph: Graph = client.app.state.graph  # type: ignore[attr-defined]
    forget_tag_degrees()  # so that the anchor-tag look-up is counted every time
    before = graph.reads_run  # reads: the search-log and audit entries are written apart, grouped
    body = client.post("/graphql", json={"query": query, "variables": {"first": first}}).json()
    assert "errors" not in body, body
    return graph.reads_run - before, body["data"]


@pytest.mark.parametrize("query", [PAGE, DEEP], ids=["tags-owners-company", "every-edge"])
async def test_round_trips_do_not_grow_with_the_page(graph: Graph, app_client: TestClient, query: str) -> None:
    counts = {}
    for size in (10, 50):
        await seed(graph, size)
        counts[size], found = round_trips(app_client, query, size)
        assert len(found["customers"]["edges"]) == size
    assert counts[10] == counts[50], counts
    # the anchor-tag look-up, the page with its total, then one statement for every edge of the page
    # (DEEP: and 2 for related customers, then those customers and their tags)
    assert counts[50] == (3 if query is PAGE else 3 + 2 + 2), counts


async def test_loaded_edges_are_right_for_every_customer(graph: Graph, app_client: TestClient) -> None:
    await seed(graph, 12)
    _, found = round_trips(app_client, PAGE, 12)
    for index, edge in enumerate(found["customers"]["edges"]):
        node = edge["node"]
        assert node["tags"] == [{"key": "batch:yes"}, {"key": "value:high"}]
        assert node["owners"] == [{"name": ("周晓明", "陈志强")[index % 2]}]
        assert node["company"] == {"name": f"公司{index % 7}有限公司"}


VIEW = """
query View($id: ID!) {
  customer(id: $id) {
    id name company { name } owners { name } channels { name } tags { key } contacts { kind value }
    sourceRecords { uid } interactions(first: 2) { totalCount edges { cursor node { date } } }
    orders(first: 5) { totalCount }
  }
}
"""


async def test_the_360_view_is_one_round_trip(graph: Graph, app_client: TestClient) -> None:
    await seed(graph, 3)
    client = app_client
    before = client.app.state.graph.reads_run  # type: ignore[attr-defined]
    body = client.post("/graphql", json={"query": VIEW, "variables": {"id": "C000002"}}).json()
    assert "errors" not in body, body
    assert client.app.state.graph.reads_run - before == 1  # type: ignore[attr-defined]
    node = body["data"]["customer"]
    assert node["tags"] == [{"key": "batch:yes"}, {"key": "value:high"}]
    assert node["owners"] == [{"name": "陈志强"}]
    assert node["company"] == {"name": "公司1有限公司"}
    assert node["interactions"]["totalCount"] == 3
    assert [e["node"]["date"] for e in node["interactions"]["edges"]] == ["2024-03-01", "2024-02-01"]
    assert node["orders"] == {"totalCount": 0}
