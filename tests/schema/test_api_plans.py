"""The API's hot statements start from an index, never from every node of a label (EXPLAIN on the server).

benchmarks/api_profile.py PROFILEs the same statements on a 100k-customer graph, with their times.
"""

from __future__ import annotations

from typing import Any

import pytest

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import customer_edges, customer_list, search_index
from custgraph.graph.repositories.customer_filter import CustomerFilter, CustomerOrder, SortField, TagCondition, build
from custgraph.graph.repositories.scope import EVERYTHING, Scope

LABEL_SCAN = "NodeByLabelScan"
THREE_TAGS = CustomerFilter(tags=TagCondition(all=["value:high", "custom:流失风险", "custom:VIP"]))


def _plan_text(plan: dict[str, Any]) -> str:
    """ArcadeDB returns its plan as text; Neo4j as an operator tree."""
    text = plan.get("args", {}).get("string-representation")
    if text:
        return str(text)
    return " ".join([str(plan.get("operatorType")), *(_plan_text(child) for child in plan.get("children", []))])


async def explain(graph: Graph, query: str, params: dict[str, Any]) -> str:
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run(f"EXPLAIN {query}", params)
        summary = await result.consume()
    return _plan_text(summary.plan or {})


def _three_tag_page() -> tuple[str, dict[str, Any]]:
    clause = build(THREE_TAGS, anchor_tag="custom:VIP", tag_sizes={"custom:流失风险": 2, "value:high": 3})
    query, params = customer_list._sorted(clause, CustomerOrder(field=SortField.TOTAL_AMOUNT, descending=True), 20)
    return query + "WITH c, sk ORDER BY sk DESC WITH collect({c: c, sk: sk}) AS rows RETURN size(rows) AS n", params


def _view() -> tuple[str, dict[str, Any]]:
    specs = [customer_edges.PageSpec(kind="interactions", limit=5), customer_edges.PageSpec(kind="orders", limit=5)]
    query = customer_edges.view_query(frozenset(customer_edges.VIEW_LISTS), specs, EVERYTHING)
    return query, {"ids": ["C000001"], **customer_edges._view_params(specs)}


REP = Scope("rep", "周晓明")
MANAGER = Scope("manager", "李经理", ("east",))


def _scoped_page(scope: Scope, flt: CustomerFilter) -> tuple[str, dict[str, Any]]:
    """A rep's or a manager's list: it starts at their (team's) Owner nodes, never at every customer."""
    query, params = customer_list._sorted(build(flt, scope=scope), CustomerOrder(), 20)
    return query + "WITH c, sk ORDER BY sk WITH collect({c: c, sk: sk}) AS rows RETURN size(rows) AS n", params


def _scoped_view(scope: Scope) -> tuple[str, dict[str, Any]]:
    query = customer_edges.view_query(frozenset(customer_edges.VIEW_LISTS), [], scope)
    return query, {"ids": ["C000001"], **scope.params()}


HOT: dict[str, Any] = {
    "360° view": _view,
    "three-tag filter": _three_tag_page,
    "tag sizes": lambda: (customer_list.TAG_DEGREES, {"keys": ["value:high"]}),
    "keyword search": lambda: (search_index.CANDIDATES, {"keys": ["n:张伟", "py:zhangwei"], "limit": 200, "cap": 10}),
    "every live customer: all": lambda: (customer_list.COUNT_ALL, {}),
    "every live customer: merged away": lambda: (customer_list.COUNT_MERGED, {}),
    "a rep's list": lambda: _scoped_page(REP, CustomerFilter()),
    "a manager's list": lambda: _scoped_page(MANAGER, CustomerFilter()),
    "a manager's list by tag": lambda: _scoped_page(MANAGER, CustomerFilter(tags=TagCondition(all=["custom:VIP"]))),
    "a rep's 360° view": lambda: _scoped_view(REP),
    "a manager's 360° view": lambda: _scoped_view(MANAGER),
    "a rep's keyword search": lambda: (
        search_index.SCOPED_CANDIDATES.format(scope=REP.predicate("c")),
        {"keys": ["n:张伟", "py:zhangwei"], "limit": 200, "cap": 10, **REP.params()},
    ),
}


@pytest.mark.parametrize("name", list(HOT))
async def test_hot_statements_use_an_index(api_world: Graph, name: str) -> None:
    query, params = HOT[name]()
    plan = await explain(api_world, query, params)
    if name == "every live customer: all":  # read from the label's count (ArcadeDB, Neo4j), never scanned
        assert "TYPE COUNT OPTIMIZATION" in plan or "NodeCountFromCountStore" in plan, plan
        return
    assert LABEL_SCAN not in plan, plan
