"""docs/browser: every ready query of queries.md runs against a real graph and returns rows, and
style.grass styles every label the graph has.

The queries go through the graph layer (``Graph.read``), so with CUSTGRAPH_CYPHER_LOG set they land in
the Cypher log that CI lints with Neo4j 5's own parser: a query that only ArcadeDB accepts fails there.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from custgraph.graph.connection import Graph
from custgraph.graph.schema import UNIQUE_KEYS
from custgraph.matching.rules import load_rules
from custgraph.pipeline.run import ImportOptions, run_import

BROWSER = Path(__file__).resolve().parents[2] / "docs" / "browser"
SECTION = re.compile(r"^## (.+)$", re.MULTILINE)
BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.DOTALL)
PARAM_LINE = re.compile(r"^:param (\w+) =>", re.MULTILINE)
PARAMETER = re.compile(r"\$(\w+)")

# the same person twice (one mobile), a namesake for review, a stranger on the same mobile (a shared
# family phone), a company with its people, an owner's book
ROWS = [
    {
        "编号": "1",
        "姓名": "张伟",
        "手机": "13812345678",
        "邮箱": "zhangwei@huawei.com",
        "公司": "华为技术有限公司",
        "负责人": "周晓明",
    },
    {"编号": "2", "姓名": "张伟", "手机": "138-1234-5678", "公司": "华为技术有限公司", "负责人": "周晓明"},
    {"编号": "3", "姓名": "张玮"},
    {"编号": "4", "姓名": "李娜", "手机": "13700001234", "公司": "华为技术有限公司", "负责人": "陈志强"},
    {"编号": "5", "姓名": "王芳", "手机": "13812345678", "邮箱": "wangfang@example.com"},
]


def sections() -> dict[str, list[tuple[str, set[str]]]]:
    """Section title -> its Cypher blocks, each with the parameters a `:param` line of the section sets."""
    text = (BROWSER / "queries.md").read_text(encoding="utf-8")
    found: dict[str, list[tuple[str, set[str]]]] = {}
    heads = list(SECTION.finditer(text))
    for head, following in zip(heads, [*heads[1:], None], strict=True):
        body = text[head.end() : following.start() if following else len(text)]
        blocks = BLOCK.findall(body)
        params = {name for lang, code in blocks if lang == "" for name in PARAM_LINE.findall(code)}
        found[head.group(1)] = [(code.strip(), params) for lang, code in blocks if lang == "cypher"]
    return found


def test_queries_md_has_the_ready_queries_and_names_their_parameters() -> None:
    found = sections()
    assert list(found) == [
        "A customer's neighbourhood",
        "The records sharing a mobile",
        "Hub identifiers",
        "The pairs awaiting review",
        "A company's customers",
        "An owner's book",
    ]
    for title, blocks in found.items():
        assert blocks, f"{title}: no cypher block"
        for code, params in blocks:
            missing = set(PARAMETER.findall(code)) - params
            assert not missing, f"{title}: no `:param` line for {missing}"


@pytest.fixture
async def seeded(clean_graph: Graph, tmp_path: Path) -> dict[str, object]:
    """The rows imported the way users import them; the parameters the queries take, from that data."""
    path = tmp_path / "crm.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(dict.fromkeys(h for row in ROWS for h in row)))
        writer.writeheader()
        writer.writerows(ROWS)
    await run_import(clean_graph, [path], ImportOptions(source="crm"), load_rules(), reports_dir=tmp_path / "r")
    [zhang] = await clean_graph.read("MATCH (s:SourceRecord {uid: 'crm|1'}) RETURN s.customer_id AS id")
    return {
        "customerId": zhang["id"],
        "mobile": "+8613812345678",
        "minRecords": 3,
        "company": "华为",
        "owner": "周晓明",
    }


async def test_every_ready_query_returns_rows(seeded: dict[str, object], clean_graph: Graph) -> None:
    ran = 0
    for title, blocks in sections().items():
        for code, _ in blocks:
            params = {name: seeded[name] for name in set(PARAMETER.findall(code))}
            rows = await clean_graph.read(code, **params)
            assert rows, f"{title}: no rows for\n{code}\nwith {params}"
            ran += 1
    assert ran >= 6


async def test_the_neighbourhood_holds_records_and_their_identifiers(
    seeded: dict[str, object], clean_graph: Graph
) -> None:
    [code, *_] = sections()["A customer's neighbourhood"][0]
    rows = await clean_graph.read(code, customerId=seeded["customerId"])
    identifiers = {row["i"]["value"] for row in rows if row["i"]}
    assert {"+8613812345678", "zhangwei@huawei.com"} <= identifiers


def test_style_grass_colours_and_captions_every_label() -> None:
    text = re.sub(r"/\*.*?\*/", "", (BROWSER / "style.grass").read_text(encoding="utf-8"), flags=re.DOTALL)
    rules = {selector.strip(): body for selector, body in re.findall(r"^([\w.]+) \{\n(.*?)^\}", text, re.M | re.S)}
    assert "node" in rules and "relationship" in rules
    for label in UNIQUE_KEYS:
        body = rules.get(f"node.{label}")
        assert body is not None, f"style.grass has no rule for {label}"
        props = dict(re.findall(r"([\w-]+):\s*([^;]+);", body))
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", props.get("color", "")), f"{label}: no colour"
        assert props.get("caption", "").startswith('"'), f"{label}: no caption"
