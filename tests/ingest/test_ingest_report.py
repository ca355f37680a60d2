"""The import report: counts, JSON and CSV content."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from custgraph.ingest.models import IngestedRecord
from custgraph.ingest.reading import iter_records
from custgraph.ingest.report import CSV_COLUMNS, ImportReport
from custgraph.matching.standardize import InvalidValue, standardize_field


def reason(field: str, raw: str) -> str:
    """The standardizer's own words for a bad value; the report must carry them unchanged."""
    try:
        standardize_field(field, raw)
    except InvalidValue as exc:
        return exc.reason
    raise AssertionError(f"{raw!r} is a valid {field}")


FILE = (
    "客户名单\n"
    "客户编号,姓名,手机号,出生日期,地区\n"
    "C1,张三,13812345678,1990-01-05,北京\n"  # ok
    "C2,李四,12345,1990-02-30,上海\n"  # two field errors, still lands
    ",王五,13900000000,,\n"  # rejected: no key
    "\n"  # empty
    "C1,张三,13812345678,1990-01-05,北京\n"  # duplicate of row 3
    "C3,,,,广州\n"  # follow-up
)


def _report(tmp_path: Path) -> ImportReport:
    path = tmp_path / "crm.csv"
    path.write_text(FILE, encoding="utf-8")
    report = ImportReport(run_id="IR1", source="crm", files=[str(path)])
    items = list(iter_records(path, source="crm", report=report))  # added in a batch, as the writer does
    for item in items:
        report.add(item)
    return report


def test_summary_counts(tmp_path: Path) -> None:
    summary = _report(tmp_path).summary()
    names = ("total", "ok", "incomplete", "follow_up", "rejected", "duplicates", "empty")
    assert {k: summary[k] for k in names} == {
        "total": 5,
        "ok": 1,
        "incomplete": 1,
        "follow_up": 1,
        "rejected": 1,
        "duplicates": 1,
        "empty": 1,
    }
    assert summary["total"] == sum(summary[k] for k in names[1:6])
    assert (summary["run_id"], summary["source"]) == ("IR1", "crm")
    assert summary["errors"] == 3  # mobile, birth_date, missing key
    assert summary["issues_by_field"]["mobile"] == {"error": 1}
    (file_info,) = summary["files"]
    assert file_info["file"] == "crm.csv" and file_info["header_row"] == 2 and file_info["key"] == "客户编号"
    assert file_info["columns"] == {
        "姓名": "name",
        "手机号": "mobile",
        "出生日期": "birth_date",
        "地区": "region",
    }


def test_describe_is_one_progress_line(tmp_path: Path) -> None:
    report = _report(tmp_path)
    report.count_outcome("matched", 2)
    assert report.describe() == (
        "total 5, ok 1, incomplete 1, follow_up 1, rejected 1, duplicates 1, empty 1, matched 2"
    )


def test_json_report(tmp_path: Path) -> None:
    out = _report(tmp_path).to_json(tmp_path / "report.json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["rejected"] == 1
    rows = {(i["row"], i["field"]): i for i in data["issues"]}
    assert rows[(4, "birth_date")] == {
        "file": "crm.csv",
        "row": 4,
        "source_key": "C2",
        "field": "birth_date",
        "value": "1990-02-30",
        "reason": reason("birth_date", "1990-02-30"),
        "severity": "error",
    }
    assert rows[(5, "source_key")]["source_key"] is None
    assert rows[(2, "")]["reason"].startswith("header found on row 2")


def test_csv_report(tmp_path: Path) -> None:
    out = _report(tmp_path).to_csv(tmp_path / "report.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, so Excel shows the Chinese text
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS == ("row", "source_key", "field", "value", "reason", "severity")
    body = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [int(r["row"]) for r in body] == sorted(int(r["row"]) for r in body)
    assert {
        "row": "4",
        "source_key": "C2",
        "field": "mobile",
        "value": "12345",
        "reason": reason("mobile", "12345"),
        "severity": "error",
    } in body
    duplicate = next(r for r in body if "same key and content" in r["reason"])
    assert (duplicate["row"], duplicate["source_key"], duplicate["severity"]) == ("7", "C1", "warning")
    follow_up = next(r for r in body if "follow-up" in r["reason"])
    assert (follow_up["row"], follow_up["source_key"]) == ("8", "C3")
    rejected = next(r for r in body if r["field"] == "source_key" and r["severity"] == "error")
    assert (rejected["row"], rejected["source_key"]) == ("5", "")


def test_add_counts_statuses() -> None:
    report = ImportReport()
    record = IngestedRecord(source="s", source_key="1", row=2, kind="customers", fields={}, raw={}, status="incomplete")
    report.add(record)
    assert report.counts["total"] == 1 and report.counts["incomplete"] == 1


def test_issues_spooled_to_disk_read_back_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past a bound, issues go to temporary files (memory does not grow with the file); the summary,
    the row order and both report files are what an all-in-memory report gives."""
    import custgraph.ingest.report as report_module

    def written(report: ImportReport, name: str) -> tuple[dict, list, str]:
        data = json.loads(report.to_json(tmp_path / f"{name}.json").read_text(encoding="utf-8"))
        text = report.to_csv(tmp_path / f"{name}.csv").read_text(encoding="utf-8-sig")
        return report.summary(), [i.model_dump() for i in report.ordered_issues()], text + json.dumps(data)

    held = _report(tmp_path)
    assert held.issue_count >= 6
    monkeypatch.setattr(report_module, "SPILL_AT", 2)
    spooled = _report(tmp_path)
    assert spooled._spilled, "the bound was passed: some issues are on disk"
    assert written(spooled, "spooled") == written(held, "held")
    assert [i.model_dump() for i in spooled.issues] == [i.model_dump() for i in held.issues]
    assert [i.row for i in spooled.ordered_issues(limit=3)] == sorted(i.row for i in held.issues)[:3]
    spooled.close()
