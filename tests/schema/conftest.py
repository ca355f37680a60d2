"""Fixtures for the GraphQL API tests: a seeded graph (through the graph repositories) and an HTTP client.

The world is seeded once per test module (``api_world``): most tests only read it. Tests that change
it use their own customers, or the function-scoped ``fresh_world``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from custgraph.graph.models import (
    ChannelNode,
    CompanyNode,
    CustomerNode,
    InteractionNode,
    MobileNode,
    OrderNode,
    OwnerNode,
    SourceRecordNode,
    TagNode,
)
from custgraph.graph.repositories.nodes import link, upsert_nodes
from custgraph.graph.repositories.search_index import index_customers
from custgraph.service.app import create_app
from custgraph.service.settings import Settings
from tests.credentials import SEED_TEAM, as_user, register
from tests.wipe import wipe

REP = "周晓明"  # owns C000001, C000003, C000004 (and the merged-away C000006)
OTHER_REP = "陈志强"  # owns C000002, C000005

CUSTOMERS = [
    CustomerNode(
        id="C000001",
        name="张伟",
        customer_type="person",
        lifecycle="customer",
        industry="制造业",
        region="上海市",
        city="上海市",
        mobile="+8613812345678",
        email="zhangwei@huawei.com",
        company="华为技术有限公司",
        first_contact="2024-02-10",
        last_contact="2024-05-01",
        total_amount=120000.0,
        order_count=5,
        notes="偏好线下沟通",
    ),
    CustomerNode(
        id="C000002",
        name="张玮",
        customer_type="person",
        lifecycle="prospect",
        industry="IT",
        region="广东省",
        mobile="+8613912345679",
        company="华为技术有限公司",
        first_contact="2024-07-01",
        last_contact="2024-07-20",
        total_amount=3000.0,
        order_count=1,
    ),
    CustomerNode(
        id="C000003",
        name="陈静怡",
        customer_type="person",
        lifecycle="customer",
        industry="制造业",
        region="浙江省",
        email="jingyi.chen@yongtai.com.cn",
        company="永泰软件(杭州)股份有限公司",
        first_contact="2023-11-20",
        last_contact="2024-06-15",
        total_amount=56000.0,
        order_count=3,
    ),
    CustomerNode(
        id="C000004",
        name="永泰软件(杭州)股份有限公司",
        customer_type="company",
        lifecycle="customer",
        industry="制造业",
        region="浙江省",
        company="永泰软件(杭州)股份有限公司",
        first_contact="2024-03-05",
        last_contact="2024-04-02",
        total_amount=88000.0,
        order_count=4,
    ),
    CustomerNode(
        id="C000005",
        name="李娜",
        customer_type="person",
        lifecycle="dormant",
        industry="零售",
        region="北京市",
        mobile="+8613700001234",
        first_contact="2022-05-01",
        last_contact="2023-01-09",
        total_amount=500.0,
        order_count=1,
    ),
    CustomerNode(
        id="C000006",
        name="张伟",
        customer_type="person",
        industry="制造业",
        merged_into="C000001",
        total_amount=999999.0,
        mobile="+8613812345678",
    ),
    CustomerNode(
        id="C000007",
        name="王强",
        customer_type="person",
        lifecycle="churned",
        industry="制造业",
        region="江苏省",
        total_amount=70000.0,
        order_count=2,
        first_contact="2024-01-15",
        last_contact="2024-02-01",
    ),
    *[
        CustomerNode(
            id=f"C0000{n:02d}",
            name=f"客户{n}",
            customer_type="person",
            lifecycle="prospect",
            industry="教育",
            region="四川省",
            total_amount=float(1000 * (n % 3)),
            order_count=n % 3,
        )
        for n in range(8, 13)
    ],
]
TAGS = [
    TagNode(key="value:high", name="high", dimension="value"),
    TagNode(key="value:low", name="low", dimension="value"),
    TagNode(key="custom:流失风险", name="流失风险", dimension="custom"),
    TagNode(key="custom:VIP", name="VIP", dimension="custom"),
]
TAGGED = [
    ("C000001", "value:high"),
    ("C000001", "custom:流失风险"),
    ("C000002", "value:low"),
    ("C000003", "value:high"),
    ("C000003", "custom:VIP"),
    ("C000004", "value:high"),
    ("C000004", "custom:流失风险"),
    ("C000005", "custom:流失风险"),
    ("C000006", "value:high"),
    ("C000006", "custom:流失风险"),
    ("C000007", "value:high"),
    ("C000007", "custom:流失风险"),
]
OWNED = [
    ("C000001", REP),
    ("C000003", REP),
    ("C000004", REP),
    ("C000006", REP),
    ("C000002", OTHER_REP),
    ("C000005", OTHER_REP),
]


async def seed_world(graph: Graph) -> None:
    """The shared test world; every write goes through the graph repositories."""
    await wipe(graph)
    await upsert_nodes(graph, CUSTOMERS)
    await upsert_nodes(graph, TAGS)
    await upsert_nodes(graph, [OwnerNode(name=REP, role="sales"), OwnerNode(name=OTHER_REP, role="sales")])
    await upsert_nodes(graph, [ChannelNode(name="展会"), ChannelNode(name="官网")])
    await upsert_nodes(
        graph,
        [
            CompanyNode(key="华为技术", name="华为技术有限公司"),
            CompanyNode(key="永泰软件杭州", name="永泰软件(杭州)股份有限公司"),
        ],
    )
    await link(graph, "Customer", "TAGGED", "Tag", [(c, t, {"derived": True}) for c, t in TAGGED])
    await link(graph, "Customer", "OWNED_BY", "Owner", [(c, o, {"derived": True}) for c, o in OWNED])
    await link(
        graph,
        "Customer",
        "CAME_FROM",
        "Channel",
        [("C000001", "展会", {}), ("C000003", "官网", {}), ("C000004", "展会", {})],
    )
    await link(
        graph,
        "Customer",
        "WORKS_AT",
        "Company",
        [("C000001", "华为技术", {}), ("C000002", "华为技术", {}), ("C000003", "永泰软件杭州", {})],
    )
    await link(graph, "Customer", "MERGED_INTO", "Customer", [("C000006", "C000001", {})])
    await upsert_nodes(
        graph,
        [
            InteractionNode(
                uid=f"hd|{n}",
                interaction_type="电话回访",
                interaction_date=f"2024-0{n}-01",
                content=f"第{n}次回访",
                satisfaction=float(n),
                source="interactions",
            )
            for n in range(1, 6)
        ],
    )
    await link(graph, "Customer", "HAD", "Interaction", [("C000001", f"hd|{n}", {}) for n in range(1, 6)])
    await upsert_nodes(
        graph,
        [
            OrderNode(uid="so|1", order_id="SO1", order_date="2024-03-02", amount=60000.0, product="CRM专业版"),
            OrderNode(uid="so|2", order_id="SO2", order_date="2024-04-20", amount=60000.0, product="CRM标准版"),
        ],
    )
    await link(graph, "Customer", "PLACED", "Order", [("C000001", "so|1", {}), ("C000001", "so|2", {})])
    await upsert_nodes(
        graph,
        [
            SourceRecordNode(
                uid="crm|1",
                source="crm",
                source_key="1",
                row=2,
                customer_id="C000001",
                outcome="matched",
                fields_json=json.dumps({"name": "张伟", "mobile": "+8613812345678"}),
                raw_json=json.dumps({"客户姓名": "张伟", "手机号": "138 1234 5678"}),
            ),
            SourceRecordNode(
                uid="orders|9",
                source="orders",
                source_key="9",
                customer_id="C000001",
                kind="orders",
                outcome="matched",
            ),
            SourceRecordNode(uid="web|7", source="webform", source_key="7", customer_id="C000007", outcome="new"),
        ],
    )
    await upsert_nodes(graph, [MobileNode(value="+8613812345678")])
    await link(
        graph,
        "SourceRecord",
        "HAS_MOBILE",
        "Mobile",
        [("crm|1", "+8613812345678", {"raw": "138 1234 5678"}), ("web|7", "+8613812345678", {})],
    )
    evidence = json.dumps([{"field": "mobile", "level": "exact", "weight": 9.5}])
    await link(
        graph,
        "SourceRecord",
        "RESOLVED_TO",
        "Customer",
        [
            ("crm|1", "C000001", {"score": 1.0, "rule": "new", "outcome": "new", "evidence_json": "[]"}),
            (
                "orders|9",
                "C000001",
                {
                    "score": 0.97,
                    "rule": "mobile_exact",
                    "outcome": "matched",
                    "evidence_json": evidence,
                    "matched_uid": "crm|1",
                },
            ),
            ("web|7", "C000007", {"score": 1.0, "rule": "new", "outcome": "new"}),
        ],
    )
    await index_customers(graph, [c.id for c in CUSTOMERS])
    for rep in (REP, OTHER_REP):  # the owners are users, both in the team the tests' managers lead
        await register(graph, rep, "rep", [SEED_TEAM])


class Api:
    """GraphQL over HTTP as one user with one role: the user is registered with that role and teams
    (SEED_TEAM unless given: a manager sees both seeded reps' customers) and sends a JWT naming them
    (tests/credentials.py)."""

    rep = REP
    other_rep = OTHER_REP

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        role: str = "admin",
        user: str = "admin",
        teams: tuple[str, ...] = (SEED_TEAM,),
        status: int = 200,
        extensions: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"query": query, "variables": variables}
        if extensions is not None:
            body["extensions"] = extensions
        response = self.client.post("/graphql", json=body, headers=as_user(self.client, user, role, teams))
        assert response.status_code == status, response.text
        return response.json()

    def data(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        """The data of a response that must have no errors."""
        body = self.post(query, variables, **kwargs)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def errors(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> list[dict[str, Any]]:
        """The errors of a response that must have some."""
        body = self.post(query, variables, **kwargs)
        assert body.get("errors"), body
        return body["errors"]


@pytest.fixture(scope="module")
async def api_world(graph: Graph) -> Graph:
    await seed_world(graph)
    return graph


@pytest.fixture
async def fresh_world(graph: Graph) -> Graph:
    """The world seeded anew, for tests that change it."""
    await seed_world(graph)
    return graph


@pytest.fixture(scope="module")
def client(graph: Graph) -> Iterator[TestClient]:
    with TestClient(create_app(Settings.from_env())) as c:
        yield c


@pytest.fixture(scope="module")
def api(client: TestClient) -> Api:
    return Api(client)
