"""search(query) by national ID or bank card: the query is hashed like the stored value and matched
exactly through the identifier node, within the caller's scope; neither value is logged in plaintext."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.matching.rules import load_rules
from custgraph.matching.standardize import make_national_id
from custgraph.pipeline.run import ImportOptions, run_import

SEARCH = """
query Find($q: String!) { search(query: $q, first: 10) { score matchedOn customer { id name } } }
"""
NID = make_national_id("330106", "1983-04-05", 61)
CARD = "6222021234567890123"
OWNER = "王五"  # owns the customers below; the API's reps own none of them


async def seed(graph: Graph, tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["客户编号", "客户姓名", "手机号", "身份证号", "银行卡号", "负责人"])
        writer.writerow(["S1", "孙丽", "13766667777", NID, CARD, OWNER])
        writer.writerow(["S2", "钱坤", "13788889999", make_national_id("330106", "1984-04-05", 63), "", OWNER])
    await run_import(graph, [path], ImportOptions(source="bank"), load_rules(), reports_dir=tmp_path / "r")


def hits(api: Any, query: str, **kwargs: Any) -> list[tuple[str, str, float]]:
    found = api.data(SEARCH, {"q": query}, **kwargs)["search"]
    return [(h["customer"]["name"], h["matchedOn"], h["score"]) for h in found]


async def test_a_national_id_or_bank_card_finds_its_customer(clean_graph: Graph, api: Any, tmp_path: Path) -> None:
    await seed(clean_graph, tmp_path)
    assert hits(api, NID)[0] == ("孙丽", "national_id", 1.0)
    assert hits(api, NID.lower())[0] == ("孙丽", "national_id", 1.0)
    spaced = " ".join(CARD[i : i + 4] for i in range(0, len(CARD), 4))
    assert hits(api, spaced)[0] == ("孙丽", "bank_card", 1.0)
    # exact only: another valid ID finds nobody by ID
    other = make_national_id("330106", "1983-04-05", 65)
    assert all(matched != "national_id" for _, matched, _ in hits(api, other))
    # a rep who owns neither customer finds neither
    assert hits(api, NID, role="rep", user=api.rep) == []

    logged = await clean_graph.read("MATCH (l:SearchLog) RETURN properties(l) AS props")
    assert len(logged) >= 5
    text = json.dumps([row["props"] for row in logged], ensure_ascii=False).upper()
    assert NID not in text and CARD not in text and spaced not in text
