"""benchmarks/gen_chinese_crm.py writes the three sources and a truth.csv that the benchmarks' F1 code accepts."""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import load_workbook

from benchmarks.pairwise import pair_scores, read_links, read_truth

REPO = Path(__file__).resolve().parents[2]


def _cli() -> ModuleType:
    path = REPO / "benchmarks" / "gen_chinese_crm.py"
    spec = importlib.util.spec_from_file_location("gen_chinese_crm", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("bench")
    assert _cli().main(["--seed", "1", "--entities", "300", "--out", str(directory)]) == 0
    return directory


def _keys(out: Path) -> set[tuple[str, str]]:
    ws = load_workbook(out / "crm_export.xlsx", read_only=True).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "客户编号", "no title row in the benchmark file"
    keys = {("crm_export", str(r[0])) for r in rows[1:]}
    with (out / "orders.csv").open(encoding="utf-8-sig", newline="") as f:
        keys |= {("orders", r["订单号"]) for r in csv.DictReader(f)}
    for line in (out / "webform.jsonl").read_text("utf-8").splitlines():
        keys.add(("webform", json.loads(line)["id"]))
    return keys


def test_truth_lists_exactly_the_records_in_the_files(out: Path) -> None:
    with (out / "truth.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["source", "source_key", "entity"]
        truth = {(r["source"], r["source_key"]) for r in reader}
    assert truth == _keys(out)


def test_dirt_csv_names_the_dirt_of_each_record(out: Path) -> None:
    with (out / "dirt.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert any("pinyin_name" in r["dirt"].split("|") for r in rows)


def test_truth_as_links_scores_perfectly(out: Path, tmp_path: Path) -> None:
    """The truth file, exported as links, is a perfect clustering by the benchmarks' F1 code."""
    links = tmp_path / "links.csv"
    with (out / "truth.csv").open(encoding="utf-8", newline="") as f, links.open("w", encoding="utf-8") as g:
        g.write("source,source_key,customer_id\n")
        for r in csv.DictReader(f):
            g.write(f"{r['source']},{r['source_key']},{r['entity']}\n")
    truth = read_truth(out / "truth.csv")
    scores = pair_scores(read_links(links), truth)
    assert scores["true_pairs"] > 0
    assert scores["f1"] == 1.0
    # a duplicate moved to a cluster of its own costs recall, not precision
    sizes = Counter(truth.values())
    loner = next(rec for rec, entity in truth.items() if sizes[entity] > 1)
    moved = pair_scores([(rec, "alone" if rec == loner else cid) for rec, cid in read_links(links)], truth)
    assert moved["precision"] == 1.0
    assert moved["recall"] < 1.0


def test_dirt_scale_zero_and_overrides(tmp_path: Path) -> None:
    overrides = tmp_path / "dirt.json"
    overrides.write_text(json.dumps({"pinyin_name": 0.5}), encoding="utf-8")
    cli = _cli()
    assert cli.main(["--entities", "50", "--out", str(tmp_path / "clean"), "--dirt-scale", "0"]) == 0
    assert (
        cli.main(
            [
                "--entities",
                "50",
                "--out",
                str(tmp_path / "o"),
                "--dirt",
                str(overrides),
                "--sources",
                "crm_export,webform",
            ]
        )
        == 0
    )
    assert not (tmp_path / "o" / "orders.csv").exists()
