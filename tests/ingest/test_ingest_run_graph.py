"""Import runs against the real graph: what lands, what is reported, and re-imports that change nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from custgraph.graph.connection import Graph
from custgraph.graph.repositories.runs import get_run
from custgraph.matching.rules import load_rules
from custgraph.pipeline.run import ImportOptions, ImportSummary, run_import

HEADER = ["客户编号", "客户姓名", "手机号", "邮箱", "出生日期", "省份", "公司名称"]
ROWS = [
    ["K001", "张伟", "138 1234 5678", "zhang.wei@example.com", "1985-03-02", "北京", "北京星辰科技有限公司"],
    ["K002", "李娜", "+86 139-0000-1111", "li.na@example.com", "1990/7/8", "广东", "广州海岸贸易有限公司"],
    ["K003", "王芳", "１３７００００２２２２", "bad-email", "1979年13月40日", "上海市", ""],
    ["K004", "", "", "", "", "", ""],  # a key and nothing else: follow-up pool
    ["", "无编号", "13600003333", "", "", "", ""],  # no key: rejected
    ["K005", "", "", "", "", "浙江", ""],  # no identifier, no name: follow-up pool
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


async def do_import(graph: Graph, path: Path, tmp_path: Path, source: str = "crm") -> ImportSummary:
    return await run_import(graph, [path], ImportOptions(source=source), load_rules(), reports_dir=tmp_path / "reports")


async def snapshot(graph: Graph) -> list[dict]:
    rows = await graph.read(
        "MATCH (s:SourceRecord) OPTIONAL MATCH (s)-[r:RESOLVED_TO]->(c:Customer) "
        "RETURN s.uid AS uid, properties(s) AS props, c.id AS customer ORDER BY uid"
    )
    for row in rows:
        row["props"].pop("run_id", None)
    return rows


async def test_rows_land_and_problems_are_reported(clean_graph: Graph, tmp_path: Path) -> None:
    summary = await do_import(clean_graph, write_csv(tmp_path / "crm.csv", ROWS), tmp_path)
    assert summary.rejected == 1 and summary.follow_up == 2
    assert summary.stored["created"] == 5
    assert sum(summary.outcomes.values()) == 5 and summary.outcomes["unmatched"] == 2

    stored = {r["uid"]: r for r in await snapshot(clean_graph)}
    assert set(stored) == {"crm|K001", "crm|K002", "crm|K003", "crm|K004", "crm|K005"}
    k1 = json.loads(stored["crm|K001"]["props"]["fields_json"])
    assert k1["mobile"] == "+8613812345678" and k1["region"] == "北京市"
    k3 = json.loads(stored["crm|K003"]["props"]["fields_json"])
    assert k3["mobile"] == "+8613700002222"
    assert "email" not in k3 and "birth_date" not in k3  # bad values dropped, the row still landed
    assert json.loads(stored["crm|K003"]["props"]["raw_json"])["email"] == "bad-email"
    assert stored["crm|K005"]["customer"] is None  # the unmatched pool has no customer

    report = json.loads(summary.report_json.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    problems = {(i["row"], i["field"]) for i in report["issues"]}
    assert (4, "email") in problems and (4, "birth_date") in problems
    assert any(i["row"] == 6 for i in report["issues"])  # the row without a key
    with open(summary.report_csv, encoding="utf-8-sig") as handle:  # type: ignore[arg-type]
        lines = list(csv.DictReader(handle))
    assert list(lines[0]) == ["row", "source_key", "field", "value", "reason", "severity"]
    assert any(line["field"] == "email" and line["value"] == "bad-email" for line in lines)

    run = await get_run(clean_graph, summary.run_id)
    assert run is not None and run.status == "completed" and run.counts["rejected"] == 1


async def test_reimporting_the_same_file_changes_nothing(clean_graph: Graph, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "crm.csv", ROWS)
    first = await do_import(clean_graph, path, tmp_path)
    before = await snapshot(clean_graph)
    customers = await clean_graph.read("MATCH (c:Customer) RETURN count(c) AS n")
    second = await do_import(clean_graph, path, tmp_path)
    assert second.stored["unchanged"] == 5 and not second.stored["created"] and not second.stored["changed"]
    assert second.outcomes == first.outcomes
    assert await snapshot(clean_graph) == before
    assert await clean_graph.read("MATCH (c:Customer) RETURN count(c) AS n") == customers


async def test_a_changed_row_keeps_its_history(clean_graph: Graph, tmp_path: Path) -> None:
    await do_import(clean_graph, write_csv(tmp_path / "v1.csv", ROWS[:1]), tmp_path)
    changed = [["K001", "张伟", "13812345678", "zhang.wei@newmail.cn", "1985-03-02", "北京", "北京星辰科技有限公司"]]
    summary = await do_import(clean_graph, write_csv(tmp_path / "v2.csv", changed), tmp_path)
    assert summary.stored["changed"] == 1
    rows = await clean_graph.read(
        "MATCH (s:SourceRecord {uid: 'crm|K001'}) RETURN s.fields_json AS f, s.history_json AS h, s.customer_id AS c"
    )
    assert json.loads(rows[0]["f"])["email"] == "zhang.wei@newmail.cn"
    history = json.loads(rows[0]["h"])
    assert [h["fields"]["email"] for h in history] == ["zhang.wei@example.com"]
    assert rows[0]["c"] == history[0]["customer_id"]  # same person, same customer
    emails = await clean_graph.read(
        "MATCH (:SourceRecord {uid: 'crm|K001'})-[:HAS_EMAIL]->(e:Email) RETURN collect(e.value) AS v"
    )
    assert emails == [{"v": ["zhang.wei@newmail.cn"]}]  # the stale identifier edge is gone


async def test_shared_identifier_nodes_link_sources(clean_graph: Graph, tmp_path: Path) -> None:
    await do_import(clean_graph, write_csv(tmp_path / "crm.csv", ROWS[:2]), tmp_path)
    web = [["W1", "Zhang Wei", "+86 13812345678", "ZHANG.WEI@example.com", "", "", ""]]
    summary = await do_import(clean_graph, write_csv(tmp_path / "web.csv", web), tmp_path, source="web")
    assert summary.outcomes["matched"] == 1
    rows = await clean_graph.read(
        "MATCH (m:Mobile {value: '+8613812345678'})<-[:HAS_MOBILE]-(s:SourceRecord) "
        "RETURN collect(s.uid) AS uids, collect(DISTINCT s.customer_id) AS customers"
    )
    assert sorted(rows[0]["uids"]) == ["crm|K001", "web|W1"] and len(rows[0]["customers"]) == 1


@pytest.mark.parametrize("kind", ["orders"])
async def test_orders_attach_to_the_customer_and_sum_up(clean_graph: Graph, tmp_path: Path, kind: str) -> None:
    await do_import(clean_graph, write_csv(tmp_path / "crm.csv", ROWS[:1]), tmp_path)
    orders = write_csv(
        tmp_path / "orders.csv",
        [
            ["A1", "2024-01-05", "张伟", "13812345678", "¥1,280.00"],
            ["A2", "2024-03-01", "张伟", "13812345678", "1.2万"],
        ],
        header=["订单号", "下单日期", "客户姓名", "手机号", "订单金额"],
    )
    await run_import(
        clean_graph, [orders], ImportOptions(source="shop", kind=kind), load_rules(), reports_dir=tmp_path / "r"
    )
    rows = await clean_graph.read(
        "MATCH (c:Customer)-[:PLACED]->(o:Order) RETURN c.id AS id, c.total_amount AS total, "
        "c.order_count AS n, collect(o.order_id) AS orders"
    )
    assert len(rows) == 1
    assert rows[0]["total"] == pytest.approx(13280.0) and rows[0]["n"] == 2
    assert sorted(rows[0]["orders"]) == ["A1", "A2"]


async def test_training_happens_only_when_something_is_resolved(clean_graph: Graph, tmp_path: Path) -> None:
    """EM training is the slow part of an unchanged re-import: it runs only once a batch has records
    to resolve, so re-running an unchanged file leaves the stored model alone."""
    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    rows = [
        [f"T{i:04d}", surnames[i % 10] + given[(i // 10) % 20] + given[(i // 200) % 20], f"13{i:09d}", "", "", "", ""]
        for i in range(1000)
    ]
    path = write_csv(tmp_path / "many.csv", rows)
    model_at = "MATCH (m:MatchModel {name: 'current'}) RETURN m.trained_at AS at"
    await do_import(clean_graph, path, tmp_path)
    # a marker instead of the time of training: the three imports may fall within one second
    await clean_graph.write("MATCH (m:MatchModel {name: 'current'}) SET m.trained_at = 'marker'")
    again = await do_import(clean_graph, path, tmp_path)
    assert again.stored["unchanged"] == 1000
    assert await clean_graph.read(model_at) == [{"at": "marker"}]  # not trained again
    rows[0][1] = "欧阳小明"
    third = await do_import(clean_graph, write_csv(tmp_path / "many.csv", rows), tmp_path)
    assert third.stored["changed"] == 1
    assert await clean_graph.read(model_at) != [{"at": "marker"}]  # a changed row is resolved: trained


async def test_training_learns_from_the_rows_read_never_reading_a_file_twice(
    clean_graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model is trained on the first rows of the import as they stream by (read ahead of the first
    batch when that batch is smaller than the sample): the model training on those rows gives."""
    import custgraph.ingest.reading as reading
    from custgraph.ingest.models import IngestedRecord
    from custgraph.matching.engine import train
    from custgraph.matching.record import MatchRecord

    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    rows = [
        [f"R{i:04d}", surnames[i % 10] + given[(i // 10) % 20] + given[(i // 200) % 20], f"13{i % 1100:09d}"]
        for i in range(1200)
    ]
    path = write_csv(tmp_path / "stream.csv", rows, HEADER[:3])
    opened: list[Path] = []
    open_table = reading.open_table

    def counting(source: Path, **kwargs: Any) -> Any:
        opened.append(Path(source))
        return open_table(source, **kwargs)

    monkeypatch.setattr(reading, "open_table", counting)
    rules = load_rules()
    # batches of 500 rows: the first batch alone is below the 1,000 records training needs
    options = ImportOptions(source="crm", batch_rows=500)
    summary = await run_import(clean_graph, [path], options, rules, reports_dir=tmp_path / "reports")
    assert summary.rows == 1200 and summary.stored["created"] == 1200
    assert opened == [path]  # read once: by the import, not again by training
    stored = await clean_graph.read("MATCH (m:MatchModel {name: 'current'}) RETURN m.params_json AS p")
    assert stored, "trained on the rows read ahead"
    read = [item for item in reading.iter_records(path, source="crm") if isinstance(item, IngestedRecord)]
    expected = train([MatchRecord(r.uid, r.source, r.fields, None, n) for n, r in enumerate(read)], rules).to_dict()
    assert json.loads(stored[0]["p"]) == json.loads(json.dumps(expected, default=str, sort_keys=True))


async def customer_views(graph: Graph) -> list[dict]:
    """Every customer as the API sees it: properties, derived edges and search keys."""
    rows = await graph.read(
        "MATCH (c:Customer) "
        "OPTIONAL MATCH (c)-[r]->(x) WHERE type(r) <> 'HAS_KEY' "
        "WITH c, collect([type(r), coalesce(x.key, x.name, x.uid, ''), r.derived]) AS edges "
        "OPTIONAL MATCH (c)-[:HAS_KEY]->(k:SearchKey) "
        "RETURN c.id AS id, properties(c) AS props, edges, collect(k.key) AS keys ORDER BY id"
    )
    for row in rows:
        row["edges"], row["keys"] = sorted(map(tuple, row["edges"])), sorted(row["keys"])
    return rows


async def test_new_customers_written_from_memory_equal_a_refresh_from_the_graph(
    clean_graph: Graph, tmp_path: Path
) -> None:
    """A customer born in a batch gets its profile from the records in hand, without reading them back;
    recomputing it from the graph afterwards changes nothing."""
    from custgraph.pipeline.profiles import refresh_profiles

    header = ["客户编号", "客户姓名", "手机号", "邮箱", "公司名称", "负责人", "渠道", "标签", "省份"]
    rows = [
        ["P1", "张伟", "13812345678", "zw@example.com", "北京星辰科技有限公司", "王五", "展会", "VIP;老客户", "北京"],
        ["P2", "张伟", "13812345678", "", "北京星辰科技有限公司", "赵六", "官网", "VIP", ""],
        ["P3", "李娜", "13900001111", "ln@example.com", "", "王五", "", "", "广东"],
        ["P4", "", "", "", "广州海岸贸易有限公司", "", "电话", "", "广东"],
    ]
    await do_import(clean_graph, write_csv(tmp_path / "crm.csv", rows, header), tmp_path)
    before = await customer_views(clean_graph)
    assert len(before) == 3 and any(len(v["edges"]) >= 5 for v in before)
    await refresh_profiles(clean_graph, [v["id"] for v in before], load_rules())
    assert await customer_views(clean_graph) == before


async def test_a_run_drops_the_customers_a_killed_run_left_without_records(clean_graph: Graph, tmp_path: Path) -> None:
    """The ledger of a run that never finished names the customers its last batch was creating; the
    next run drops those no record points at (and only looks at those, not at every customer)."""
    await do_import(clean_graph, write_csv(tmp_path / "crm.csv", ROWS[:1]), tmp_path)
    (kept,) = [r["id"] for r in await clean_graph.read("MATCH (c:Customer) RETURN c.id AS id")]
    await clean_graph.write(
        "CREATE (:ImportRun {id: 'IRdead', source: 'crm', status: 'running', customers_in_flight: $ids}) "
        "CREATE (:Customer {id: 'C900001', origin: 'resolution'})",
        ids=["C900001", kept],
    )
    await do_import(clean_graph, write_csv(tmp_path / "web.csv", ROWS[1:2]), tmp_path, source="web")
    ids = {r["id"] for r in await clean_graph.read("MATCH (c:Customer) RETURN c.id AS id")}
    assert "C900001" not in ids and kept in ids and len(ids) == 2
    dead = await clean_graph.read("MATCH (r:ImportRun {id: 'IRdead'}) RETURN r.customers_in_flight AS ids")
    assert dead == [{"ids": []}]
    finished = await clean_graph.read(
        "MATCH (r:ImportRun) WHERE r.id <> 'IRdead' RETURN r.customers_in_flight AS ids, r.status AS status"
    )
    assert finished == [{"ids": [], "status": "completed"}] * 2
