"""Files on disk: the writers, the committed demo data set, the committed examples/ samples and the
synthetic 200-customer set (written on demand; the story the demo tells is tested in test_demo_story.py)."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from benchmarks.demo_data.build import EXAMPLES_DIR, build_demo, build_examples, build_synthetic
from benchmarks.demo_data.generator import generate
from benchmarks.demo_data.writers import write_set
from custgraph.service.cli_data import DEMO_DIR

DEMO_NAMES = ("crm_export.xlsx", "webform.jsonl", "orders.csv", "interactions.csv", "truth.csv")
EXAMPLE_NAMES = ("crm_export.xlsx", "orders.csv", "webform.jsonl")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("synthetic")
    build_synthetic(directory)
    return directory


def test_synthetic_truth_has_200_customers_in_chinese_and_english(synthetic: Path) -> None:
    with (synthetic / "truth.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["source"] for r in rows} == {"crm_export", "webform", "orders", "interactions"}
    assert len({r["entity"] for r in rows}) >= 200
    assert 300 <= len(rows) <= 1000
    lines = (synthetic / "webform.jsonl").read_text("utf-8").splitlines()
    names = [json.loads(line)["name"] for line in lines]
    assert any(n.isascii() for n in names) and any(not n.isascii() for n in names)


def test_synthetic_interactions_carry_satisfaction_scores(synthetic: Path) -> None:
    with (synthetic / "interactions.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    scores = {r["满意度"] for r in rows}
    assert {"1", "5"} <= scores
    assert {"拜访", "电话回访", "投诉", "活动签到"} <= {r["互动类型"] for r in rows}


@pytest.mark.parametrize(
    ("build", "directory", "names"),
    [
        (build_demo, DEMO_DIR, DEMO_NAMES),
        (build_examples, EXAMPLES_DIR, EXAMPLE_NAMES),
    ],
)
def test_committed_files_are_what_the_build_writes(
    build: object, directory: Path, names: tuple[str, ...], tmp_path: Path
) -> None:
    build(tmp_path)  # type: ignore[operator]
    for name in names:
        assert (tmp_path / name).read_bytes() == (directory / name).read_bytes(), (
            f"{directory / name} is stale: run `python -m benchmarks.demo_data.build`"
        )


def test_example_xlsx_has_a_title_row_above_the_chinese_header() -> None:
    ws = load_workbook(EXAMPLES_DIR / "crm_export.xlsx", read_only=True).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert str(rows[0][0]).startswith("客户信息导出")
    assert rows[1][:4] == ("客户编号", "客户姓名", "客户类型", "手机号")
    assert 50 <= len(rows) - 2 <= 100


def test_example_csv_is_utf8_with_bom_and_crlf() -> None:
    data = (EXAMPLES_DIR / "orders.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert 50 <= data.count(b"\r\n") - 1 <= 130


def test_example_jsonl_lines_have_english_keys_and_an_id() -> None:
    lines = (EXAMPLES_DIR / "webform.jsonl").read_text("utf-8").splitlines()
    assert 40 <= len(lines) <= 100
    rows = [json.loads(line) for line in lines]
    assert all({"id", "name", "message", "submitted_at"} <= set(r) for r in rows)


def test_examples_show_the_typical_dirt() -> None:
    text = "\n".join((EXAMPLES_DIR / n).read_text("utf-8-sig") for n in ("orders.csv", "webform.jsonl"))
    ws = load_workbook(EXAMPLES_DIR / "crm_export.xlsx", read_only=True).active
    assert ws is not None
    rows = ws.iter_rows(values_only=True)
    text += "\n".join(",".join(str(c) for c in row if c is not None) for row in rows)
    for needle in ("+86", "０", "北京市", ",北京,", "¥"):
        assert needle in text, needle
    assert any(f"{a} {b}" in text for a in "13579" for b in "0123456789"), "a phone with spaces"
    with (EXAMPLES_DIR / "orders.csv").open(encoding="utf-8-sig", newline="") as f:
        keys = [r["订单号"] for r in csv.DictReader(f)]
    assert len(keys) > len(set(keys)), "an exact duplicate row"


def test_write_set_is_byte_reproducible_and_readable(tmp_path: Path) -> None:
    gs = generate(2, 150)
    first = write_set(gs, tmp_path / "a", title_row=True)
    second = write_set(generate(2, 150), tmp_path / "b", title_row=True)
    for name, path in first.items():
        assert path.read_bytes() == second[name].read_bytes(), name
    ws = load_workbook(first["crm_export"]).active
    assert ws is not None
    header = [c.value for c in ws[2]]
    day_column = header.index("首次接触日期") + 1
    cells = [ws.cell(row=i, column=day_column).value for i in range(3, ws.max_row + 1)]
    assert any(isinstance(v, datetime) for v in cells) and any(isinstance(v, str) for v in cells)
    assert ws.max_row - 2 == len(gs.tables["crm_export"].records)
    with first["truth"].open(encoding="utf-8", newline="") as f:
        assert f.readline().strip() == "source,source_key,entity"
