"""Cannot-link identifiers through real imports: two credit codes are two companies, whatever else."""

from __future__ import annotations

from custgraph.graph.connection import Graph

NANJING = {"编号": "1", "客户名称": "南京聚源食品有限公司", "客户类型": "企业", "手机": "15859826575",
           "邮箱": "juyuan_food@163.com", "统一社会信用代码": "913201066824299702"}  # fmt: skip
ZHENGZHOU = {"编号": "2", "客户名称": "郑州聚源食品有限公司", "客户类型": "企业", "手机": "13497313357",
             "邮箱": "", "统一社会信用代码": "914101031518340611"}  # fmt: skip
# an order signed with the brand only, carrying Zhengzhou's mobile and Nanjing's mailbox: it fits both
ORDER = {"编号": "SO1", "客户名称": "聚源食品有限公司", "手机": "13497313357", "邮箱": "juyuan_food@163.com"}


async def test_res_two_credit_codes_are_never_merged(clean_graph: Graph, importer, customer_of) -> None:
    await importer([NANJING, ZHENGZHOU])
    await importer([ORDER], source="orders")
    placed = await customer_of()
    assert placed["crm|1"] != placed["crm|2"]
    assert placed["orders|SO1"] in (placed["crm|1"], placed["crm|2"])
    merged = await clean_graph.read("MATCH (c:Customer) WHERE c.merged_into IS NOT NULL RETURN c.id AS id")
    assert merged == []


async def test_res_without_credit_codes_the_same_order_merges_them(importer, customer_of) -> None:
    """The control: the order alone proves the two one customer when no credit code says otherwise."""
    await importer([{**NANJING, "统一社会信用代码": ""}, {**ZHENGZHOU, "统一社会信用代码": ""}])
    await importer([ORDER], source="orders")
    placed = await customer_of()
    assert placed["crm|1"] == placed["crm|2"] == placed["orders|SO1"]
