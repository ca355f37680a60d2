"""The four outcomes and hub discounting, through real imports of tiny CSV files."""

from __future__ import annotations

from custgraph.graph.connection import Graph


async def test_res_each_band_from_one_import(clean_graph: Graph, importer, customer_of) -> None:
    summary = await importer(
        [
            {"编号": "1", "姓名": "张伟", "手机": "13812345678", "公司": "华为技术有限公司", "城市": "深圳"},
            # the same mobile and the same company without its suffix: the mobile_company rule
            {"编号": "2", "姓名": "张伟", "手机": "138 1234 5678", "公司": "华为技术", "城市": "深圳"},
            {"编号": "3", "姓名": "John Smith", "邮箱": "john.smith@acme.com"},
            # a close name and nothing else: likely, not certain
            {"编号": "4", "姓名": "Jon Smith"},
            # nothing to match on: the follow-up pool
            {"编号": "5", "城市": "北京"},
        ]
    )
    assert dict(summary.outcomes) == {"new": 2, "matched": 1, "review": 1, "unmatched": 1}
    placed = await customer_of()
    assert placed["crm|1"] == placed["crm|2"]
    assert placed["crm|4"] not in (None, placed["crm|3"])
    assert placed["crm|5"] is None
    rows = await clean_graph.read(
        "MATCH (s:SourceRecord) RETURN s.uid AS uid, s.outcome AS outcome, s.rule AS rule ORDER BY s.uid"
    )
    by_uid = {r["uid"]: r for r in rows}
    assert by_uid["crm|2"]["rule"] == "mobile_company"
    assert by_uid["crm|5"]["outcome"] == "unmatched"
    items = await clean_graph.read("MATCH (r:ReviewItem) RETURN r.key AS key, r.status AS status, r.score AS score")
    assert [(i["key"], i["status"]) for i in items] == [("crm|3||crm|4", "open")]
    assert 0.5 <= items[0]["score"] < 0.9


async def test_res_english_headers_resolve_the_same_way(importer, customer_of) -> None:
    await importer(
        [
            {"id": "a1", "name": "Mary Jones", "mobile": "13912345678", "email": "mary@example.org"},
            {"id": "a2", "name": "Mary Jones", "mobile": "+86 139 1234 5678", "email": ""},
        ],
        source="web",
    )
    placed = await customer_of()
    assert placed["web|a1"] == placed["web|a2"] is not None


async def test_res_placeholder_mobile_shared_by_different_people_stays_apart(importer, customer_of) -> None:
    # 13800000000 is what people type when a form insists on a mobile: it identifies nobody
    await importer(
        [
            {"编号": "1", "姓名": "李娜", "手机": "13800000000", "城市": "北京"},
            {"编号": "2", "姓名": "王芳", "手机": "13800000000", "城市": "上海"},
            {"编号": "3", "姓名": "Mary Smith", "手机": "138-0000-0000", "城市": "London"},
            {"编号": "4", "姓名": "陈静", "手机": "13800000000"},
        ]
    )
    placed = await customer_of()
    assert len(set(placed.values())) == 4
    assert None not in placed.values()


async def test_res_shared_switchboard_does_not_chain_colleagues(importer, customer_of, clean_graph: Graph) -> None:
    # a company switchboard shared by three colleagues: a hub once it spans customers
    await importer(
        [
            {"编号": "1", "姓名": "赵磊", "座机": "0755-88881234", "公司": "远景能源", "城市": "深圳"},
            {"编号": "2", "姓名": "孙丽", "座机": "0755-88881234", "公司": "远景能源", "城市": "深圳"},
            {"编号": "3", "姓名": "周杰", "座机": "0755 8888 1234", "公司": "远景能源", "城市": "深圳"},
        ]
    )
    placed = await customer_of()
    assert len(set(placed.values())) == 3
    merged = await clean_graph.read("MATCH ()-[m:MERGED_INTO]->() RETURN count(m) AS n")
    assert merged == [{"n": 0}]
