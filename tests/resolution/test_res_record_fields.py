"""Special needs beside the notes, and the contact people of a company customer, imported and served."""

from __future__ import annotations

import json
from typing import Any

from custgraph.graph.connection import Graph

VIEW = """
query One($id: ID!) { customer(id: $id) {
  id name customerType notes specialNeeds
  contactPeople { name title mobile email }
} }
"""
UPDATE = """
mutation Update($id: ID!, $input: UpdateCustomerInput!) {
  updateCustomer(id: $id, input: $input) {
    __typename ... on CustomerPayload { customer { specialNeeds notes } }
    ... on ValidationError { fields { field message } }
  }
}
"""


async def test_res_special_needs_is_a_field_of_its_own(clean_graph: Graph, importer: Any, gql: Any) -> None:
    summary = await importer(
        [
            {"编号": "1", "姓名": "张伟", "手机": "13812345678", "备注": "老客户", "特殊需求": "需要无障碍通道"},
            {"编号": "2", "姓名": "李娜", "手机": "13912345678", "特殊需求": "长" * 501},
            {"编号": "3", "姓名": "王强", "手机": "13712345678", "特殊需求": "长" * 500},
        ]
    )
    assert summary.rows == 3 and summary.rejected == 0  # the good rows land; so does row 2, without it
    zhang = (await gql(VIEW, id="C000001"))["customer"]
    assert (zhang["notes"], zhang["specialNeeds"]) == ("老客户", "需要无障碍通道")
    li, wang = (await gql(VIEW, id="C000002"))["customer"], (await gql(VIEW, id="C000003"))["customer"]
    assert li["name"] == "李娜" and li["specialNeeds"] is None
    assert wang["specialNeeds"] == "长" * 500
    report = json.loads(summary.report_json.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    [issue] = [i for i in report["issues"] if i["field"] == "special_needs"]
    assert (issue["row"], issue["severity"]) == (3, "error")  # the file's line: the header is line 1
    assert issue["reason"] == "longer than 500 characters (501): not stored"
    # set by hand, it wins over the records (manual_json) and is bounded the same way
    updated = (await gql(UPDATE, id="C000001", input={"specialNeeds": "上午拜访"}))["updateCustomer"]
    assert updated["customer"] == {"specialNeeds": "上午拜访", "notes": "老客户"}
    refused = (await gql(UPDATE, id="C000001", input={"specialNeeds": "长" * 501}))["updateCustomer"]
    assert refused["__typename"] == "ValidationError" and refused["fields"][0]["field"] == "specialNeeds"


COMPANY = {
    "客户编号": "K1",
    "客户名称": "永泰软件股份有限公司",
    "客户类型": "企业",
    "统一社会信用代码": "91330100MA27XXXX1L",
    "负责人": "周晓明",
    "联系人": "陈静怡",
    "联系人职位": "采购经理",
    "联系人电话": "13812345678",
    "联系人邮箱": "jingyi.chen@yongtai.com.cn",
}


async def test_res_contact_people_of_a_company(clean_graph: Graph, importer: Any, gql: Any) -> None:
    await importer([COMPANY])
    # a later export of the same company names a second contact
    second = {
        "客户编号": "K2",
        "联系人": "刘洋",
        "联系人职位": "IT 主管",
        "联系人电话": "13912345678",
        "联系人邮箱": "",
    }
    await importer([{**COMPANY, **second}], source="erp")
    company = (await gql(VIEW, id="C000001"))["customer"]
    assert company["customerType"] == "company" and company["name"] == "永泰软件股份有限公司"
    people = sorted(company["contactPeople"], key=lambda p: p["mobile"])
    assert people == [
        {"name": "陈静怡", "title": "采购经理", "mobile": "+8613812345678", "email": "jingyi.chen@yongtai.com.cn"},
        {"name": "刘洋", "title": "IT 主管", "mobile": "+8613912345678", "email": None},
    ]
    # the contact's mobile is not the company's: no identifier, no customer of its own
    count = await clean_graph.read("MATCH (c:Customer) RETURN count(c) AS n")
    assert count == [{"n": 1}]
    # a rep who owns the company sees the people masked, like any personal value
    masked = (await gql(VIEW, id="C000001", user="周晓明", role="rep"))["customer"]["contactPeople"]
    assert sorted(masked, key=lambda p: p["mobile"]) == [
        {"name": "陈*", "title": "采购经理", "mobile": "138****5678", "email": "j***@yongtai.com.cn"},
        {"name": "刘*", "title": "IT 主管", "mobile": "139****5678", "email": None},
    ]
    # re-resolution rebuilds them from the records: still the same two people, no copies
    await importer([{**COMPANY, "联系人职位": "采购总监"}])
    again = (await gql(VIEW, id="C000001"))["customer"]["contactPeople"]
    assert sorted((p["name"], p["title"]) for p in again) == [("刘洋", "IT 主管"), ("陈静怡", "采购总监")]


async def test_res_a_contact_column_alone_is_the_persons_name(clean_graph: Graph, importer: Any, gql: Any) -> None:
    await importer([{"编号": "1", "联系人": "张伟", "手机": "13812345678"}])
    person = (await gql(VIEW, id="C000001"))["customer"]
    assert person["name"] == "张伟" and person["contactPeople"] == []
