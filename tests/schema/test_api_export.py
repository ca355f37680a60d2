"""GET/POST /export/customers: CSV and XLSX of a filter, masked by role, streamed and logged."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from openpyxl import load_workbook
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from custgraph.graph.models import ContactNode
from custgraph.graph.repositories.nodes import link, upsert_nodes
from tests.credentials import SEED_TEAM, as_user

CHURN = {"industry": ["制造业"], "tags": {"all": ["value:high", "custom:流失风险"]}}


def headers(client: TestClient, role: str, user: str = "u") -> dict[str, str]:
    return as_user(client, user, role, [SEED_TEAM])  # a manager leads the seeded reps' team


def rows_of(response: Any) -> list[dict[str, str]]:
    assert response.content.startswith("\ufeff".encode())  # BOM: Excel reads the CSV as UTF-8
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_manager_exports_masked_csv(api_world: Graph, client: TestClient) -> None:
    response = client.get(
        "/export/customers",
        params={
            "format": "csv",
            "filter": json.dumps(CHURN),
            "orderBy": json.dumps({"field": "TOTAL_AMOUNT", "direction": "DESC"}),
        },
        headers=headers(client, "manager"),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    log_id = response.headers["x-search-log-id"]
    assert log_id.startswith("RX") and f"customers-{log_id}.csv" in response.headers["content-disposition"]
    assert response.headers["x-total-count"] == "2"  # C000007 matches too, but nobody on the team owns it
    rows = rows_of(response)
    assert [r["客户编号"] for r in rows] == ["C000001", "C000004"]
    zhang = rows[0]
    assert (zhang["客户姓名"], zhang["手机号"], zhang["邮箱"]) == ("张*", "138****5678", "z***@huawei.com")
    assert zhang["负责人"] == "周晓明" and zhang["标签"] == "custom:流失风险、value:high"
    assert rows[1]["客户姓名"] == "永泰软件(杭州)股份有限公司"  # a company's name is not personal data


def test_admin_exports_full_values(api_world: Graph, client: TestClient) -> None:
    response = client.post(
        "/export/customers", json={"format": "csv", "filter": CHURN}, headers=headers(client, "admin")
    )
    assert response.status_code == 200
    assert rows_of(response)[0]["手机号"] == "+8613812345678"


def test_xlsx_export(api_world: Graph, client: TestClient) -> None:
    response = client.post(
        "/export/customers?format=xlsx", json={"filter": {"region": ["浙江省"]}}, headers=headers(client, "manager")
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["客户编号", "客户姓名", "客户类型"]
    assert [row[0] for row in values[1:]] == ["C000003", "C000004"]
    assert values[1][1] == "陈*"


def test_export_of_everything_pages_through_all_customers(api_world: Graph, client: TestClient) -> None:
    response = client.get("/export/customers", headers=headers(client, "admin"))
    assert len(rows_of(response)) == 11  # every customer but the merged-away one


def test_reps_may_not_export(api_world: Graph, client: TestClient) -> None:
    response = client.get("/export/customers", headers=headers(client, "rep", "rep1"))
    assert response.status_code == 403 and response.json() == {"error": "only managers and admins may export"}


def test_bad_requests(api_world: Graph, client: TestClient) -> None:
    assert client.get("/export/customers?format=pdf", headers=headers(client, "admin")).status_code == 400
    bad_filter = client.get(
        "/export/customers",
        params={"filter": '{"firstContact": {"from": "soon"}}'},
        headers=headers(client, "admin"),
    )
    assert bad_filter.status_code == 400 and "dates are YYYY-MM-DD" in bad_filter.json()["error"]
    not_json = client.get("/export/customers", params={"filter": "{"}, headers=headers(client, "admin"))
    assert not_json.status_code == 400
    anonymous = client.get("/export/customers")
    assert anonymous.status_code == 401 and "text/csv" not in anonymous.headers["content-type"]


def test_exports_are_logged(api_world: Graph, client: TestClient) -> None:
    response = client.post(
        "/export/customers",
        json={"filter": CHURN, "purpose": "流失预警报告"},
        headers=headers(client, "manager", "mgr"),
    )
    log_id = response.headers["x-search-log-id"]
    query = """{ searchLog(kind: "export", user: "mgr", first: 1) {
        edges { node { id filter resultCount purpose } } } }"""
    body = client.post("/graphql", json={"query": query}, headers=headers(client, "admin")).json()
    entry = body["data"]["searchLog"]["edges"][0]["node"]
    assert entry == {"id": log_id, "filter": CHURN, "resultCount": 2, "purpose": "流失预警报告"}


OLD_HEADER = [
    "客户编号", "客户姓名", "客户类型", "客户状态", "手机号", "邮箱", "公司名称", "所属行业", "地区", "城市",
    "首次接触时间", "最近互动时间", "交易总额", "订单数", "负责人", "标签",
]  # fmt: skip


async def test_special_needs_and_contact_people_come_last_masked_like_the_api(
    fresh_world: Graph, client: TestClient
) -> None:
    person = ContactNode(id="yt-1", name="王芳", title="采购经理", mobile="+8613900001111", email="wang.fang@yt.cn")
    await upsert_nodes(fresh_world, [person])
    await link(fresh_world, "Customer", "HAS_CONTACT", "Contact", [("C000004", "yt-1", {})])
    await fresh_world.write("MATCH (c:Customer {id: 'C000004'}) SET c.special_needs = '发票须加盖公章' RETURN c.id")
    shown = {}
    for role in ("manager", "admin"):
        response = client.post(
            "/export/customers", json={"filter": {"region": ["浙江省"]}}, headers=headers(client, role)
        )
        assert response.status_code == 200, response.text
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert header == [*OLD_HEADER, "特殊需求", "联系人"]  # appended: the old columns keep their places
        shown[role] = {r["客户编号"]: r for r in rows_of(response)}
    assert shown["manager"]["C000004"]["特殊需求"] == "发票须加盖公章"
    assert shown["manager"]["C000004"]["联系人"] == "王*(采购经理) 139****1111 w***@yt.cn"
    assert shown["admin"]["C000004"]["联系人"] == "王芳(采购经理) +8613900001111 wang.fang@yt.cn"
    assert shown["manager"]["C000003"]["联系人"] == "" and shown["manager"]["C000003"]["特殊需求"] == ""
