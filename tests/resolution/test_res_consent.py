"""Imported marketing consent keeps its provenance: the source and date of the record it came from."""

from __future__ import annotations

from custgraph.graph.connection import Graph

CONSENT = """
MATCH (c:Customer) WHERE c.merged_into IS NULL AND c.mobile = $mobile
RETURN c.consent_marketing AS consent, c.consent_source AS source, c.consent_date AS date
"""


async def test_res_imported_consent_has_its_source_and_date(clean_graph: Graph, importer) -> None:
    await importer(
        [
            {"编号": "1", "姓名": "张伟", "手机": "13812345678", "营销同意": "是", "同意日期": "2024年3月5日"},
            {"编号": "2", "姓名": "李娜", "手机": "13900001111", "营销同意": "否"},
            {"编号": "3", "姓名": "王芳", "手机": "13700002222"},
        ],
        source="crm",
    )
    rows = {m: (await clean_graph.read(CONSENT, mobile=m))[0] for m in ("+8613812345678", "+8613900001111")}
    assert rows["+8613812345678"] == {"consent": True, "source": "crm", "date": "2024-03-05"}
    assert rows["+8613900001111"] == {"consent": False, "source": "crm", "date": None}
    unknown = (await clean_graph.read(CONSENT, mobile="+8613700002222"))[0]
    assert unknown == {"consent": None, "source": None, "date": None}

    # the same person from a second source that says no, without a date: whichever answer survives,
    # its source and date are that record's, never a mix of the two
    await importer([{"id": "w1", "name": "张伟", "mobile": "13812345678", "marketing_consent": "no"}], source="web")
    (merged,) = await clean_graph.read(CONSENT, mobile="+8613812345678")
    assert merged in (
        {"consent": True, "source": "crm", "date": "2024-03-05"},
        {"consent": False, "source": "web", "date": None},
    )
