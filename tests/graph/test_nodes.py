"""A write and a read of every node type, through the generic repository."""

from __future__ import annotations

import pytest

from custgraph.graph.connection import Graph
from custgraph.graph.models import (
    NODE_TYPES,
    BankCardNode,
    ChannelNode,
    CompanyNode,
    ContactNode,
    CreditCodeNode,
    CustomerNode,
    EmailNode,
    InteractionNode,
    MobileNode,
    NationalIdNode,
    Node,
    OrderNode,
    OwnerNode,
    PhoneNode,
    SourceRecordNode,
    TagNode,
)
from custgraph.graph.repositories.nodes import get_node, link, upsert_nodes

SAMPLES: list[Node] = [
    CustomerNode(id="C000001", name="张伟", customer_type="person", total_amount=1280.5, order_count=3),
    SourceRecordNode(uid="crm|001", source="crm", source_key="001", row=2, fields_json='{"name": "张伟"}'),
    CompanyNode(key="华为技术", name="华为技术有限公司", credit_code="914403001922038216"),
    ContactNode(id="K1", name="李娜", title="采购经理"),
    MobileNode(value="+8613812345678"),
    PhoneNode(value="+861088880000"),
    EmailNode(value="zhang.wei@example.com"),
    NationalIdNode(value="11010519491231002X"),
    CreditCodeNode(value="914403001922038216"),
    BankCardNode(value="hmac:" + "0" * 64),  # a digest: the card itself never reaches the graph
    ChannelNode(name="官网"),
    OwnerNode(name="王销售", role="sales"),
    TagNode(key="value:high", name="high", dimension="value"),
    InteractionNode(uid="calls|9", interaction_type="call", interaction_date="2024-03-01", satisfaction=4),
    OrderNode(uid="shop|A1", order_id="A1", order_date="2024-02-01", amount=99.0, product="茶叶"),
]


def test_every_node_type_has_a_sample() -> None:
    assert {type(s) for s in SAMPLES} == set(NODE_TYPES)


@pytest.mark.parametrize("node", SAMPLES, ids=lambda n: type(n).label)
async def test_write_then_read_each_node_type(clean_graph: Graph, node: Node) -> None:
    assert await upsert_nodes(clean_graph, [node]) == 1
    assert await upsert_nodes(clean_graph, [node]) == 1  # MERGE: a second write adds nothing
    stored = await get_node(clean_graph, type(node), node.key_value)
    assert stored == node
    label = type(node).label
    rows = await clean_graph.read(f"MATCH (n:{label}) RETURN count(n) AS n")
    assert rows == [{"n": 1}]


async def test_update_changes_properties_in_place(clean_graph: Graph) -> None:
    await upsert_nodes(clean_graph, [CustomerNode(id="C9", name="旧名")])
    await upsert_nodes(clean_graph, [CustomerNode(id="C9", name="新名", region="北京市")])
    stored = await get_node(clean_graph, CustomerNode, "C9")
    assert stored is not None and stored.name == "新名" and stored.region == "北京市"


async def test_link_records_to_identifiers(clean_graph: Graph) -> None:
    records = [SourceRecordNode(uid=f"crm|{i}", source="crm", source_key=str(i)) for i in range(3)]
    await upsert_nodes(clean_graph, records)
    await upsert_nodes(clean_graph, [MobileNode(value="+8613800000000")])
    pairs = [(r.uid, "+8613800000000", {"raw": "138 0000 0000"}) for r in records]
    assert await link(clean_graph, "SourceRecord", "HAS_MOBILE", "Mobile", pairs) == 3
    await link(clean_graph, "SourceRecord", "HAS_MOBILE", "Mobile", pairs)
    rows = await clean_graph.read(
        "MATCH (s:SourceRecord)-[r:HAS_MOBILE]->(m:Mobile) RETURN count(r) AS n, collect(DISTINCT r.raw) AS raw"
    )
    assert rows == [{"n": 3, "raw": ["138 0000 0000"]}]


async def test_unknown_relationship_type_is_refused(graph: Graph) -> None:
    with pytest.raises(ValueError, match="unknown relationship type"):
        await link(graph, "SourceRecord", "KNOWS; DROP", "Mobile", [])
