"""createCustomer goes through the import path: matched first, so it never duplicates a customer."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custgraph import customer_ids
from custgraph.graph.connection import Graph
from custgraph.resolution.split import split_records

CREATE = """
mutation Create($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    __typename
    ... on CustomerPayload { outcome customer { id name mobile email owners { name } sourceRecords { source } } }
    ... on ValidationError { fields { field message } }
    ... on PermissionDenied { message }
  }
}
"""

ZHANG = {"编号": "1", "姓名": "张伟", "手机": "13812345678", "城市": "深圳", "负责人": "周晓明"}


async def _customers(graph: Graph) -> list[str]:
    rows = await graph.read("MATCH (c:Customer) WHERE c.merged_into IS NULL RETURN c.id AS id ORDER BY id")
    return [r["id"] for r in rows]


async def test_res_create_with_an_existing_customers_details_returns_it(
    clean_graph: Graph, importer: Any, gql: Any
) -> None:
    await importer([ZHANG])
    assert await _customers(clean_graph) == ["C000001"]
    made = await gql(CREATE, input={"name": "张伟", "mobile": "138 1234 5678", "email": "zw@example.com"})
    result = made["createCustomer"]
    assert result["__typename"] == "CustomerPayload" and result["outcome"] == "matched"
    customer = result["customer"]
    assert customer["id"] == "C000001" and customer["email"] == "zw@example.com"  # the record joined it
    assert sorted(r["source"] for r in customer["sourceRecords"]) == ["api", "crm"]
    assert await _customers(clean_graph) == ["C000001"]  # no duplicate
    # its owning rep gets the same answer; another rep is refused and shown nothing of it
    mine = await gql(CREATE, input={"name": "张伟", "mobile": "13812345678"}, user="周晓明", role="rep")
    assert mine["createCustomer"]["customer"]["id"] == "C000001"
    theirs = await gql(CREATE, input={"name": "张伟", "mobile": "13812345678"}, user="陈志强", role="rep")
    assert theirs["createCustomer"]["__typename"] == "PermissionDenied"
    audit = await clean_graph.read(
        "MATCH (e:AuditEvent {action: 'create'}) RETURN e.user AS user, e.target AS target ORDER BY e.at"
    )
    assert [(e["user"], e["target"]) for e in audit] == [
        ("alice", "C000001"),
        ("周晓明", "C000001"),
        ("陈志强", "C000001"),
    ]
    owners = await clean_graph.read("MATCH (:Customer {id: 'C000001'})-[:OWNED_BY]->(o) RETURN o.name AS name")
    assert owners == [{"name": "周晓明"}]
    assert await _customers(clean_graph) == ["C000001"]


async def test_res_create_a_new_customer(clean_graph: Graph, importer: Any, gql: Any) -> None:
    await importer([ZHANG])
    made = (await gql(CREATE, input={"name": "李娜", "mobile": "13912345678", "owners": ["王芳"]}))["createCustomer"]
    assert made["outcome"] == "created"
    customer = made["customer"]
    assert (customer["id"], customer["name"], customer["mobile"]) == ("C000002", "李娜", "+8613912345678")
    assert customer["owners"] == [{"name": "王芳"}]
    assert [r["source"] for r in customer["sourceRecords"]] == ["api"]
    # the same request again is the same record: still one customer
    again = (await gql(CREATE, input={"name": "李娜", "mobile": "13912345678", "owners": ["王芳"]}))["createCustomer"]
    assert again["customer"]["id"] == "C000002"
    assert await _customers(clean_graph) == ["C000001", "C000002"]
    # an import of the same person later lands on the customer the API made
    await importer([{"编号": "7", "姓名": "李娜", "手机": "13912345678"}], source="shop")
    assert await _customers(clean_graph) == ["C000001", "C000002"]


async def test_res_ids_in_the_industry_year_format(
    clean_graph: Graph, importer: Any, gql: Any, rules: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUSTGRAPH_CUSTOMER_ID_FORMAT", "{industry}{year}{seq:03}")
    customer_ids.configured.cache_clear()  # read once per process: this test starts another "process"
    try:
        year = datetime.now(ZoneInfo("Asia/Shanghai")).year
        await importer(
            [{**ZHANG, "行业": "教育"}, {"编号": "2", "姓名": "李娜", "手机": "13912345678", "行业": "制造业"}]
        )
        assert await _customers(clean_graph) == [f"ED{year}001", f"MF{year}001"]
        made = await gql(CREATE, input={"name": "王强", "mobile": "13712345678", "industry": "教育"})
        assert made["createCustomer"]["customer"]["id"] == f"ED{year}002"
        unknown = (await gql(CREATE, input={"name": "赵敏", "mobile": "13612345678"}))["createCustomer"]
        assert unknown["customer"]["id"] == f"OT{year}001"
        # a split's new customer takes the industry of the customer it came from
        await importer([{**ZHANG, "编号": "3", "行业": "教育", "邮箱": "zw@example.com"}])
        change = await split_records(clean_graph, f"ED{year}001", ["crm|3"], by="steward", rules=rules)
        assert change.customers == [f"ED{year}001", f"ED{year}003"]
    finally:
        monkeypatch.undo()
        customer_ids.configured.cache_clear()
