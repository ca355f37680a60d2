"""An owner cell naming two reps makes the customer an owned customer of each: both see it."""

from __future__ import annotations

from typing import Any

from custgraph.graph.connection import Graph

ONE = "query One($id: ID!) { customer(id: $id) { id owners { name } } }"


async def test_res_each_rep_in_an_owner_cell_sees_the_customer(clean_graph: Graph, importer: Any, gql: Any) -> None:
    await importer(
        [
            {"编号": "1", "姓名": "张伟", "手机": "13812345678", "负责人": "赵国栋/孙悦"},
            {"编号": "2", "姓名": "李娜", "手机": "13912345678", "负责人": "孙悦、周明"},
        ]
    )
    owners = await clean_graph.read("MATCH (o:Owner) RETURN o.name AS name ORDER BY name")
    assert sorted(r["name"] for r in owners) == sorted(["赵国栋", "孙悦", "周明"])
    zhang = (await gql(ONE, id="C000001"))["customer"]
    assert sorted(o["name"] for o in zhang["owners"]) == sorted(["赵国栋", "孙悦"])
    for rep in ("赵国栋", "孙悦"):
        seen = (await gql(ONE, id="C000001", user=rep, role="rep"))["customer"]
        assert seen is not None and seen["id"] == "C000001", rep
    assert (await gql(ONE, id="C000001", user="周明", role="rep"))["customer"] is None
    assert (await gql(ONE, id="C000002", user="孙悦", role="rep"))["customer"]["id"] == "C000002"
